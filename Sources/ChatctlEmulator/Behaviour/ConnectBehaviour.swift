import ChatctlAWS
public import ChatctlJSON
public import Foundation

/// The two operations the emulator serves.
public enum ConnectOperationName: String, Sendable, Hashable, CaseIterable {
    /// `PUT /contact/chat`.
    case startChatContact = "StartChatContact"
    /// `POST /contact/stop`.
    case stopContact = "StopContact"
}

/// What Amazon Connect does with StartChatContact and StopContact, without any I/O: the
/// contacts, the ClientToken records, the quotas and the persistent-chat rules.
///
/// It is a value driven by the caller's clock (`now` on every call) and by a random
/// generator seeded at creation, so the same calls with the same times and seed always give
/// the same answers, ids and tokens. The server keeps one behind a lock; tests drive one
/// directly.
///
/// A request goes through, in order: the token bucket of its operation
/// (`TooManyRequestsException`), the checks that need no state (JSON, model constraints,
/// rules between members, known instances and flows), then, for StartChatContact, the
/// ClientToken record (same body: the first answer again; another body:
/// `IdempotentParameterMismatchException`), the related and source contacts, the active-chat
/// quota (`LimitExceededException`), and finally the new contact.
public struct ConnectBehaviour: Sendable {
    /// The configuration it was created with.
    public let configuration: EmulatorConfiguration
    /// The seed of its random choices.
    public let seed: UInt64
    let checker: ConnectRequestChecker

    private var random: SplitMix64
    private var contacts: [String: EmulatedContact] = [:]
    private var creationOrder: [String] = []
    private var activeCounts: [String: Int] = [:]
    private var expiries = ExpiryQueue()
    private var records: [String: IdempotencyRecord] = [:]
    private var recordOrder: [(token: String, createdAt: Date)] = []
    private var recordOrderStart = 0
    private var startBucket: TokenBucket
    private var stopBucket: TokenBucket

    /// What a ClientToken is remembered with.
    struct IdempotencyRecord: Sendable {
        var body: JSONValue
        var answer: JSONValue
        var createdAt: Date
    }

    /// Creates an empty emulated Connect.
    ///
    /// - Parameters:
    ///   - configuration: quotas, region, known instances and flows.
    ///   - seed: the seed of ids and tokens (the configuration's seed is not read here).
    public init(configuration: EmulatorConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.seed = seed
        self.checker = ConnectRequestChecker(configuration: configuration)
        self.random = SplitMix64(seed: seed)
        self.startBucket = TokenBucket(rate: configuration.tps, burst: Double(configuration.burst))
        self.stopBucket = TokenBucket(rate: configuration.stopTPS, burst: Double(configuration.stopBurst))
    }

    // MARK: - Operations

    /// Runs one request of `operation`, throttling included.
    ///
    /// - Parameters:
    ///   - operation: which operation the request's method and path named.
    ///   - body: the request body as received.
    ///   - now: the current emulated time.
    /// - Returns: the answer body, or the error to answer.
    public mutating func perform(
        _ operation: ConnectOperationName, body: [UInt8], now: Date
    ) -> Result<JSONValue, ConnectError> {
        guard admit(operation, now: now) else {
            return .failure(.tooManyRequests)
        }
        return performAdmitted(operation, body: body, now: now)
    }

    /// Runs one request that the token bucket already admitted.
    public mutating func performAdmitted(
        _ operation: ConnectOperationName, body: [UInt8], now: Date
    ) -> Result<JSONValue, ConnectError> {
        do throws(ConnectError) {
            switch operation {
            case .startChatContact:
                return startChatContact(try checker.checkStartChatContact(body), now: now)
            case .stopContact:
                return stopContact(try checker.checkStopContact(body), now: now)
            }
        } catch {
            return .failure(error)
        }
    }

    /// Takes a token from the bucket of `operation`.
    ///
    /// - Returns: `false` when the request is throttled.
    public mutating func admit(_ operation: ConnectOperationName, now: Date) -> Bool {
        switch operation {
        case .startChatContact: startBucket.take(now: now)
        case .stopContact: stopBucket.take(now: now)
        }
    }

    /// Seconds until `operation`'s bucket has a token again.
    public func secondsUntilAdmitted(_ operation: ConnectOperationName, now: Date) -> Double {
        switch operation {
        case .startChatContact: startBucket.secondsUntilNextToken(now: now)
        case .stopContact: stopBucket.secondsUntilNextToken(now: now)
        }
    }

    /// StartChatContact on a request whose stateless checks passed.
    mutating func startChatContact(_ input: StartChatInput, now: Date) -> Result<JSONValue, ConnectError> {
        endExpiredChats(now: now)
        if let token = input.clientToken {
            forgetOldRecords(now: now)
            if let record = records[token] {
                return record.body == input.body ? .success(record.answer) : .failure(.idempotentParameterMismatch)
            }
        }
        if let related = input.relatedContactID {
            guard let contact = contacts[related], contact.instanceID == input.instanceID else {
                return .failure(
                    .resourceNotFound("Related contact '\(related)' was not found in instance '\(input.instanceID)'."))
            }
        }
        var continuedFrom: EmulatedContact?
        if let persistent = input.persistentChat {
            switch sourceOfPersistentChat(persistent, instanceID: input.instanceID, now: now) {
            case .success(let source): continuedFrom = source
            case .failure(let error): return .failure(error)
            }
        }
        if activeCounts[input.instanceID, default: 0] >= configuration.maxActive {
            return .failure(.limitExceeded(maxActive: configuration.maxActive))
        }

        let contactID = random.nextUUID()
        let participantID = random.nextUUID()
        let token = Self.participantToken(random.nextBytes(Self.participantTokenBytes))
        let contact = EmulatedContact(
            contactID: contactID, participantID: participantID, participantTokenSHA256: SHA256.hexDigest(token),
            instanceID: input.instanceID, contactFlowID: input.contactFlowID, clientToken: input.clientToken,
            createdAt: now, expiresAt: now.addingTimeInterval(Double(input.chatDurationInMinutes) * 60),
            chatDurationInMinutes: input.chatDurationInMinutes,
            continuedFromContactID: continuedFrom?.contactID,
            initialContactID: continuedFrom?.initialContactID ?? contactID,
            relatedContactID: input.relatedContactID)
        contacts[contactID] = contact
        creationOrder.append(contactID)
        activeCounts[input.instanceID, default: 0] += 1
        expiries.insert(contactID, expiresAt: contact.expiresAt)

        var answer: [String: JSONValue] = [
            "ContactId": .string(contactID), "ParticipantId": .string(participantID),
            "ParticipantToken": .string(token),
        ]
        if let continuedFrom {
            answer["ContinuedFromContactId"] = .string(continuedFrom.contactID)
        }
        if let clientToken = input.clientToken {
            records[clientToken] = IdempotencyRecord(body: input.body, answer: .object(answer), createdAt: now)
            recordOrder.append((clientToken, now))
        }
        return .success(.object(answer))
    }

    /// StopContact on a request whose stateless checks passed.
    mutating func stopContact(_ input: StopContactInput, now: Date) -> Result<JSONValue, ConnectError> {
        endExpiredChats(now: now)
        guard var contact = contacts[input.contactID], contact.instanceID == input.instanceID,
            contact.state(at: now) == .active
        else {
            return .failure(.contactNotFound(input.contactID))
        }
        contact.stoppedAt = now
        contact.disconnectReasonCode = input.disconnectReasonCode
        contacts[input.contactID] = contact
        activeCounts[contact.instanceID, default: 1] -= 1
        return .success(.object([:]))
    }

    /// The contact a persistent chat continues: for `FROM_SEGMENT` the source itself, for
    /// `ENTIRE_PAST_SESSION` the most recently ended contact of the source's session. The
    /// source's session must have ended.
    private func sourceOfPersistentChat(
        _ persistent: (rehydrationType: String, sourceContactID: String), instanceID: String, now: Date
    ) -> Result<EmulatedContact, ConnectError> {
        let sourceID = persistent.sourceContactID
        guard let source = contacts[sourceID], source.instanceID == instanceID else {
            return .failure(.resourceNotFound("Source contact '\(sourceID)' was not found in instance '\(instanceID)'."))
        }
        let notEnded = { (contact: EmulatedContact) in
            ConnectError.invalidRequest(
                "Contact '\(contact.contactID)' has not ended; a persistent chat can only continue a chat that has ended.")
        }
        guard persistent.rehydrationType == "ENTIRE_PAST_SESSION" else {
            return source.endedAt(at: now) == nil ? .failure(notEnded(source)) : .success(source)
        }
        var latest: (contact: EmulatedContact, endedAt: Date)?
        for id in creationOrder {
            guard let contact = contacts[id], contact.initialContactID == source.initialContactID else { continue }
            guard let endedAt = contact.endedAt(at: now) else {
                return .failure(notEnded(contact))
            }
            if latest.map({ endedAt >= $0.endedAt }) ?? true {
                latest = (contact, endedAt)
            }
        }
        return .success(latest?.contact ?? source)
    }

    // MARK: - Time

    /// Ends the chats whose duration has passed by `now`.
    mutating func endExpiredChats(now: Date) {
        for id in expiries.popExpired(now: now) {
            guard let contact = contacts[id], contact.stoppedAt == nil else { continue }
            activeCounts[contact.instanceID, default: 1] -= 1
        }
    }

    /// Forgets ClientTokens older than the idempotency window.
    private mutating func forgetOldRecords(now: Date) {
        let window = configuration.idempotencyWindow
        while recordOrderStart < recordOrder.count,
            now.timeIntervalSince(recordOrder[recordOrderStart].createdAt) >= window
        {
            let (token, createdAt) = recordOrder[recordOrderStart]
            if records[token]?.createdAt == createdAt {
                records[token] = nil
            }
            recordOrderStart += 1
        }
        if recordOrderStart > 4096, recordOrderStart * 2 > recordOrder.count {
            recordOrder.removeFirst(recordOrderStart)
            recordOrderStart = 0
        }
    }

    // MARK: - Reading the state

    /// Every contact, in creation order.
    public var allContacts: [EmulatedContact] {
        creationOrder.compactMap { contacts[$0] }
    }

    /// Adds contacts that exist outside this emulator's run — chats an earlier run
    /// launched, or historical chats a profile refers to by id — so persistent chats,
    /// related contacts and StopContact can refer to them. A contact already known is
    /// kept as it is. Active ones count against the active-chat quota.
    public mutating func importContacts(_ imported: [EmulatedContact], now: Date) {
        for contact in imported where contacts[contact.contactID] == nil {
            contacts[contact.contactID] = contact
            creationOrder.append(contact.contactID)
            if contact.state(at: now) == .active {
                activeCounts[contact.instanceID, default: 0] += 1
                expiries.insert(contact.contactID, expiresAt: contact.expiresAt)
            }
        }
    }

    /// The contact with `id`, if there is one.
    public func contact(_ id: String) -> EmulatedContact? {
        contacts[id]
    }

    /// The number of contacts created since the start or the last reset.
    public var contactCount: Int {
        creationOrder.count
    }

    /// The number of chats active at `now`, over all instances.
    public mutating func activeChatCount(now: Date) -> Int {
        endExpiredChats(now: now)
        return activeCounts.values.reduce(0, +)
    }

    /// Forgets every contact and ClientToken, refills the buckets and restarts the random
    /// sequence from the seed.
    public mutating func reset() {
        self = ConnectBehaviour(configuration: configuration, seed: seed)
    }

    // MARK: - Participant tokens

    /// Random bytes per participant token: 300 bytes make 400 characters, the size of the
    /// tokens Connect answers (a few hundred characters of base64).
    static let participantTokenBytes = 300

    /// URL-safe base64 without padding.
    static func participantToken(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
