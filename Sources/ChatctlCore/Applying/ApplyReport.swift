/// What apply did, one result per planned call (docs/plan-and-apply.md, "Apply output").
public struct ApplyReport: Sendable {
    public struct Result: Sendable {
        public enum Outcome: String, Sendable, Hashable, CaseIterable {
            case started
            case failed
            case skipped
            case stopped
            case forgotten
            case unchanged
        }

        public var profile: String
        public var action: PlannedCall.Action
        public var outcome: Outcome
        /// `apply --verify`: the conversation over the launched chat, when it ran.
        public var verification: VerificationOutcome?
        public var contactId: String?
        /// The chat a relaunch replaced and stopped (with prune), or found already ended.
        public var stoppedContactId: String?
        public var generation: Int?
        /// Why it failed or was skipped.
        public var message: String?
        /// What Amazon Connect answered, when it refused or the outcome is unknown.
        public var error: LaunchFailure?
        /// What apply could not record, apart from what Amazon Connect answered.
        public var applyError: ApplyError?
        public var location: SourceLocation?

        /// A result for `call`, with nothing known yet but its outcome.
        init(_ call: PlannedCall, outcome: Outcome, message: String? = nil) {
            profile = call.profile
            action = call.action
            self.outcome = outcome
            generation = call.generation
            self.message = message
            location = call.location
        }

        /// A failure of apply itself (the journal), said as such.
        init(_ call: PlannedCall, failure: ApplyError) {
            self.init(call, outcome: .failed, message: failure.message)
            applyError = failure
        }
    }

    /// In plan order.
    public var results: [Result]
    /// Where the lockfile was written, when anything changed.
    public var lockfilePath: String
    /// The lockfile's serial after apply.
    public var serial: Int
    /// Why apply stopped scheduling early, if it did.
    public var stopReason: StopReason?
    /// Why the journal could not be folded into the lockfile at the end, if it could not:
    /// every result made durable is then in `<lockfile>.journal`, which the next command
    /// that reads the lockfile replays (docs/lockfile.md, "The journal").
    public var journalNotFolded: LockfileError?

    /// How many results of each outcome; `stopped` also counts the chats relaunches
    /// replaced and stopped (a relaunch with prune stops one chat and starts another).
    public var summary: [Result.Outcome: Int] { Self.summary(of: results) }

    /// The counts of ``summary`` for any results.
    public static func summary(of results: [Result]) -> [Result.Outcome: Int] {
        var counts: [Result.Outcome: Int] = [:]
        for outcome in Result.Outcome.allCases { counts[outcome] = 0 }
        for result in results {
            counts[result.outcome, default: 0] += 1
            if result.outcome != .stopped, result.stoppedContactId != nil { counts[.stopped, default: 0] += 1 }
        }
        return counts
    }

    /// True when some profile failed (exit code 3).
    public var hasFailures: Bool { results.contains { $0.outcome == .failed } }
}

/// Progress of an apply, for a live line on a terminal or log lines in CI.
public enum ApplyEvent: Sendable {
    /// A call starts (after its write-ahead entry is on disk).
    case started(profile: String, action: PlannedCall.Action)
    case finished(ApplyReport.Result)
    /// The active-chat quota is full: new launches pause.
    case capacityPaused(profile: String, message: String)
}
