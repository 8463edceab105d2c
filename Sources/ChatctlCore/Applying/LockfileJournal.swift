import Foundation

/// The ``ApplyJournal`` that rewrites the whole lockfile, atomically, for every change
/// (docs/lockfile.md, "Atomic writes and the lock"). Writes are grouped: changes made while a write is under way share
/// the next one.
public actor LockfileJournal: ApplyJournal {
    private var lockfile: Lockfile
    private let store: LockfileStore
    private var bumpedSerial = false
    /// Changes made in memory, and how many of them are on disk.
    private var version = 0
    private var durableVersion = 0
    private var writing = false
    private var waiters: [(version: Int, continuation: CheckedContinuation<LockfileError?, Never>)] = []

    /// A journal starting from `lockfile` (as read), writing through `store`.
    public init(lockfile: Lockfile, store: LockfileStore) {
        self.lockfile = lockfile
        self.store = store
    }

    public func entry(_ profile: String) -> LockEntry? { lockfile.entries[profile] }

    public func snapshot() -> Lockfile { lockfile }

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
            let (next, overflow) = lockfile.serial.addingReportingOverflow(1)
            if overflow { throw .serialExhausted(file: store.path) }
            lockfile.serial = next
            bumpedSerial = true
        }
        lockfile.entries[profile] = entry
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
}
