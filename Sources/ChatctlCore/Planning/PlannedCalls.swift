/// A plan's calls, in order (``Plan/calls``).
///
/// A plan made from summaries keeps each unchanged call that shows nothing of its profile's
/// definition as the place of that profile's ``ProfileSummary`` with its entry (for the
/// generation and token) and reason: 16 bytes a slot in place of a ``PlannedCall``'s 300, for most of the calls of a
/// large plan (issue 15). The call is made again, the same each time, when it is read. A
/// plan without such calls (every plan from the full profiles) is an array of its calls.
public struct PlannedCalls: RandomAccessCollection, Sendable {
    /// One call: kept whole (no reason), or an unchanged one kept by its summary's place.
    ///
    /// A struct, not an enum with a payload for each kind: such an enum keeps its case in
    /// the spare bits of the entry's reference, which the address sanitizer's leak check
    /// does not see, and `plan` leaves without freeing its calls (PlanCommand). Once a
    /// lookup of an entry kept in a row made the entry's box (``KeptEntryRows``), a slot
    /// was its only holder, and every such box was reported leaked.
    private struct Slot: Sendable {
        /// The call's index among those kept whole, or the summary's of an unchanged one
        /// (32 bits: with the reason, 8 bytes before the entry).
        var index: Int32
        /// Set for an unchanged call kept by its summary's place.
        var reason: UnchangedReason?
        /// The profile's entry, whose generation and token an unchanged call carries: one
        /// reference (to the lockfile's own fields) where the two were 41 bytes.
        var entry: LockEntry?

        static func kept(_ index: Int) -> Slot { Slot(index: Int32(index), reason: nil, entry: nil) }
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
        let slot = slots[position]
        guard let reason = slot.reason, let entry = slot.entry else { return kept[Int(slot.index)] }
        return Self.unchangedCall(of: summaries[Int(slot.index)], reason: reason, entry: entry)
    }

    /// How many calls are kept by their summary's place, not whole.
    var countKeptByPlace: Int { slots.map { $0.count - kept.count } ?? 0 }

    /// The action of the call at `position`, without making a call kept by its summary's
    /// place (a plan's counts and its list of changes read every call's action).
    public func action(at position: Int) -> PlannedCall.Action {
        guard let slots else { return kept[position].action }
        let slot = slots[position]
        return slot.reason == nil ? kept[Int(slot.index)].action : .unchanged
    }

    /// The calls as an array: shared, not copied, when every call is kept whole (a plan
    /// from the full profiles, which apply runs).
    public var elements: [PlannedCall] { slots == nil ? kept : Array(self) }

    /// What each call, in order, gives the plan's inputs digest: its profile, digest, action
    /// and dependencies. An unchanged call kept by its summary's place gives them from the
    /// summary, without being made again.
    func forEachInputsLine(_ body: (_ profile: String, _ digest: HexDigestText?, _ action: PlannedCall.Action, _ dependsOn: [String]) -> Void) {
        for position in startIndex..<endIndex {
            if let slots, slots[position].reason != nil {
                // As ``unchangedCall(of:reason:entry:)`` makes it.
                let summary = summaries[Int(slots[position].index)]
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
        slots?.append(Slot(index: Int32(summary), reason: reason, entry: entry))
    }

    /// The unchanged call kept by its summary's place, made again.
    static func unchangedCall(of summary: ProfileSummary, reason: UnchangedReason, entry: LockEntry) -> PlannedCall {
        PlannedCall(
            profile: summary.name,
            operation: .unchanged(.init(
                definition: nil, storedDigest: summary.storedDigest, generation: entry.generation,
                clientToken: entry.clientToken)),
            reason: reason.text, dependsOn: summary.dependsOn, region: summary.region, location: summary.location)
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
