public import ChatctlAWS

/// One line of a plan: what apply will do for one profile or lock entry, and why.
///
/// What the call does is its ``operation``, and each operation carries exactly what it
/// needs (a launch its request and token, a stop its contact): a launch without a
/// request, or a stop without a contact, cannot be written down.
public struct PlannedCall: Sendable {
    /// The actions of docs/plan-and-apply.md ("Actions and their reasons").
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

    /// A profile's definition as planned: the request and its digest.
    public struct Definition: Sendable {
        /// The StartChatContact request, references unresolved, without ClientToken.
        public var request: StartChatContactRequest
        /// The profile's digest.
        public var digest: String {
            get { storedDigest.text }
            set { storedDigest = HexDigestText(newValue) }
        }
        /// ``digest`` as its 32 bytes: 40 bytes in the call rather than a `String` and its
        /// heap text, for each of a large plan's calls.
        var storedDigest: HexDigestText
        /// The bare instance id the call goes to.
        public var instance: String?
        /// The chat duration in minutes, for the lock entry's expiry.
        public var durationMinutes: Int?
        /// The profile whose contact `PersistentChat.SourceContactId` takes, at apply.
        public var persistenceFrom: String?
        /// The profile whose contact `RelatedContactId` takes, at apply.
        public var relatedContactFrom: String?
        /// What the lock entry records of each member (``RequestMembers``), keyed with the
        /// lockfile's salt; `nil` when the lockfile has no salt (plan of an older lockfile),
        /// and for an unchanged profile whose entry already records them (nothing reads them).
        public var members: [String: MemberRecord]?
        /// The profile's `spec.verify`, which `apply --verify` runs after the launch (not
        /// part of the digest).
        public var verify: Conversation?

        public init(
            request: StartChatContactRequest, digest: String, instance: String?, durationMinutes: Int? = nil,
            persistenceFrom: String? = nil, relatedContactFrom: String? = nil, members: [String: MemberRecord]? = nil,
            verify: Conversation? = nil
        ) {
            self.init(
                request: request, storedDigest: HexDigestText(digest), instance: instance, durationMinutes: durationMinutes,
                persistenceFrom: persistenceFrom, relatedContactFrom: relatedContactFrom, members: members, verify: verify)
        }

        init(
            request: StartChatContactRequest, storedDigest: HexDigestText, instance: String?, durationMinutes: Int?,
            persistenceFrom: String?, relatedContactFrom: String?, members: [String: MemberRecord]?,
            verify: Conversation?
        ) {
            self.members = members
            self.verify = verify
            self.request = request
            self.storedDigest = storedDigest
            self.instance = instance
            self.durationMinutes = durationMinutes
            self.persistenceFrom = persistenceFrom
            self.relatedContactFrom = relatedContactFrom
        }
    }

    /// What a launch, relaunch or resume sends and records.
    public struct Launch: Sendable {
        public var definition: Definition
        /// The generation this call launches or resumes.
        public var generation: Int
        /// The ClientToken this call sends.
        public var clientToken: String
        /// Set when the launch must wait: a persistent chat's source has not ended.
        /// Apply skips the call and says why.
        public var waitingFor: String?
        /// References whose contact id is known only after apply (`relatedContact.from: intake`).
        public var knownAfterApply: [String]
        /// The running chat this launch replaces, recorded in the pending entry so that no
        /// crash or refusal loses it; with `then: .stop` (prune), StopContact once the new
        /// chat has started.
        public var replacing: LockEntry.Replacement?

        public init(
            definition: Definition, generation: Int, clientToken: String, waitingFor: String? = nil,
            knownAfterApply: [String] = [], replacing: LockEntry.Replacement? = nil
        ) {
            self.definition = definition
            self.generation = generation
            self.clientToken = clientToken
            self.waitingFor = waitingFor
            self.knownAfterApply = knownAfterApply
            self.replacing = replacing
        }
    }

    /// A lock entry whose profile is gone: its chat is stopped (with prune) or forgotten.
    public struct Removal: Sendable {
        /// The entry's generation.
        public var generation: Int
        /// The bare instance id of its chat, when recorded.
        public var instance: String?
        /// Why the entry is kept rather than forgotten (a pending entry whose chat chatctl
        /// cannot find without its profile): apply skips it and says this.
        public var held: String?

        public init(generation: Int, instance: String?, held: String? = nil) {
            self.generation = generation
            self.instance = instance
            self.held = held
        }
    }

    /// A profile with nothing to do: its digest, the generation and token its entry
    /// recorded, and its definition for display.
    public struct Unchanged: Sendable {
        /// `nil` in a plan made from profile summaries
        /// (``Planner/plan(summaries:projectRegion:lockfile:options:now:reload:)``): `plan`'s
        /// text and Markdown output, which show no request of an unchanged profile, do not
        /// load it again.
        public var definition: Definition?
        var storedDigest: HexDigestText
        public var generation: Int
        public var clientToken: String

        public init(definition: Definition, generation: Int, clientToken: String) {
            self.init(definition: definition, storedDigest: definition.storedDigest, generation: generation, clientToken: clientToken)
        }

        init(definition: Definition?, storedDigest: HexDigestText, generation: Int, clientToken: String) {
            self.definition = definition
            self.storedDigest = storedDigest
            self.generation = generation
            self.clientToken = clientToken
        }

        /// The profile's digest.
        public var digest: String { storedDigest.text }
    }

    /// What the call does, with what it needs.
    ///
    /// A launch's payload is boxed (`indirect`): launches are the few calls of a large plan,
    /// and unboxed their payload (the largest) would set the size of every unchanged call.
    public enum Operation: Sendable {
        indirect case launch(Launch)
        indirect case relaunch(Launch)
        indirect case resume(Launch)
        /// StopContact of `contact`, then the entry is forgotten.
        case stop(contact: String, Removal)
        case forget(Removal)
        /// Nothing to do.
        case unchanged(Unchanged)
    }

    public var profile: String
    /// Why, in a short phrase people read (`definition changed`, `no lock entry`).
    public var reason: String
    /// Profiles that must be applied first (references and dependsOn).
    public var dependsOn: [String]
    /// The region the repository declares for the profile, when it does.
    public var region: String?
    /// Where the profile is written, so failures are reported at its line.
    public var location: SourceLocation?
    public var operation: Operation
    /// The members that changed since the entry's chat was launched, when the entry
    /// recorded them and the definition changed; empty otherwise (the plan then says only
    /// why, as before members were recorded).
    public var changes: [MemberChange] = []

    public init(
        profile: String, operation: Operation, reason: String, dependsOn: [String] = [], region: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.profile = profile
        self.operation = operation
        self.reason = reason
        self.dependsOn = dependsOn
        self.region = region
        self.location = location
    }
}

// MARK: Reading the payload

extension PlannedCall {
    public var action: Action {
        switch operation {
        case .launch: .launch
        case .relaunch: .relaunch
        case .resume: .resume
        case .stop: .stop
        case .forget: .forget
        case .unchanged: .unchanged
        }
    }

    /// The launch payload of a launch, relaunch or resume.
    public var launch: Launch? {
        switch operation {
        case .launch(let launch), .relaunch(let launch), .resume(let launch): launch
        default: nil
        }
    }

    /// The profile's definition (absent for lock entries without a profile).
    public var definition: Definition? {
        switch operation {
        case .launch(let launch), .relaunch(let launch), .resume(let launch): launch.definition
        case .unchanged(let unchanged): unchanged.definition
        case .stop, .forget: nil
        }
    }

    /// The profile's digest (absent for lock entries without a profile).
    public var digest: String? { storedDigest?.text }

    /// ``digest`` as its bytes.
    var storedDigest: HexDigestText? {
        // Read in place: going through `definition` copies the whole definition out.
        switch operation {
        case .launch(let launch), .relaunch(let launch), .resume(let launch): launch.definition.storedDigest
        case .unchanged(let unchanged): unchanged.storedDigest
        case .stop, .forget: nil
        }
    }
    /// The StartChatContact request, references unresolved, without ClientToken.
    public var request: StartChatContactRequest? { definition?.request }
    /// The profile whose contact `PersistentChat.SourceContactId` takes, at apply.
    public var persistenceFrom: String? { definition?.persistenceFrom }
    /// The profile whose contact `RelatedContactId` takes, at apply.
    public var relatedContactFrom: String? { definition?.relatedContactFrom }
    /// The chat duration in minutes, for the lock entry's expiry.
    public var durationMinutes: Int? { definition?.durationMinutes }

    /// The generation this call launches, resumes or finds recorded.
    public var generation: Int? {
        switch operation {
        case .launch(let launch), .relaunch(let launch), .resume(let launch): launch.generation
        case .unchanged(let unchanged): unchanged.generation
        case .stop(_, let removal), .forget(let removal): removal.generation
        }
    }

    /// The ClientToken this call sends (or, unchanged, the one recorded).
    public var clientToken: String? {
        switch operation {
        case .launch(let launch), .relaunch(let launch), .resume(let launch): launch.clientToken
        case .unchanged(let unchanged): unchanged.clientToken
        case .stop, .forget: nil
        }
    }

    /// The bare instance id the call goes to.
    public var instance: String? {
        switch operation {
        case .stop(_, let removal), .forget(let removal): removal.instance
        default: definition?.instance
        }
    }

    /// Set when the launch must wait, or a removed profile's entry is held: apply skips the
    /// call and says why.
    public var waitingFor: String? {
        switch operation {
        case .forget(let removal): removal.held
        default: launch?.waitingFor
        }
    }
    /// References whose contact id is known only after apply.
    public var knownAfterApply: [String] { launch?.knownAfterApply ?? [] }

    /// The contact StopContact will end: the orphan's, or the replaced one's with prune.
    public var stopContactID: String? {
        switch operation {
        case .stop(let contact, _): contact
        case .launch(let launch), .relaunch(let launch), .resume(let launch):
            launch.replacing.flatMap { $0.then == .stop ? $0.contactId : nil }
        default: nil
        }
    }
}
