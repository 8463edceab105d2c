public import ChatctlAWS

/// One line of a plan: what apply will do for one profile or lock entry, and why.
public struct PlannedCall: Sendable {
    /// The actions of SPEC section 6.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case launch
        case relaunch
        case resume
        case stop
        case forget
        case unchanged

        /// The symbol plan output starts the line with.
        public var symbol: String {
            switch self {
            case .launch: "+"
            case .relaunch: "~"
            case .resume: "↻"
            case .stop, .forget: "-"
            case .unchanged: "="
            }
        }

        /// True for the actions that call Amazon Connect or change the lockfile.
        public var isChange: Bool { self != .unchanged }
    }

    public var profile: String
    public var action: Action
    /// Why, in a short phrase people read (`definition changed`, `no lock entry`).
    public var reason: String
    /// The profile's digest (absent for lock entries without a profile).
    public var digest: String?
    /// The generation this call launches or resumes.
    public var generation: Int?
    /// The ClientToken this call sends.
    public var clientToken: String?
    /// Profiles that must be applied first (references and dependsOn).
    public var dependsOn: [String]
    /// Set when the launch must wait: a persistent chat's source has not ended.
    /// Apply skips the call and says why.
    public var waitingFor: String?
    /// References whose contact id is known only after apply (`relatedContact.from: intake`).
    public var knownAfterApply: [String]
    /// The StartChatContact request, references unresolved, without ClientToken.
    public var request: StartChatContactRequest?
    /// The profile whose contact `PersistentChat.SourceContactId` takes, at apply.
    public var persistenceFrom: String?
    /// The profile whose contact `RelatedContactId` takes, at apply.
    public var relatedContactFrom: String?
    /// The contact StopContact will end: the orphan's, or the replaced one's with prune.
    public var stopContactID: String?
    /// The bare instance id the call goes to.
    public var instance: String?
    /// The region the repository declares for the profile, when it does.
    public var region: String?
    /// The chat duration in minutes, for the lock entry's expiry.
    public var durationMinutes: Int?
    /// Where the profile is written, so failures are reported at its line.
    public var location: SourceLocation?

    public init(profile: String, action: Action, reason: String, dependsOn: [String] = []) {
        self.profile = profile
        self.action = action
        self.reason = reason
        self.dependsOn = dependsOn
        self.knownAfterApply = []
    }
}
