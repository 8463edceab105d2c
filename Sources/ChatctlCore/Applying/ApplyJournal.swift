import Foundation
import ChatctlAWS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ChatctlJSON

/// The lockfile during an apply: every change is written through to disk before the
/// next step, so a crash loses nothing already answered (SPEC section 7). Participant
/// tokens go only to the outputs file, created 0600.
actor ApplyJournal {
    private(set) var lockfile: Lockfile
    private let store: LockfileStore
    private let outputsPath: String?
    private var outputs: [String: JSONValue] = [:]
    private var bumpedSerial = false
    /// Changes made in memory, and how many of them are on disk.
    private var version = 0
    private var durableVersion = 0
    private var writing = false
    private var waiters: [(version: Int, continuation: CheckedContinuation<LockfileError?, Never>)] = []

    init(lockfile: Lockfile, store: LockfileStore, outputsPath: String?) {
        self.lockfile = lockfile
        self.store = store
        self.outputsPath = outputsPath
    }

    func entry(_ name: String) -> LockEntry? { lockfile.entries[name] }

    /// Sets (or with `nil`, removes) a profile's entry, and returns once the lockfile on
    /// disk holds the change.
    ///
    /// Group commit: one write carries every change made before it starts, so workers
    /// that change the lockfile at the same moment share one fsync instead of queueing
    /// for one each; every caller still waits until its own change is durable.
    func set(_ name: String, _ entry: LockEntry?) async throws(LockfileError) {
        if !bumpedSerial {
            // One serial per apply that changes anything.
            lockfile.serial += 1
            bumpedSerial = true
        }
        lockfile.entries[name] = entry
        version += 1
        if let error = await durable(version) { throw error }
    }

    /// Waits until changes up to `wanted` are on disk; the first caller to find no write
    /// under way does the writing, for itself and everyone who arrives meanwhile.
    private func durable(_ wanted: Int) async -> LockfileError? {
        if durableVersion >= wanted { return nil }
        guard !writing else {
            return await withCheckedContinuation { waiters.append((wanted, $0)) }
        }
        writing = true
        var failure: LockfileError?
        while durableVersion < version, failure == nil {
            let snapshot = lockfile
            let target = version
            failure = await Self.write(snapshot, to: store)
            if failure == nil { durableVersion = target }
        }
        writing = false
        let ready = waiters.filter { failure != nil || $0.version <= durableVersion }
        waiters.removeAll { failure != nil || $0.version <= durableVersion }
        for waiter in ready { waiter.continuation.resume(returning: failure) }
        return failure
    }

    /// Writes on a Dispatch thread: fsync blocks, and the cooperative pool has a thread
    /// per core.
    private static func write(_ lockfile: Lockfile, to store: LockfileStore) async -> LockfileError? {
        await withCheckedContinuation { (continuation: CheckedContinuation<LockfileError?, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                do throws(LockfileError) {
                    try store.write(lockfile)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
    }

    /// Records a participant token for the pipeline step that connects the participant,
    /// and rewrites the outputs file (0600) at once: a token not written is lost.
    func recordParticipant(
        _ name: String, response: StartChatContactResponse, startedAt: Date, region: String?, instance: String?
    ) throws(LockfileError) {
        guard let outputsPath else { return }
        var member: [String: JSONValue] = [
            "contactId": .string(response.contactId ?? ""),
            "participantId": .string(response.participantId ?? ""),
            "participantToken": .string(response.participantToken?.value ?? ""),
            // CreateParticipantConnection must follow within 5 minutes of the start.
            "connectBy": .string(RFC3339.string(from: startedAt.addingTimeInterval(300))),
        ]
        if let region { member["region"] = .string(region) }
        if let instance { member["instance"] = .string(instance) }
        outputs[name] = .object(member)
        let document = JSONValue.object(["formatVersion": .integer(1), "participants": .object(outputs)])
        try Self.writePrivately(JSONWriter.pretty.bytes(document), to: outputsPath)
    }

    /// Writes `bytes` to `path` through a 0600 temporary file and a rename.
    private static func writePrivately(_ bytes: [UInt8], to path: String) throws(LockfileError) {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else { throw .io(file: path, action: "write it", reason: "cannot create \(temporary)") }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(file: path, action: "write it", reason: reason)
        }
    }
}
