import ChatctlAWS
import Foundation
@testable import ChatctlCore

/// A ``ChatLauncher`` that keeps chats in memory the way Amazon Connect does (one chat per
/// client token, so a resent token gets the same contact) and records every call. Each
/// profile (the request's participant display name) can be told to fail, to answer that
/// the active-chat quota is full a number of times, or to hold its answer until the
/// test cancels the apply.
final class InMemoryChatLauncher: ChatLauncher, @unchecked Sendable {
    enum Behaviour {
        case fail(LaunchFailure)
        /// LimitExceededException this many times, then success.
        case capacity(times: Int)
        /// Never answers; when the task is cancelled, fails as an unknown outcome (the
        /// request had left).
        case hold
        /// Starts the chat (once per client token, as Connect does) but loses the answer
        /// this many times: an unknown outcome, whose resend gets the same chat.
        case loseAnswers(times: Int)
    }

    // @unchecked: every member is touched under `lock`.
    private let lock = NSLock()
    private var behaviours: [String: Behaviour]
    private var contactsByToken: [String: String] = [:]
    private var startCalls: [String] = []
    private var stopCalls: [String] = []
    private var held: [String: CheckedContinuation<Void, Never>] = [:]
    private var inFlight = 0
    private var mostInFlight = 0
    /// Tells the test which profile's request is being held.
    let holding: AsyncStream<String>
    private let holdingContinuation: AsyncStream<String>.Continuation

    init(_ behaviours: [String: Behaviour] = [:]) {
        self.behaviours = behaviours
        (holding, holdingContinuation) = AsyncStream.makeStream(of: String.self)
    }

    /// Ends ``holding``, so a test waiting for a hold that never comes (a bug) goes on.
    func stopAnnouncing() { holdingContinuation.finish() }

    /// Profiles in the order their StartChatContact calls arrived.
    var started: [String] { locked { startCalls } }
    /// Contacts StopContact was called for.
    var stopped: [String] { locked { stopCalls } }
    /// The most launches that were in flight at one moment.
    var peakConcurrency: Int { locked { mostInFlight } }

    func startChat(_ request: StartChatContactRequest, region: String?) async throws(LaunchFailure)
        -> (response: StartChatContactResponse, attempts: Int)
    {
        let profile = request.participantDetails.displayName
        let behaviour: Behaviour? = locked {
            startCalls.append(profile)
            inFlight += 1
            mostInFlight = max(mostInFlight, inFlight)
            let behaviour = behaviours[profile]
            if case .capacity(let times) = behaviour {
                behaviours[profile] = times > 1 ? .capacity(times: times - 1) : nil
            }
            if case .loseAnswers(let times) = behaviour {
                behaviours[profile] = times > 1 ? .loseAnswers(times: times - 1) : nil
            }
            return behaviour
        }
        defer { locked { inFlight -= 1 } }
        switch behaviour {
        case .fail(let failure)?:
            throw failure
        case .capacity?:
            throw LaunchFailure(kind: .capacity, code: "LimitExceededException", message: "the active-chat quota is full", attempts: 1)
        case .hold?:
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = locked {
                        if Task.isCancelled { return true }
                        held[profile] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() } else { holdingContinuation.yield(profile) }
                }
            } onCancel: {
                locked { held.removeValue(forKey: profile) }?.resume()
            }
            throw LaunchFailure(kind: .ambiguous, code: "cancelled", message: "cancelled while waiting for the answer", attempts: 1)
        case .loseAnswers?:
            _ = contact(for: request.clientToken ?? "")
            throw LaunchFailure(kind: .ambiguous, code: "malformed-response", message: "the answer had no ContactId", attempts: 1)
        case nil:
            let contact = contact(for: request.clientToken ?? "")
            return (StartChatContactResponse(
                contactId: contact, participantId: "participant-\(contact)",
                participantToken: Sensitive("token-of-\(contact)")), 1)
        }
    }

    /// The chat of `token`, started by its first request.
    private func contact(for token: String) -> String {
        locked {
            if let known = contactsByToken[token] { return known }
            let contact = "contact-\(contactsByToken.count + 1)"
            contactsByToken[token] = contact
            return contact
        }
    }

    /// How many chats exist (one per client token).
    var chatCount: Int { locked { contactsByToken.count } }

    func stopChat(_ request: StopContactRequest, region: String?) async throws(LaunchFailure) -> Int {
        locked { stopCalls.append(request.contactId) }
        return 1
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// An ``ApplyClock`` in virtual time: a sleep moves the time to its deadline at once
/// (recording it), or, when told to, blocks until the task is cancelled.
final class VirtualApplyClock: ApplyClock, @unchecked Sendable {
    // @unchecked: every member is touched under `lock`.
    private let lock = NSLock()
    private var current: Date
    private var deadlines: [Date] = []
    private let blocksSleeps: Bool
    /// Tells the test a sleep has begun (when sleeps block).
    let sleeping: AsyncStream<Date>
    private let sleepingContinuation: AsyncStream<Date>.Continuation

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000), blocksSleeps: Bool = false) {
        current = start
        self.blocksSleeps = blocksSleeps
        (sleeping, sleepingContinuation) = AsyncStream.makeStream(of: Date.self)
    }

    /// Ends ``sleeping``, so a test waiting for a sleep that never comes (a bug) goes on.
    func stopAnnouncing() { sleepingContinuation.finish() }

    /// Every deadline slept until, in order.
    var sleeps: [Date] {
        lock.lock()
        defer { lock.unlock() }
        return deadlines
    }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        lock.withLock {
            deadlines.append(deadline)
            if !blocksSleeps { current = max(current, deadline) }
        }
        guard blocksSleeps else { return }
        sleepingContinuation.yield(deadline)
        // Never reaches the deadline: only cancellation (which throws) ends the wait.
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}

/// An ``ApplyJournal`` in memory: the same contract without a disk, for plans too long
/// to rewrite a lockfile per step (a chain of 100,000).
actor MemoryJournal: ApplyJournal {
    private var lockfile: Lockfile
    private(set) var records = 0

    init(_ lockfile: Lockfile = Lockfile()) {
        self.lockfile = lockfile
    }

    func entry(_ profile: String) -> LockEntry? { lockfile.entries[profile] }

    func record(_ entry: LockEntry?, for profile: String) throws(LockfileError) {
        records += 1
        lockfile.entries[profile] = entry
    }

    func snapshot() -> Lockfile { lockfile }
}

/// The real file system, with every call recorded (`createNew 0600 /path`, `fsync /path`,
/// `rename /a -> /b`, `fsyncFolder /dir`) and, when told, one kind of call failing from
/// its nth occurrence on.
final class RecordingFileSystem: FileSystem, @unchecked Sendable {
    // @unchecked: every member is touched under `lock`.
    private let lock = NSLock()
    private let base = PosixFileSystem()
    private var log: [String] = []
    private var failing: (operation: String, fromOccurrence: Int)?
    private var counts: [String: Int] = [:]
    /// Only the one occurrence fails, and a failing write first writes half its bytes (a
    /// write cut short by a full disk).
    private let once: Bool
    /// Journals removed so far, their bytes as they were: what a kill just before the
    /// removal would have left.
    private var removedJournals: [[UInt8]] = []

    /// Called (on the writing thread) before each rename: a test can hold a fold there.
    private let beforeRename: (@Sendable () -> Void)?
    /// Called (on the writing thread) before each fsync of a file: a test can hold a
    /// journal record there, after its bytes are written and before they are durable.
    private let beforeFlush: (@Sendable () -> Void)?

    init(
        failing operation: String? = nil, fromOccurrence: Int = 1, once: Bool = false,
        beforeRename: (@Sendable () -> Void)? = nil, beforeFlush: (@Sendable () -> Void)? = nil
    ) {
        failing = operation.map { ($0, fromOccurrence) }
        self.once = once
        self.beforeRename = beforeRename
        self.beforeFlush = beforeFlush
    }

    var journalsRemoved: [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        return removedJournals
    }

    /// The calls made so far.
    var calls: [String] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    private func note(_ operation: String, _ detail: String) throws(FileSystemError) {
        lock.lock()
        defer { lock.unlock() }
        counts[operation, default: 0] += 1
        if let failing, failing.operation == operation,
            once ? counts[operation, default: 0] == failing.fromOccurrence : counts[operation, default: 0] >= failing.fromOccurrence {
            throw FileSystemError(action: operation, path: detail, reason: "injected failure")
        }
        log.append("\(operation) \(detail)")
    }

    func createNew(_ path: String, permissions: Int) throws(FileSystemError) -> OpenedFile {
        try note("createNew", String(permissions, radix: 8) + " " + path)
        return try base.createNew(path, permissions: permissions)
    }

    func write(_ bytes: [UInt8], to file: OpenedFile) throws(FileSystemError) {
        do {
            try note("write", file.path)
        } catch {
            if once { try base.write(Array(bytes.prefix(bytes.count / 2)), to: file) }
            throw error
        }
        try base.write(bytes, to: file)
    }

    func truncate(_ file: OpenedFile, to size: Int) throws(FileSystemError) {
        try note("truncate", "\(size) \(file.path)")
        try base.truncate(file, to: size)
    }

    func synchronize(_ file: OpenedFile) throws(FileSystemError) {
        beforeFlush?()
        try note("fsync", file.path)
        try base.synchronize(file)
    }

    func close(_ file: OpenedFile) throws(FileSystemError) {
        try note("close", file.path)
        try base.close(file)
    }

    func rename(_ source: String, to destination: String) throws(FileSystemError) {
        beforeRename?()
        try note("rename", "\(source) -> \(destination)")
        try base.rename(source, to: destination)
    }

    func synchronizeFolder(_ path: String) throws(FileSystemError) {
        try note("fsyncFolder", path)
        try base.synchronizeFolder(path)
    }

    func kind(of path: String) -> FileKind? { base.kind(of: path) }

    func openExisting(_ path: String) throws(FileSystemError) -> OpenedFile {
        try note("openExisting", path)
        return try base.openExisting(path)
    }

    func remove(_ path: String) {
        try? note("remove", path)
        if path.hasSuffix(".journal"), let bytes = FileManager.default.contents(atPath: path) {
            lock.lock()
            removedJournals.append([UInt8](bytes))
            lock.unlock()
        }
        base.remove(path)
    }

    func contentsOfFolder(_ path: String) -> [String] { base.contentsOfFolder(path) }

    func linkDestination(_ path: String) -> String? { base.linkDestination(path) }
}

/// Plans written by hand, one call per profile, the way the planner shapes them.
enum TestPlans {
    static func digest(_ name: String) -> String {
        "sha256:" + SHA256.hexDigest(name)
    }

    /// A launch (or another operation on a profile) of `name` after `dependsOn`.
    static func call(
        _ name: String, _ action: PlannedCall.Action = .launch, after dependsOn: [String] = [], durationMinutes: Int? = nil,
        generation: Int = 1, clientToken: String? = nil
    ) -> PlannedCall {
        let definition = PlannedCall.Definition(
            request: StartChatContactRequest(
                instanceId: "12345678-1234-1234-1234-123456789012", contactFlowId: "846ec553-a005-41c0-8341-0123456789ab",
                participantDetails: .init(displayName: name)),
            digest: digest(name), instance: "12345678-1234-1234-1234-123456789012", durationMinutes: durationMinutes)
        let launch = PlannedCall.Launch(definition: definition, generation: generation, clientToken: clientToken ?? "token-\(name)")
        let operation: PlannedCall.Operation = switch action {
        case .relaunch: .relaunch(launch)
        case .resume: .resume(launch)
        case .unchanged: .unchanged(.init(definition: definition, generation: generation, clientToken: launch.clientToken))
        case .stop: .stop(contact: "contact-\(name)", PlannedCall.Removal(generation: generation, instance: definition.instance))
        case .forget: .forget(PlannedCall.Removal(generation: generation, instance: definition.instance))
        case .launch: .launch(launch)
        }
        return PlannedCall(profile: name, operation: operation, reason: "test", dependsOn: dependsOn, region: "us-east-1")
    }

    static func plan(_ calls: [PlannedCall], serial: Int = 0) -> Plan {
        Plan(calls: calls, lockfileSerial: serial, inputsDigest: "sha256:test")
    }

    /// A started entry, as an earlier apply recorded it.
    static func started(_ name: String, contact: String) -> LockEntry {
        LockEntry(
            digest: digest(name), generation: 1, clientToken: "token-\(name)", status: .started, contactId: contact,
            instance: "12345678-1234-1234-1234-123456789012", attempts: 1)
    }
}

/// Collects apply events from worker tasks.
final class EventLog: @unchecked Sendable {
    // @unchecked: `events` is only touched under `lock`.
    private let lock = NSLock()
    private var events: [ApplyEvent] = []

    func record(_ event: ApplyEvent) {
        lock.lock()
        defer { lock.unlock() }
        events.append(event)
    }

    /// Profiles whose start was announced.
    var started: [String] {
        lock.lock()
        defer { lock.unlock() }
        return events.compactMap { if case .started(let profile, _) = $0 { profile } else { nil } }
    }

    var capacityPauses: Int {
        lock.lock()
        defer { lock.unlock() }
        return events.filter { if case .capacityPaused = $0 { true } else { false } }.count
    }
}
