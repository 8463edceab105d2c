public import ChatctlAWS
import ChatctlJSON
/// A profile that passed validation: its name and labels, with the facts later stages need
/// of its merged spec already worked out by the validation worker (the request, instance,
/// region, duration in minutes, references). The merged `spec` JSON itself is not kept
/// (issue 15: at 100,000 profiles it was most of a plan's memory). The request and the
/// facts it was built from are set together at init, and only there outside this module,
/// so that they cannot disagree (a duration changed after init would be recorded as the
/// chat's expiry but not sent).
public struct ChatLaunchProfile: Sendable {
    /// How a profile refers to another one.
    public struct Reference: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case dependsOn
            case persistence
            case relatedContact
        }
        public var kind: Kind
        public var target: String
        /// The value naming the target, where a problem with it is reported.
        public var location: SourceLocation
    }

    /// `relaunch` policy (docs/plan-and-apply.md, "Relaunch policies").
    public enum RelaunchPolicy: String, Sendable, Hashable {
        case onChange = "on-change"
        case always
        case never
    }

    // A profile is one reference to its fields (copied on write, as an array's elements
    // are): the 100,000 profiles of a plan sit in an array that grows by doubling, and a
    // slot of 8 bytes instead of the fields' 432 is most of that array, its growth slack
    // and the copies its growth makes; a copy of a profile (the planner makes several) is
    // one retain instead of one per reference it holds.
    private var box: FieldsBox

    /// The stored fields (see the public properties of the same names).
    private struct Fields {
        var name: String
        var labels: [String: String]
        var file: String
        var location: SourceLocation
        var fromDefaults: Set<[String]>
        var request: StartChatContactRequest
        var instanceID: String?
        var ownRegion: String?
        var clientToken: String?
        var unresolvedPersistenceSource: String?
        var unresolvedRelatedContact: String?
        var durationMinutes: Int?
        var contentTypes: [String]
        var references: [Reference]
        var relaunch: RelaunchPolicy
        var verify: Conversation?
    }

    /// ``Fields`` behind a reference, shared by copies of the profile until one of them changes.
    private final class FieldsBox: @unchecked Sendable {
        // @unchecked: changed only through ``ChatLaunchProfile/fields``' modify accessor,
        // which makes a copy first unless this profile holds the only reference (copy on
        // write), so no box another thread can see is ever changed.
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// The fields; changing one copies them first when another profile shares them.
    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = FieldsBox(box.fields) }
            yield &box.fields
        }
    }

    public var name: String {
        get { fields.name }
        set { fields.name = newValue }
    }
    public var labels: [String: String] {
        get { fields.labels }
        set { fields.labels = newValue }
    }
    public var file: String {
        get { fields.file }
        set { fields.file = newValue }
    }
    /// Where the profile's document starts.
    public var location: SourceLocation {
        get { fields.location }
        set { fields.location = newValue }
    }
    /// The `spec` fields, one or two keys deep (`["participant", "displayName"]`), whose
    /// value the project file's `spec.defaults` supplies (its node lies in another file):
    /// all a plan needs of the merged document, which is not kept (issue 15: a profile
    /// holds no YAML tree past validation).
    public var fromDefaults: Set<[String]> {
        get { fields.fromDefaults }
        set { fields.fromDefaults = newValue }
    }
    /// The StartChatContact request the profile stands for, without a ClientToken and with
    /// its references unresolved (`from:NAME`): what the digest is computed from.
    /// ``LaunchRequest/request(for:contactOf:)`` resolves the references.
    public internal(set) var request: StartChatContactRequest {
        get { fields.request }
        set { fields.request = newValue }
    }
    /// The bare instance id (`spec.instance`, or its ARN's id), when set.
    public internal(set) var instanceID: String? {
        get { fields.instanceID }
        set { fields.instanceID = newValue }
    }
    /// The region the profile itself declares: `spec.region`, else the region of the
    /// `instance` or `flow` ARN; `nil` when only the project's region can apply
    /// (``LaunchRequest/declaredRegion(of:projectRegion:)``).
    public internal(set) var ownRegion: String? {
        get { fields.ownRegion }
        set { fields.ownRegion = newValue }
    }
    /// `spec.clientToken`, the token chosen by hand, when set.
    public internal(set) var clientToken: String? {
        get { fields.clientToken }
        set { fields.clientToken = newValue }
    }
    /// The profile whose contact `PersistentChat.SourceContactId` takes
    /// (`persistence.from`), when no literal `sourceContactId` is written.
    public internal(set) var unresolvedPersistenceSource: String? {
        get { fields.unresolvedPersistenceSource }
        set { fields.unresolvedPersistenceSource = newValue }
    }
    /// The profile whose contact `RelatedContactId` takes (`relatedContact.from`), when no
    /// literal `contactId` is written.
    public internal(set) var unresolvedRelatedContact: String? {
        get { fields.unresolvedRelatedContact }
        set { fields.unresolvedRelatedContact = newValue }
    }
    /// `spec.duration` in minutes, when set.
    public internal(set) var durationMinutes: Int? {
        get { fields.durationMinutes }
        set { fields.durationMinutes = newValue }
    }
    /// `spec.contentTypes`, or `[text/plain]` when absent.
    public internal(set) var contentTypes: [String] {
        get { fields.contentTypes }
        set { fields.contentTypes = newValue }
    }
    public internal(set) var references: [Reference] {
        get { fields.references }
        set { fields.references = newValue }
    }
    public var relaunch: RelaunchPolicy {
        get { fields.relaunch }
        set { fields.relaunch = newValue }
    }
    /// `spec.verify`, typed, when the profile has one. Not part of the launch request or
    /// its digest: a profile gaining or changing it is not relaunched.
    public var verify: Conversation? {
        get { fields.verify }
        set { fields.verify = newValue }
    }

    /// - Parameter fromDefaults: the `spec` fields the project's defaults supply
    ///   (``fieldsFromDefaults(_:file:)`` of the merged tree, or
    ///   ``fieldsFromDefaults(ownSpec:defaults:)`` of the JSON before the merge).
    /// - Parameter labels: as kept in `shared` (``ProfileValidator/ProfileParts`` keeps them).
    /// - Parameter launch: what the launch needs of the profile's merged `spec`, worked out
    ///   with `durationMinutes` and `contentTypes`.
    /// - Parameter shared: the values repeated across the load's profiles; the fields from
    ///   the defaults are kept there once (``LaunchRequest/Facts`` kept the request's
    ///   repeated parts there).
    init(
        name: String, labels: [String: String], file: String, location: SourceLocation, fromDefaults: Set<[String]>,
        launch: LaunchRequest.Facts, durationMinutes: Int?, contentTypes: [String], references: [Reference],
        relaunch: RelaunchPolicy, verify: Conversation?, shared: SharedProfileValues
    ) {
        box = FieldsBox(Fields(
            name: name, labels: labels, file: file, location: location,
            fromDefaults: shared.fields(fromDefaults), request: launch.request, instanceID: launch.instanceID, ownRegion: launch.ownRegion,
            clientToken: launch.clientToken, unresolvedPersistenceSource: launch.unresolvedPersistenceSource,
            unresolvedRelatedContact: launch.unresolvedRelatedContact, durationMinutes: durationMinutes,
            contentTypes: contentTypes, references: references, relaunch: relaunch, verify: verify))
    }

    /// The contact ids the profile writes literally (`persistence.sourceContactId`, then
    /// `relatedContact.contactId`): chats that exist before any apply.
    public var literalContactIDs: [String] {
        [
            unresolvedPersistenceSource == nil ? request.persistentChat?.sourceContactId : nil,
            unresolvedRelatedContact == nil ? request.relatedContactId : nil,
        ].compactMap { $0 }
    }

    /// The `spec` fields, one and two keys deep, that merging `defaults` (the project's
    /// `spec.defaults`) under `ownSpec` (a profile's own `spec`) takes from the defaults:
    /// what ``fieldsFromDefaults(_:file:)`` finds in the merged tree, for the one pass
    /// from events to JSON, which keeps no positions. The merge is
    /// ``YAMLJSONComposer/merge(_:over:)``'s: a field the profile sets keeps the
    /// profile's value (and, when both are mappings, gains the keys only the defaults set).
    static func fieldsFromDefaults(ownSpec: [String: JSONValue], defaults: [String: JSONValue]) -> Set<[String]> {
        var fields = Set<[String]>()
        for (key, inherited) in defaults {
            guard let own = ownSpec[key] else {
                fields.insert([key])
                if case .object(let inheritedInner) = inherited {
                    for inner in inheritedInner.keys { fields.insert([key, inner]) }
                }
                continue
            }
            guard case .object(let ownInner) = own, case .object(let inheritedInner) = inherited else { continue }
            for inner in inheritedInner.keys where ownInner[inner] == nil { fields.insert([key, inner]) }
        }
        return fields
    }

    /// What ``fieldsFromDefaults(ownSpec:defaults:)`` depends on, as bits: for each field of
    /// `defaults` in its order, whether `ownSpec` sets it and, when the default is a
    /// mapping, whether the profile's value is one too and which of the default's keys it
    /// sets. Two specs with one shape over the same `defaults` value (whose order is that
    /// of its storage) take the same fields from it. `nil` past 64 bits.
    static func defaultsShape(ownSpec: [String: JSONValue], defaults: [String: JSONValue]) -> UInt64? {
        var shape: UInt64 = 0
        var bit = 0
        func mark(_ isSet: Bool) -> Bool {
            guard bit < 64 else { return false }
            if isSet { shape |= 1 << UInt64(bit) }
            bit += 1
            return true
        }
        for (key, inherited) in defaults {
            let own = ownSpec[key]
            guard mark(own != nil) else { return nil }
            guard case .object(let inheritedInner) = inherited else { continue }
            guard case .object(let ownInner)? = own else {
                guard mark(false) else { return nil }
                continue
            }
            guard mark(true) else { return nil }
            for inner in inheritedInner.keys {
                guard mark(ownInner[inner] != nil) else { return nil }
            }
        }
        return shape
    }

    /// The `spec` fields of `node`, one and two keys deep, whose node lies outside `file`.
    static func fieldsFromDefaults(_ node: YAMLNode, file: String) -> Set<[String]> {
        var fields = Set<[String]>()
        for field in node["spec"]?.entries ?? [] {
            if field.value.location.file != file { fields.insert([field.key]) }
            for inner in field.value.entries ?? [] where inner.value.location.file != file {
                fields.insert([field.key, inner.key])
            }
        }
        return fields
    }
}

// The stored fields sit behind a reference (see `ChatLaunchProfile.box`): a mirror of the
// public fields keeps `dump`, debuggers and test failures showing a profile's values, not
// its box.
extension ChatLaunchProfile: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "labels": labels, "file": file, "location": location, "fromDefaults": fromDefaults,
                "request": request, "instanceID": instanceID as Any, "ownRegion": ownRegion as Any,
                "clientToken": clientToken as Any, "unresolvedPersistenceSource": unresolvedPersistenceSource as Any,
                "unresolvedRelatedContact": unresolvedRelatedContact as Any, "durationMinutes": durationMinutes as Any,
                "contentTypes": contentTypes, "references": references, "relaunch": relaunch, "verify": verify as Any,
            ],
            displayStyle: .struct)
    }
}
