public import ChatctlAWS
public import ChatctlJSON
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

    public var name: String
    public var labels: [String: String]
    public var file: String
    /// Where the profile's document starts.
    public var location: SourceLocation
    /// The `spec` fields, one or two keys deep (`["participant", "displayName"]`), whose
    /// value the project file's `spec.defaults` supplies (its node lies in another file):
    /// all a plan needs of the merged document, which is not kept (issue 15: a profile
    /// holds no YAML tree past validation).
    public var fromDefaults: Set<[String]>
    /// The StartChatContact request the profile stands for, without a ClientToken and with
    /// its references unresolved (`from:NAME`): what the digest is computed from.
    /// ``LaunchRequest/request(for:contactOf:)`` resolves the references.
    public internal(set) var request: StartChatContactRequest
    /// The bare instance id (`spec.instance`, or its ARN's id), when set.
    public internal(set) var instanceID: String?
    /// The region the profile itself declares: `spec.region`, else the region of the
    /// `instance` or `flow` ARN; `nil` when only the project's region can apply
    /// (``LaunchRequest/declaredRegion(of:projectRegion:)``).
    public internal(set) var ownRegion: String?
    /// `spec.clientToken`, the token chosen by hand, when set.
    public internal(set) var clientToken: String?
    /// The profile whose contact `PersistentChat.SourceContactId` takes
    /// (`persistence.from`), when no literal `sourceContactId` is written.
    public internal(set) var unresolvedPersistenceSource: String?
    /// The profile whose contact `RelatedContactId` takes (`relatedContact.from`), when no
    /// literal `contactId` is written.
    public internal(set) var unresolvedRelatedContact: String?
    /// `spec.duration` in minutes, when set.
    public internal(set) var durationMinutes: Int?
    /// `spec.contentTypes`, or `[text/plain]` when absent.
    public internal(set) var contentTypes: [String]
    public internal(set) var references: [Reference]
    public var relaunch: RelaunchPolicy
    /// `spec.verify`, typed, when the profile has one. Not part of the launch request or
    /// its digest: a profile gaining or changing it is not relaunched.
    public var verify: Conversation? = nil

    /// - Parameter fromDefaults: the `spec` fields the project's defaults supply
    ///   (``fieldsFromDefaults(_:file:)`` of the merged tree, or
    ///   ``fieldsFromDefaults(ownSpec:defaults:)`` of the JSON before the merge).
    init(
        name: String, labels: [String: String], file: String, location: SourceLocation, fromDefaults: Set<[String]>,
        spec: JSONValue, durationMinutes: Int?, contentTypes: [String], references: [Reference], relaunch: RelaunchPolicy,
        verify: Conversation?
    ) {
        let launch = LaunchRequest.Facts(spec: spec, durationMinutes: durationMinutes, contentTypes: contentTypes)
        self.name = name
        self.labels = labels
        self.file = file
        self.location = location
        self.fromDefaults = fromDefaults
        self.request = launch.request
        self.instanceID = launch.instanceID
        self.ownRegion = launch.ownRegion
        self.clientToken = launch.clientToken
        self.unresolvedPersistenceSource = launch.unresolvedPersistenceSource
        self.unresolvedRelatedContact = launch.unresolvedRelatedContact
        self.durationMinutes = durationMinutes
        self.contentTypes = contentTypes
        self.references = references
        self.relaunch = relaunch
        self.verify = verify
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
