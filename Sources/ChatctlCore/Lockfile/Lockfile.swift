public import Foundation

/// `chatctl.lock.json`: what apply launched, one entry per profile (docs/lockfile.md).
///
/// It never holds a participant token, a customer id, a credential or an attribute
/// value: only ids, digests, times and errors.
public struct Lockfile: Sendable, Equatable {
    /// The format version this chatctl writes. It also reads versions 1 and 2 (upgraded on write).
    public static let currentVersion = 3

    /// Incremented by every apply that changes the file.
    public var serial: Int
    /// Where the chats of this lockfile live; `nil` for a version 1 lockfile that has not
    /// been written since (taken as Amazon Connect itself, see ``recordedEndpoint``).
    public var endpoint: LockfileEndpoint?
    /// The inputs this lockfile belongs to; `nil` in a lockfile not written since chatctl
    /// began recording them (it gains them on its next write, without a refusal).
    public var inputs: LockfileInputs?
    /// The key of the entries' member digests (``LockEntry/members``): 32 random hex
    /// digits, made by the first apply that records members; `nil` before.
    public var memberSalt: String?
    /// Entries keyed by profile name.
    public var entries: LockEntries

    public init(
        serial: Int = 0, endpoint: LockfileEndpoint? = nil, inputs: LockfileInputs? = nil, memberSalt: String? = nil,
        entries: LockEntries = [:]
    ) {
        self.serial = serial
        self.endpoint = endpoint
        self.inputs = inputs
        self.memberSalt = memberSalt
        self.entries = entries
    }

    /// This lockfile with every entry's fields held in memory (``LockEntry/heldInMemory()``):
    /// for a step that reads most fields of most entries (`plan --refresh`).
    /// - Throws: as ``checkMembersReadBack()`` does, when an entry could not be read back as
    ///   it was decoded: the entries held would no longer name the file, so that no later
    ///   check could tell.
    public func heldInMemory() throws(LockfileError) -> Lockfile {
        // A lockfile read into memory (apply's, refresh's) is returned as it is, not copied.
        guard entries.values.contains(where: \.isKeptInFile) else { return self }
        var lockfile = self
        lockfile.entries = entries.mapValues { $0.heldInMemory() }
        // This lockfile's entries still name the file.
        try checkMembersReadBack()
        return lockfile
    }

    /// The endpoint the chats live on: the recorded one, else Amazon Connect (what a
    /// version 1 lockfile was meant for; docs/lockfile.md says how to clean a mixed one).
    public var recordedEndpoint: LockfileEndpoint { endpoint ?? .aws }

    /// Why this lockfile cannot be used against `endpoint`, or `nil` when it can: its chats
    /// were made on another endpoint. A lockfile without entries can be used anywhere.
    /// - Parameter file: the lockfile's path, named in the error.
    public func endpointConflict(with endpoint: LockfileEndpoint, file: String) -> LockfileError? {
        guard !entries.isEmpty, recordedEndpoint != endpoint else { return nil }
        return .otherEndpoint(file: file, recorded: recordedEndpoint, current: endpoint)
    }

    /// Why a run reading `inputs` cannot plan against this lockfile, or `nil` when it can:
    /// the lockfile records another set, whose entries that run would forget or stop. A
    /// lockfile without entries, or without a record, can be used by any set.
    /// - Parameters:
    ///   - file: the lockfile's path, named in the error.
    ///   - command: the command that was run (`plan`, `apply`), for the hint.
    public func inputsConflict(with inputs: LockfileInputs, file: String, command: String) -> LockfileError? {
        guard !entries.isEmpty, let recorded = self.inputs, recorded != inputs else { return nil }
        return .otherInputs(file: file, recorded: recorded, current: inputs, command: command)
    }
}

/// Where a lockfile's chats were made: Amazon Connect itself, a custom `--endpoint-url`
/// (or `AWS_ENDPOINT_URL*`), or chatctl's emulator. Their contact ids mean nothing to
/// each other, so a lockfile of one is never applied against another.
public enum LockfileEndpoint: Sendable, Equatable {
    /// Amazon Connect's own endpoints (`connect.REGION.amazonaws.com`, FIPS, dual-stack).
    case aws
    /// An endpoint URL given to chatctl, without a trailing slash.
    case custom(url: String)
    /// The emulator `apply --emulator` starts.
    case emulator

    /// The lockfile's `endpoint.kind`.
    public var kind: String {
        switch self {
        case .aws: "aws"
        case .custom: "custom"
        case .emulator: "emulator"
        }
    }

    /// How messages name it.
    public var description: String {
        switch self {
        case .aws: "Amazon Connect"
        case .custom(let url): "the custom endpoint \(url)"
        case .emulator: "the chatctl emulator"
        }
    }

    /// `url` as recorded and compared: trimmed, without trailing slashes.
    public static func custom(normalising url: String) -> LockfileEndpoint {
        var text = url.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        return .custom(url: text)
    }
}

/// What the lockfile records for one profile.
public struct LockEntry: Sendable, Equatable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// A request was (or is about to be) sent; no result recorded yet.
        case pending
        /// Amazon Connect started the chat.
        case started
        /// The last attempt failed; `error` says why.
        case failed
        /// The chat was stopped by chatctl (prune, `chatctl stop`).
        case stopped
    }

    /// What `chatctl refresh` last saw of the contact in Amazon Connect (DescribeContact):
    /// its state and timestamps only, never its attributes or customer data.
    public struct Observation: Sendable, Equatable {
        public enum State: String, Sendable, Hashable, CaseIterable {
            /// Connected, in its flow, not queued and not with an agent.
            case inFlow = "in-flow"
            /// Waiting in a queue (`QueueInfo.EnqueueTimestamp`).
            case queued
            /// Connected to an agent (`AgentInfo.ConnectedToAgentTimestamp`).
            case withAgent = "with-agent"
            /// Disconnected (`DisconnectTimestamp`).
            case ended
            /// Amazon Connect no longer knows the contact (404).
            case gone
        }

        public var state: State
        /// When chatctl asked, by the machine's clock.
        public var refreshedAt: Date
        public var disconnectedAt: Date?
        public var queuedAt: Date?
        public var queueId: String?
        public var agentConnectedAt: Date?

        public init(
            state: State, refreshedAt: Date, disconnectedAt: Date? = nil, queuedAt: Date? = nil,
            queueId: String? = nil, agentConnectedAt: Date? = nil
        ) {
            self.state = state
            self.refreshedAt = refreshedAt
            self.disconnectedAt = disconnectedAt
            self.queuedAt = queuedAt
            self.queueId = queueId
            self.agentConnectedAt = agentConnectedAt
        }

        /// The same observation, apart from when it was made.
        public func sameState(as other: Observation) -> Bool {
            var copy = other
            copy.refreshedAt = refreshedAt
            return copy == self
        }
    }

    /// The outcome of the chat's last scripted conversation (`spec.verify`): never its
    /// messages, only whether it passed, when, and the failing step.
    public struct Verification: Sendable, Equatable {
        public enum Status: String, Sendable, Hashable, CaseIterable {
            case passed
            case failed
        }

        public var status: Status
        /// When the conversation ended (UTC).
        public var at: Date
        /// The 1-based failing step; `nil` when it passed.
        public var failedStep: Int?

        public init(status: Status, at: Date, failedStep: Int? = nil) {
            self.status = status
            self.at = at
            self.failedStep = failedStep
        }

        /// The record of `outcome`, in whole seconds like every time of the lockfile.
        public init(_ outcome: VerificationOutcome) {
            self.init(
                status: outcome.passed ? .passed : .failed,
                at: Date(timeIntervalSince1970: outcome.finishedAt.timeIntervalSince1970.rounded(.down)),
                failedStep: outcome.failure?.step)
        }
    }

    /// The last error of a failed launch or stop.
    public struct Failure: Sendable, Equatable {
        public var code: String
        public var message: String
        public var requestId: String?

        public init(code: String, message: String, requestId: String? = nil) {
            self.code = code
            self.message = message
            self.requestId = requestId
        }
    }

    /// The chat a relaunch replaces, kept in the entry while the relaunch has no recorded
    /// result (`pending`, or `failed`): so a crash, a refusal or a resume never loses the
    /// replaced chat's contact id, and prune can still stop it.
    public struct Replacement: Sendable, Equatable {
        /// What happens to the replaced chat once the new one has started.
        public enum Disposition: String, Sendable, Hashable, CaseIterable {
            /// StopContact (prune was on when the relaunch was planned, or is now).
            case stop
            /// Left running until it expires (prune off).
            case keep
        }

        public var contactId: String
        /// The replaced chat's bare instance id and region (a relaunch may move the profile).
        public var instance: String?
        public var region: String?
        /// The replaced chat's `expiresAt`: once past, there is nothing left to stop.
        public var expiresAt: Date?
        public var then: Disposition

        public init(contactId: String, instance: String?, region: String?, expiresAt: Date?, then: Disposition) {
            self.contactId = contactId
            self.instance = instance
            self.region = region
            self.expiresAt = expiresAt
            self.then = then
        }

        /// True while the replaced chat may still run at `now`.
        public func mayRun(at now: Date) -> Bool {
            guard let expiresAt else { return true }
            return expiresAt > now
        }
    }

    // An entry is one reference to its fields (copied on write, as an array's elements
    // are): a lockfile of 100,000 entries keeps them in a dictionary of 262,144 slots, so
    // a slot of 8 bytes instead of the fields' 200 is 50 MB less, and the dictionary's
    // growth moves references instead of entries. The reference is to the fields held in
    // memory (``FieldsBox``), or, in a lockfile `plan` reads, to the few a plan decides by
    // and the entry's place in the file (``KeptInFileBox``), the rest read back when asked.
    private var box: EntryBox

    /// The stored fields, laid out in the order declared. The compact texts (digests,
    /// token, ids) and the optionals carry a tag byte and each round up to 8 bytes; the
    /// status, last, sits in the padding of the field before it.
    private struct Fields: Equatable {
        var digest: HexDigestText
        var generation: Int
        var clientToken: ClientTokenText
        var contactId: UUIDText?
        var participantId: UUIDText?
        var region: String?
        var instance: String?
        /// The fields most entries leave unset, behind one reference (`nil` while all are unset).
        var extrasBox: ExtrasBox?
        var memberStorage: MemberStorage?
        var startedAt: Date?
        var expiresAt: Date?
        var attempts: Int?
        var participantTokenSha256: HexDigestText?
        var status: Status
    }

    /// Where an entry's fields are: what both kinds of box answer. The fields a plan reads
    /// of every entry (digest, generation, token, status, whether it has members) are
    /// answered without the others.
    private class EntryBox: @unchecked Sendable {
        // @unchecked: see the subclasses; this base holds nothing.
        var fields: Fields { preconditionFailure("overridden") }
        var digest: HexDigestText { fields.digest }
        var generation: Int { fields.generation }
        var clientToken: ClientTokenText { fields.clientToken }
        var status: Status { fields.status }
        var memberStorage: MemberStorage? { fields.memberStorage }
    }

    /// ``Fields`` held in memory, shared by copies of the entry until one of them changes.
    private final class FieldsBox: EntryBox, @unchecked Sendable {
        // @unchecked: changed only through ``LockEntry/fields``' setter, which makes a copy
        // first unless this entry holds the only reference (copy on write), so no box
        // another thread can see is ever changed.
        var held: Fields
        init(_ fields: Fields) { held = fields }
        override var fields: Fields { held }
        override var digest: HexDigestText { held.digest }
        override var generation: Int { held.generation }
        override var clientToken: ClientTokenText { held.clientToken }
        override var status: Status { held.status }
        override var memberStorage: MemberStorage? { held.memberStorage }
    }

    /// An entry of a lockfile read for `plan` (``LockfileDecoder``, with the file held
    /// open): its row of ``KeptEntryRows``, which holds the fields every profile's plan
    /// reads and where the entry lies in the file. The others (contact, times, observation,
    /// error…), which only the calls that change or stop read, are decoded again from those
    /// bytes each time they are asked (issue 15). Made for each lookup of the entry (32
    /// bytes), never changed: a change first makes the entry a ``FieldsBox``.
    private final class KeptInFileBox: EntryBox, @unchecked Sendable {
        // @unchecked: both stored properties are constants, and the rows are no longer
        // changed once an entry can be looked up; the file serialises its reads.
        let rows: KeptEntryRows
        let position: Int

        init(rows: KeptEntryRows, position: Int) {
            self.rows = rows
            self.position = position
        }

        var file: LockfileMembersFile { rows.file }
        private var row: KeptEntryRows.Row { rows.rows[position] }

        override var digest: HexDigestText { row.storedDigest }
        override var generation: Int { Int(row.generation) }
        override var clientToken: ClientTokenText { rows.clientToken(at: position) }
        override var status: Status { row.status }
        override var memberStorage: MemberStorage? {
            row.membersRange.map { .inFile(rows.file, range: $0) }
        }

        /// The entry read back from the file. Were it ever to fail, or give another entry
        /// than the one decoded (the file was rewritten in place), the fields held in the
        /// row with the others unset, and the file is marked as changed: a plan that read it
        /// stops with an error (``Lockfile/checkMembersReadBack()``) before showing anything.
        override var fields: Fields {
            let row = row
            let digest = row.storedDigest
            let clientToken = clientToken
            if let read = LockfileDecoder.entry(in: file, at: row.range, members: row.membersRange),
               case let fields = read.box.fields,
               fields.digest == digest, fields.status == row.status, fields.clientToken == clientToken,
               fields.generation == Int(row.generation), (fields.memberStorage == nil) == (row.membersLength == 0) {
                return fields
            }
            file.markChanged()
            return Fields(
                digest: digest, generation: Int(row.generation), clientToken: clientToken, contactId: nil, participantId: nil,
                region: nil, instance: nil, extrasBox: nil, memberStorage: memberStorage, startedAt: nil, expiresAt: nil,
                attempts: nil, participantTokenSha256: nil, status: row.status)
        }
    }

    /// The entry at `position` of `rows`, read from its row (``KeptEntryRows/entry(at:)``).
    init(keptAt position: Int, in rows: KeptEntryRows) {
        box = KeptInFileBox(rows: rows, position: position)
    }

    /// The fields; setting one copies them first when another entry shares them, or reads
    /// them back when they are kept in the file.
    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) || !(box is FieldsBox) { box = FieldsBox(box.fields) }
            // A FieldsBox: made so just above when it was not.
            let held = box as! FieldsBox
            yield &held.held
        }
    }

    /// This entry with its fields held in memory: read back once from its file when it is
    /// kept there. For a step that reads several fields of an entry (a relaunch, a stop, a
    /// refresh), which would otherwise read the entry back for each.
    public func heldInMemory() -> LockEntry {
        guard box is KeptInFileBox else { return self }
        var entry = self
        entry.box = FieldsBox(box.fields)
        return entry
    }

    /// The file this entry, or its members, are read back from, if any.
    var fileReadBackFrom: LockfileMembersFile? {
        if let kept = box as? KeptInFileBox { return kept.file }
        if case .inFile(let file, _)? = box.memberStorage { return file }
        return nil
    }

    /// Whether the entry is kept as its place in a file (tests).
    var isKeptInFile: Bool { box is KeptInFileBox }

    public static func == (left: LockEntry, right: LockEntry) -> Bool {
        left.box === right.box || left.box.fields == right.box.fields
    }

    /// `sha256:` and the hex digest of the profile's canonical request.
    public var digest: String {
        get { box.digest.text }
        set { fields.digest = HexDigestText(newValue) }
    }
    /// ``digest`` as stored (the typed reader sets it from the file's bytes).
    var storedDigest: HexDigestText {
        get { box.digest }
        set { fields.digest = newValue }
    }
    /// 1 for the first launch, incremented by each relaunch.
    public var generation: Int {
        get { box.generation }
        set { fields.generation = newValue }
    }
    /// The ClientToken sent, and re-sent on resume, for this generation.
    public var clientToken: String {
        get { box.clientToken.text }
        set { fields.clientToken = ClientTokenText(newValue) }
    }
    /// ``clientToken`` as stored (the typed reader sets it, with the entry's name).
    var storedClientToken: ClientTokenText {
        get { box.clientToken }
        set { fields.clientToken = newValue }
    }
    public var contactId: String? {
        get { fields.contactId?.text }
        set { fields.contactId = newValue.map(UUIDText.init) }
    }
    /// ``contactId`` as stored (the typed reader sets it from the file's bytes).
    var storedContactId: UUIDText? {
        get { fields.contactId }
        set { fields.contactId = newValue }
    }
    /// Whether ``contactId`` is set, without making its text.
    var hasContactId: Bool { fields.contactId != nil }
    public var participantId: String? {
        get { fields.participantId?.text }
        set { fields.participantId = newValue.map(UUIDText.init) }
    }
    /// ``participantId`` as stored (the typed reader sets it from the file's bytes).
    var storedParticipantId: UUIDText? {
        get { fields.participantId }
        set { fields.participantId = newValue }
    }
    /// SHA-256 (hex) of the participant token: proves which token was issued without keeping it.
    public var participantTokenSha256: String? {
        get { fields.participantTokenSha256?.text }
        set { fields.participantTokenSha256 = newValue.map(HexDigestText.init) }
    }
    /// ``participantTokenSha256`` as stored (the typed reader sets it from the file's bytes).
    var storedParticipantTokenSha256: HexDigestText? {
        get { fields.participantTokenSha256 }
        set { fields.participantTokenSha256 = newValue }
    }
    public var region: String? {
        get { fields.region }
        set { fields.region = newValue }
    }
    /// The bare instance id.
    public var instance: String? {
        get { fields.instance }
        set { fields.instance = newValue }
    }
    public var startedAt: Date? {
        get { fields.startedAt }
        set { fields.startedAt = newValue }
    }
    /// `startedAt` plus the chat's duration.
    public var expiresAt: Date? {
        get { fields.expiresAt }
        set { fields.expiresAt = newValue }
    }
    /// Requests sent for this generation, retries included.
    public var attempts: Int? {
        get { fields.attempts }
        set { fields.attempts = newValue }
    }
    public var status: Status {
        get { box.status }
        set { fields.status = newValue }
    }
    /// ``members``, decoded or as read.
    var memberStorage: MemberStorage? {
        get { box.memberStorage }
        set { fields.memberStorage = newValue }
    }
    /// The fields most entries leave unset, behind one reference (`nil` while all are unset).
    private var extrasBox: ExtrasBox? {
        get { fields.extrasBox }
        set { fields.extrasBox = newValue }
    }

    /// Each member of that request (``RequestMembers``): a plain value for the members
    /// that are never sensitive, else a digest keyed with the lockfile's `memberSalt`.
    /// `nil` in entries written before members were recorded.
    ///
    /// Read from a lockfile, they stay as their checked bytes until read here: a plan
    /// needs them only of an entry whose digest changed.
    public var members: [String: MemberRecord]? {
        get { memberStorage?.records }
        set { memberStorage = newValue.map(MemberStorage.decoded) }
    }
    public var continuedFromContactId: String? {
        get { extrasBox?.extras.continuedFromContactId?.text }
        set { extras.continuedFromContactId = newValue.map(UUIDText.init) }
    }
    /// For `relatedContact.from`: the contact id sent as `RelatedContactId`, written with the
    /// `pending` entry (a resume resends it) and kept once started (plan compares it with
    /// the target's current contact).
    public var relatedContactId: String? {
        get { extrasBox?.extras.relatedContactId?.text }
        set { extras.relatedContactId = newValue.map(UUIDText.init) }
    }
    public var error: Failure? {
        get { extrasBox?.extras.error }
        set { extras.error = newValue }
    }
    /// When chatctl stopped the chat (`stopped` entries written by this version).
    public var stoppedAt: Date? {
        get { extrasBox?.extras.stoppedAt }
        set { extras.stoppedAt = newValue }
    }
    /// The last `chatctl refresh` of the contact.
    public var observed: Observation? {
        get { extrasBox?.extras.observed }
        set { extras.observed = newValue }
    }
    /// The chat this entry's relaunch replaces, while the relaunch has no result.
    public var replacing: Replacement? {
        get { extrasBox?.extras.replacing }
        set { extras.replacing = newValue }
    }
    /// The last scripted conversation's outcome, when the chat was verified.
    public var verification: Verification? {
        get { extrasBox?.extras.verification }
        set { extras.verification = newValue }
    }

    /// The fields a fresh launch leaves unset: a chat continued or related, an error, a
    /// stop, a refresh, a relaunch, a verification. Kept out of line, they take one
    /// reference in each entry instead of some 250 bytes.
    private struct Extras: Sendable, Equatable {
        var continuedFromContactId: UUIDText?
        var relatedContactId: UUIDText?
        var error: Failure?
        var stoppedAt: Date?
        var observed: Observation?
        var replacing: Replacement?
        var verification: Verification?
    }

    /// ``Extras`` behind a reference, never changed once made (a change makes a new box),
    /// so copies of an entry share it safely.
    private final class ExtrasBox: Sendable, Equatable {
        let extras: Extras
        init(_ extras: Extras) { self.extras = extras }
        static func == (left: ExtrasBox, right: ExtrasBox) -> Bool { left === right || left.extras == right.extras }
    }

    /// All the extras, set as a whole: none set is no box.
    private var extras: Extras {
        get { extrasBox?.extras ?? Extras() }
        set { extrasBox = newValue == Extras() ? nil : ExtrasBox(newValue) }
    }

    public init(
        digest: String, generation: Int, clientToken: String, status: Status,
        contactId: String? = nil, participantId: String? = nil, participantTokenSha256: String? = nil,
        continuedFromContactId: String? = nil, region: String? = nil, instance: String? = nil,
        startedAt: Date? = nil, expiresAt: Date? = nil, attempts: Int? = nil, error: Failure? = nil,
        stoppedAt: Date? = nil, observed: Observation? = nil, relatedContactId: String? = nil,
        replacing: Replacement? = nil, members: [String: MemberRecord]? = nil, verification: Verification? = nil
    ) {
        box = FieldsBox(Fields(
            digest: HexDigestText(digest), generation: generation, clientToken: ClientTokenText(clientToken),
            contactId: contactId.map(UUIDText.init), participantId: participantId.map(UUIDText.init), region: region, instance: instance, extrasBox: nil,
            memberStorage: members.map(MemberStorage.decoded), startedAt: startedAt, expiresAt: expiresAt, attempts: attempts,
            participantTokenSha256: participantTokenSha256.map(HexDigestText.init), status: status))
        self.extras = Extras(
            continuedFromContactId: continuedFromContactId.map(UUIDText.init), relatedContactId: relatedContactId.map(UUIDText.init),
            error: error,
            stoppedAt: stoppedAt, observed: observed, replacing: replacing, verification: verification)
    }

    /// True when the chat has ended: stopped by chatctl, observed ended or gone by
    /// `chatctl refresh`, or past its expiry at `now`.
    public func hasEnded(at now: Date) -> Bool {
        if status == .stopped { return true }
        guard status == .started else { return false }
        // The observation belongs to this contact: a relaunch writes a fresh entry.
        if let state = observed?.state, state == .ended || state == .gone { return true }
        guard let expiresAt else { return false }
        return expiresAt <= now
    }
}

// The stored fields sit behind references (see `LockEntry.box`): a mirror of the public
// fields keeps `dump`, debuggers and test failures showing an entry's values, not its box.
// The members are shown as stored, never read back from the lockfile's file.
extension LockEntry: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "digest": digest, "generation": generation, "clientToken": clientToken, "status": status,
                "contactId": contactId as Any, "participantId": participantId as Any,
                "participantTokenSha256": participantTokenSha256 as Any, "continuedFromContactId": continuedFromContactId as Any,
                "relatedContactId": relatedContactId as Any, "region": region as Any, "instance": instance as Any,
                "startedAt": startedAt as Any, "expiresAt": expiresAt as Any, "attempts": attempts as Any, "error": error as Any,
                "stoppedAt": stoppedAt as Any, "observed": observed as Any, "replacing": replacing as Any,
                "verification": verification as Any, "members": memberStorage as Any,
            ],
            displayStyle: .struct)
    }
}
