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
    /// The document with project defaults merged, for positions of any field.
    public var node: YAMLNode
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
}
