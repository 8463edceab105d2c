import ChatctlAWS
import Foundation

/// The ``ApplyJournal`` of a real apply: every change is appended to the lockfile's
/// write-ahead journal (`<lockfile>.journal`, docs/lockfile.md, "The journal") with one
/// fsync, and the journal is folded into the lockfile — written whole, atomically, as before
/// — when it has grown larger than the lockfile, and at the end of the run (``finish()``).
///
/// So a change costs its own bytes on disk, not the lockfile's: the folds cost the
/// lockfile's size each time the journal has grown by as much, O(1) per change amortised.
/// Writes are grouped: changes made while a write is under way share the next record.
/// The lockfile's bytes are kept per entry (``IncrementalLockfile``): a fold writes exactly
/// `LockfileCodec.encode` of the state without encoding it again, and a record takes its
/// entries' bytes from there.
public actor LockfileJournal: ApplyJournal {
    private var state: IncrementalLockfile
    private let store: LockfileStore
    private var bumpedSerial = false
    /// Changes made in memory, and how many of them are on disk.
    private var version = 0
    private var durableVersion = 0
    private var writing = false
    private var waiters: [(version: Int, continuation: CheckedContinuation<LockfileError?, Never>)] = []
    /// Profiles changed since the last record, each once, in the order they changed.
    private var changed: [String] = []
    private var changedNames: Set<String> = []
    /// The top-level members changed since the last record (the serial, with the first change).
    private var topChanged = false
    /// The journal being appended to: `nil` before the first record and after each fold.
    private var journal: OpenedFile?
    private var journalSize = 0
    /// What the journal continues: the lockfile on disk (its SHA-256, or "none") and its size;
    /// read at the first record, then known from each fold.
    private var base: (digest: String, size: Int)?
    /// Set when the journal has outgrown the lockfile, or when an append failed (its tail
    /// is then unknown): the next write folds everything into the lockfile instead.
    private var mustFold = false
    /// An append failed: the journal may end in part of that record, after `journalSize`
    /// bytes that are known good.
    private var tailUnknown = false

    /// A journal starting from `lockfile` (as read), writing through `store`. A journal
    /// left by an earlier run must have been folded in first (``LockfileStore/foldJournal()``).
    public init(lockfile: Lockfile, store: LockfileStore) {
        state = IncrementalLockfile(lockfile, codec: store.codec)
        self.store = store
    }

    public func entry(_ profile: String) -> LockEntry? { state.lockfile.entries[profile] }

    public func snapshot() -> Lockfile { state.lockfile }

    /// Sets (or with `nil`, removes) a profile's entry, and returns once it is durable: in
    /// the journal (fsynced), or in the lockfile when this write folded the journal in.
    ///
    /// Group commit: one record carries every change made before it is written, so workers
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
            topChanged = true
        }
        state.setEntry(entry, for: profile)
        if changedNames.insert(profile).inserted { changed.append(profile) }
        version += 1
        if let error = await durable(version) { throw error }
    }

    /// Folds the journal into the lockfile, so the run leaves one file (the end of every
    /// apply: finished, failed or interrupted). Does nothing when nothing was recorded.
    /// - Returns: the error when the lockfile could not be written; every change made
    ///   durable before is still in the journal, which the next command folds in.
    public func finish() async -> LockfileError? {
        guard journal != nil || mustFold || writing else { return nil }
        // A write of its own, in turn with any under way.
        mustFold = true
        version += 1
        return await durable(version)
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
            let target = version
            if base == nil {
                switch await Self.offActor({ [store] () throws(LockfileError) in try store.currentBase() }) {
                case .success(let current): base = current
                case .failure(let error):
                    failure = error
                    continue
                }
            }
            // Without a lockfile on disk any journal is larger than it: the first write
            // creates the lockfile, as it always did.
            failure = mustFold || base?.size == 0 ? await fold() : await appendRecord()
            if failure == nil { durableVersion = target }
        }
        writing = false
        // A change made durable by an earlier round of this write is durable, whatever a
        // later round met: only the changes not on disk get the failure.
        let ready = waiters.filter { failure != nil || $0.version <= durableVersion }
        waiters.removeAll { failure != nil || $0.version <= durableVersion }
        for waiter in ready { waiter.continuation.resume(returning: waiter.version <= durableVersion ? nil : failure) }
        return wanted <= durableVersion ? nil : failure
    }

    /// Appends one record of the changes since the last, creating the journal first if
    /// there is none (``base`` is known by then); encoded here, on the actor, and written
    /// off it.
    private func appendRecord() async -> LockfileError? {
        let opening = journal == nil
        let top = opening || topChanged ? LockfileJournalFile.top(of: state.lockfile, codec: store.codec) : nil
        let record = LockfileJournalFile.record(
            base: opening ? base?.digest : nil, top: top,
            changes: changed.map { name in (name, state.entryJSON(for: name)) })
        let written = changed
        let wroteTop = topChanged
        changed.removeAll(keepingCapacity: true)
        changedNames.removeAll(keepingCapacity: true)
        topChanged = false
        let repairFrom = tailUnknown ? journalSize : nil
        let result = await Self.offActor { [store, journal] () throws(LockfileError) -> OpenedFile in
            guard let journal else { return try store.createJournal(record) }
            try store.append(record, to: journal, truncatingTo: repairFrom)
            return journal
        }
        switch result {
        case .success(let file):
            journal = file
            tailUnknown = false
            journalSize += record.count + (opening ? LockfileJournalFile.magic.count : 0)
            // Geometric: folding costs the lockfile's size, paid once the journal has grown
            // by as much.
            if journalSize > base?.size ?? 0 { mustFold = true }
            return nil
        case .failure(let error):
            // The record may be partly written: the next append first cuts the journal
            // back to its known good bytes, and the next write folds. Its changes are not
            // on disk: the next record carries them again (ahead of any made meanwhile), so
            // the journal never ends on an older value of an entry than the lockfile's.
            mustFold = true
            tailUnknown = journal != nil
            let meanwhile = changed.filter { !written.contains($0) }
            changed = written + meanwhile
            changedNames.formUnion(written)
            topChanged = topChanged || wroteTop
            return error
        }
    }

    /// Writes the whole lockfile (atomically, as ``LockfileStore/write(_:)``), which then
    /// removes the journal; the next record starts a new one.
    ///
    /// The changes since the last record are appended first: a kill between the lockfile's
    /// rename and the journal's removal leaves both files, and a reader takes the pair as
    /// already folded only when replaying the journal onto the new lockfile changes nothing
    /// (``LockfileStore/readReplayingJournal()``), which holds only if the journal has every
    /// change the lockfile has. Should that append fail, the fold still goes ahead: the
    /// lockfile then holds the changes, and only a kill in that window would leave a pair
    /// the reader refuses (and says why), never a lost record.
    private func fold() async -> LockfileError? {
        if journal != nil, !changed.isEmpty || topChanged {
            _ = await appendRecord()
        }
        // These bytes hold every change made so far, and no other: a change made while
        // they are written (the actor is free meanwhile) stays in `changed` for the next
        // record. Cleared only after the write, such a change was acknowledged by the next
        // round without ever reaching the disk, and a kill then lost a `pending` entry whose
        // request had left: a second chat on the next run.
        let bytes = state.encoded()
        let folded = changed
        let foldedTop = topChanged
        changed.removeAll(keepingCapacity: true)
        changedNames.removeAll(keepingCapacity: true)
        topChanged = false
        let result = await Self.offActor { [store, journal] () throws(LockfileError) in
            if let journal { store.close(journal) }
            try store.write(encoded: bytes)
        }
        journal = nil
        journalSize = 0
        tailUnknown = false
        if case .failure(let error) = result {
            mustFold = true
            let meanwhile = changed.filter { !folded.contains($0) }
            changed = folded + meanwhile
            changedNames.formUnion(folded)
            topChanged = topChanged || foldedTop
            return error
        }
        mustFold = false
        base = (SHA256.hexDigest(bytes), bytes.count)
        return nil
    }

    /// Runs `work` on a Dispatch thread: fsync blocks, and the cooperative pool has a
    /// thread per core.
    private static func offActor<Value: Sendable>(
        _ work: @escaping @Sendable () throws(LockfileError) -> Value
    ) async -> Result<Value, LockfileError> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, LockfileError>, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                do throws(LockfileError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }
}
