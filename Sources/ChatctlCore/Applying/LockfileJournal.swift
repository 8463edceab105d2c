import Foundation

/// The ``ApplyJournal`` that rewrites the whole lockfile, atomically, for every change
/// (docs/lockfile.md, "Atomic writes and the lock"). Writes are grouped: changes made while a write is under way share
/// the next one.
///
/// The file's bytes are kept per entry (``IncrementalLockfile``), so a change costs the
/// encoding of the entries it touched, not of the whole lockfile; the file written is the
/// same deterministic document either way, so a crash leaves the old or the new lockfile
/// as before.
public actor LockfileJournal: ApplyJournal {
    private var state: IncrementalLockfile
    private let store: LockfileStore
    private var bumpedSerial = false
    /// Changes made in memory, and how many of them are on disk.
    private var version = 0
    private var durableVersion = 0
    private var writing = false
    private var waiters: [(version: Int, continuation: CheckedContinuation<LockfileError?, Never>)] = []

    /// A journal starting from `lockfile` (as read), writing through `store`.
    public init(lockfile: Lockfile, store: LockfileStore) {
        state = IncrementalLockfile(lockfile, codec: store.codec)
        self.store = store
    }

    public func entry(_ profile: String) -> LockEntry? { state.lockfile.entries[profile] }

    public func snapshot() -> Lockfile { state.lockfile }

    /// Sets (or with `nil`, removes) a profile's entry, and returns once the lockfile on
    /// disk holds the change.
    ///
    /// Group commit: one write carries every change made before it starts, so workers
    /// that change the lockfile at the same moment share one fsync instead of queueing
    /// for one each; every caller still waits until its own change is durable.
    public func record(_ entry: LockEntry?, for profile: String) async throws(LockfileError) {
        if !bumpedSerial {
            // One serial per apply that changes anything; a hand-edited serial at the
            // largest integer is refused rather than wrapped.
            let (next, overflow) = state.lockfile.serial.addingReportingOverflow(1)
            if overflow { throw .serialExhausted(file: store.path) }
            state.setSerial(next)
            bumpedSerial = true
        }
        state.setEntry(entry, for: profile)
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
            // Encoded here, on the actor, from the parts kept; written off it.
            let bytes = state.encoded()
            let target = version
            failure = await Self.write(bytes, to: store)
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
    private static func write(_ bytes: [UInt8], to store: LockfileStore) async -> LockfileError? {
        await withCheckedContinuation { (continuation: CheckedContinuation<LockfileError?, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                do throws(LockfileError) {
                    try store.write(encoded: bytes)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
    }
}
