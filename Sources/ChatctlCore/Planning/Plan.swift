/// What apply will do, as plain data: apply executes exactly the plan that was printed
/// (docs/plan-and-apply.md, "Actions and their reasons"). Calls are in dependency order, orphaned lock entries last.
public struct Plan: Sendable {
    public static let formatVersion = 1

    public var calls: PlannedCalls
    /// The lockfile serial the plan was made against; a saved plan is stale once it moved.
    public var lockfileSerial: Int
    /// `sha256:` over everything the plan was computed from (profiles' digests, names,
    /// policies and references, and the plan options): a saved plan is stale once it differs.
    public var inputsDigest: String

    public init(calls: [PlannedCall], lockfileSerial: Int, inputsDigest: String) {
        self.init(calls: PlannedCalls(calls), lockfileSerial: lockfileSerial, inputsDigest: inputsDigest)
    }

    init(calls: PlannedCalls, lockfileSerial: Int, inputsDigest: String) {
        self.calls = calls
        self.lockfileSerial = lockfileSerial
        self.inputsDigest = inputsDigest
    }

    /// How many calls of each action.
    public var summary: [PlannedCall.Action: Int] {
        var counts: [PlannedCall.Action: Int] = [:]
        for action in PlannedCall.Action.allCases { counts[action] = 0 }
        for position in calls.indices { counts[calls.action(at: position), default: 0] += 1 }
        return counts
    }

    /// True when applying would call Amazon Connect or change the lockfile.
    public var hasChanges: Bool { calls.indices.contains { calls.action(at: $0).isChange } }

    /// The calls that call Amazon Connect or change the lockfile, in order (the others are
    /// not made: most of a large plan's calls are kept by their summary's place).
    public var changes: [PlannedCall] { calls.indices.filter { calls.action(at: $0).isChange }.map { calls[$0] } }
}

/// Choices that shape a plan (the flags of docs/plan-and-apply.md).
public struct PlanOptions: Sendable, Hashable {
    /// `--target`: only these profiles (and what they depend on).
    public var targets: [String] = []
    /// `--replace`: relaunch these even if unchanged.
    public var replace: [String] = []
    /// `--selector`: only profiles whose labels match.
    public var selector: LabelSelector?
    /// `--prune` or the project's `apply.prune`: stop chats of removed or replaced profiles.
    public var prune = false
    /// The project file's `spec.region`.
    public var projectRegion: String?

    public init() {}
}
