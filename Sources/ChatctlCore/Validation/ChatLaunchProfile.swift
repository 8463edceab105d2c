public import ChatctlJSON
/// A profile that passed validation: its name, labels and merged spec, with the facts
/// later stages need already worked out (duration in minutes, references).
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
    /// The merged `spec`, as JSON.
    public var spec: JSONValue
    /// `spec.duration` in minutes, when set.
    public var durationMinutes: Int?
    /// `spec.contentTypes`, or `[text/plain]` when absent.
    public var contentTypes: [String]
    public var references: [Reference]
    public var relaunch: RelaunchPolicy
    /// `spec.verify`, typed, when the profile has one. Not part of the launch request or
    /// its digest: a profile gaining or changing it is not relaunched.
    public var verify: Conversation? = nil

    /// - Parameter node: the document with project defaults merged; only which of its
    ///   `spec` fields come from another file is kept.
    init(
        name: String, labels: [String: String], file: String, location: SourceLocation, node: YAMLNode, spec: JSONValue,
        durationMinutes: Int?, contentTypes: [String], references: [Reference], relaunch: RelaunchPolicy,
        verify: Conversation?
    ) {
        self.name = name
        self.labels = labels
        self.file = file
        self.location = location
        self.fromDefaults = Self.fieldsFromDefaults(node, file: location.file)
        self.spec = spec
        self.durationMinutes = durationMinutes
        self.contentTypes = contentTypes
        self.references = references
        self.relaunch = relaunch
        self.verify = verify
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
