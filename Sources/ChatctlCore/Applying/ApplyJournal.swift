/// Where apply records each step as it happens (docs/plan-and-apply.md, "Crash safety and resuming"): a change is on disk
/// before ``record(_:for:)`` returns, so a crash loses nothing already answered.
///
/// ``LockfileJournal`` appends each change to the lockfile's write-ahead journal and
/// folds it into the lockfile at the end; tests record in memory instead, without the
/// ``Applier`` knowing.
public protocol ApplyJournal: Sendable {
    /// The entry recorded for `profile` so far in this apply.
    func entry(_ profile: String) async -> LockEntry?

    /// Sets (with `nil`, removes) `profile`'s entry, and returns once it is durable.
    /// - Throws: ``LockfileError`` when it could not be written; the change is then not
    ///   durable, and apply stops scheduling.
    func record(_ entry: LockEntry?, for profile: String) async throws(LockfileError)

    /// The lockfile as recorded so far.
    func snapshot() async -> Lockfile
}
