/// A plan's calls, in order (``Plan/calls``).
///
/// A plan made from summaries keeps each unchanged call that shows nothing of its profile's
/// definition as the place of that profile's ``ProfileSummary`` with its entry (for the
/// generation and token) and reason: 24 bytes a slot in place of a ``PlannedCall``'s 300, for most of the calls of a
/// large plan (issue 15). The call is made again, the same each time, when it is read. A
/// plan without such calls (every plan from the full profiles) is an array of its calls.
public struct PlannedCalls: RandomAccessCollection, Sendable {
    /// One call: kept whole, or an unchanged one kept by its summary's place.
    private enum Slot: Sendable {
        case kept(Int)
        case unchanged(Unchanged)
    }

    /// What an unchanged call without a definition holds besides its profile's summary.
    struct Unchanged: Sendable {
        /// The summary's index (32 bits: with the reason, 8 bytes before the entry).
        var summary: Int32
        var reason: UnchangedReason
        /// The profile's entry, whose generation and token the call carries: one reference
        /// (to the lockfile's own fields) where the two were 41 bytes.
        var entry: LockEntry
    }

    /// The reasons ``Planner`` gives an unchanged call without a definition (a changed
    /// profile kept by `relaunch: never` has its definition: its line says what changed).
    enum UnchangedReason: UInt8, Sendable {
        case launched
        case stopped

        var text: String {
            switch self {
            case .launched: "launched"
            case .stopped: "stopped"
            }
        }

        /// The reason whose ``text`` is `text`, if any.
        init?(text: String) {
            guard let reason = [Self.launched, .stopped].first(where: { $0.text == text }) else { return nil }
            self = reason
        }
    }

    /// The calls kept whole, in order among themselves.
    private var kept: [PlannedCall] = []
    /// Every call's slot, once one is kept by its summary's place; `nil` while every call
    /// is kept whole (`kept` is then the list).
    private var slots: [Slot]?
    private var capacity = 0
    /// The summaries unchanged calls are kept by.
    private let summaries: [ProfileSummary]

    /// `calls`, each kept whole.
    public init(_ calls: [PlannedCall] = []) {
        summaries = []
        kept = calls
    }

    /// An empty list whose unchanged calls may be kept by their place in `summaries`.
    init(summaries: [ProfileSummary], capacity: Int) {
        self.summaries = summaries
        self.capacity = capacity
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { slots?.count ?? kept.count }

    public subscript(position: Int) -> PlannedCall {
        guard let slots else { return kept[position] }
        switch slots[position] {
        case .kept(let index): return kept[index]
        case .unchanged(let unchanged): return Self.call(unchanged, of: summaries[Int(unchanged.summary)])
        }
    }

    /// How many calls are kept by their summary's place, not whole.
    var countKeptByPlace: Int { slots.map { $0.count - kept.count } ?? 0 }

    /// The action of the call at `position`, without making a call kept by its summary's
    /// place (a plan's counts and its list of changes read every call's action).
    public func action(at position: Int) -> PlannedCall.Action {
        guard let slots else { return kept[position].action }
        switch slots[position] {
        case .kept(let index): return kept[index].action
        case .unchanged: return .unchanged
        }
    }

    /// The calls as an array: shared, not copied, when every call is kept whole (a plan
    /// from the full profiles, which apply runs).
    public var elements: [PlannedCall] { slots == nil ? kept : Array(self) }

    /// What each call, in order, gives the plan's inputs digest: its profile, digest, action
    /// and dependencies. An unchanged call kept by its summary's place gives them from the
    /// summary, without being made again.
    func forEachInputsLine(_ body: (_ profile: String, _ digest: HexDigestText?, _ action: PlannedCall.Action, _ dependsOn: [String]) -> Void) {
        for position in startIndex..<endIndex {
            if let slots, case .unchanged(let unchanged) = slots[position] {
                // As ``call(_:of:)`` makes it.
                let summary = summaries[Int(unchanged.summary)]
                body(summary.name, summary.storedDigest, .unchanged, summary.dependsOn)
            } else {
                let call = self[position]
                body(call.profile, call.storedDigest, call.action, call.dependsOn)
            }
        }
    }

    /// Appends `call`, kept whole.
    mutating func append(_ call: PlannedCall) {
        slots?.append(.kept(kept.count))
        kept.append(call)
    }

    /// Appends the unchanged call of the profile `summaries[summary]`, without a definition.
    mutating func appendUnchanged(summary: Int, reason: UnchangedReason, entry: LockEntry) {
        if slots == nil {
            // The first call kept by its place: the calls so far get their slots.
            var made: [Slot] = []
            made.reserveCapacity(Swift.max(capacity, kept.count + 1))
            made.append(contentsOf: kept.indices.map { Slot.kept($0) })
            slots = made
        }
        slots?.append(.unchanged(Unchanged(summary: Int32(summary), reason: reason, entry: entry)))
    }

    /// The unchanged call kept by its summary's place, made again.
    static func call(_ unchanged: Unchanged, of summary: ProfileSummary) -> PlannedCall {
        PlannedCall(
            profile: summary.name,
            operation: .unchanged(.init(
                definition: nil, storedDigest: summary.storedDigest, generation: unchanged.entry.generation,
                clientToken: unchanged.entry.clientToken)),
            reason: unchanged.reason.text, dependsOn: summary.dependsOn, region: summary.region, location: summary.location)
    }
}

extension ProfileSummary {
    /// The profiles referred to, each once, in the order first referred to: a call's
    /// ``PlannedCall/dependsOn``.
    var dependsOn: [String] {
        var names: [String] = []
        for reference in references where !names.contains(reference.target) { names.append(reference.target) }
        return names
    }
}
