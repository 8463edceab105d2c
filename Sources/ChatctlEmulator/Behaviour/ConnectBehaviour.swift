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
/// quotas, the ClientToken rules and the persistent-chat rules, over the emulator's one
/// ``ContactStore`` (passed `inout` to every operation, so the Participant behaviour can
/// share it).
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
    private var startBucket: TokenBucket
    private var stopBucket: TokenBucket
    /// DescribeContact's own quota (Amazon Connect's default: 10 per second, burst 15).
    private var describeBucket = TokenBucket(rate: 10, burst: 15)

    /// Creates the behaviour of an empty emulated Connect.
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

    /// An empty store with this configuration's idempotency window.
    public func makeStore() -> ContactStore {
        ContactStore(
            idempotencyWindow: configuration.idempotencyWindow,
            customerConnectWindow: configuration.customerConnectWindow, seed: seed)
    }

    // MARK: - Operations

    /// Runs one request of `operation`, throttling included.
    ///
    /// - Parameters:
    ///   - operation: which operation the request's method and path named.
    ///   - body: the request body as received.
    ///   - store: the contacts and ClientTokens it reads and changes.
    ///   - now: the current emulated time.
    /// - Returns: the answer body, or the error to answer.
    public mutating func perform(
        _ operation: ConnectOperationName, body: [UInt8], store: inout ContactStore, now: Date
    ) -> Result<JSONValue, ConnectError> {
        guard admit(operation, now: now) else {
            return .failure(.tooManyRequests)
        }
        return performAdmitted(operation, body: body, store: &store, now: now)
    }

    /// Runs one request that the token bucket already admitted.
    public mutating func performAdmitted(
        _ operation: ConnectOperationName, body: [UInt8], store: inout ContactStore, now: Date
    ) -> Result<JSONValue, ConnectError> {
        do throws(ConnectError) {
            switch operation {
            case .startChatContact:
                return startChatContact(try checker.checkStartChatContact(body), store: &store, now: now)
            case .stopContact:
                return stopContact(try checker.checkStopContact(body), store: &store, now: now)
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

    /// Takes a token from DescribeContact's bucket; `false` when the request is throttled.
    public mutating func admitDescribeContact(now: Date) -> Bool {
        describeBucket.take(now: now)
    }

    /// DescribeContact (`GET /contacts/{InstanceId}/{ContactId}`) from the store: the
    /// contact's ids, channel and times; `DisconnectTimestamp` once stopped or expired,
    /// `QueueInfo` and `AgentInfo` once a flow set them. Never its attributes or customer.
    ///
    /// - Returns: `{"Contact": …}`, or `ResourceNotFoundException` (404) for a contact the
    ///   instance does not have, or labels the model refuses (`InvalidParameterException`).
    public func describeContact(
        instanceID: String, contactID: String, store: ContactStore, now: Date
    ) -> Result<JSONValue, ConnectError> {
        guard (1...100).contains(instanceID.count), (1...256).contains(contactID.count) else {
            return .failure(.invalidParameter("InstanceId must be 1 to 100 characters and ContactId 1 to 256."))
        }
        guard let contact = store.contact(contactID), contact.instanceID == instanceID else {
            return .failure(.resourceNotFound("Contact '\(contactID)' was not found in instance '\(instanceID)'."))
        }
        func epoch(_ date: Date) -> JSONValue { .double(date.timeIntervalSince1970) }
        let ended = contact.endedAt(at: now)
        var described: [String: JSONValue] = [
            "Arn": .string("arn:aws:connect:\(configuration.region):123456789012:instance/\(instanceID)/contact/\(contactID)"),
            "Id": .string(contactID), "InitialContactId": .string(contact.initialContactID),
            "Channel": .string("CHAT"), "InitiationMethod": .string("API"),
            "InitiationTimestamp": epoch(contact.createdAt),
            "LastUpdateTimestamp": epoch(max(contact.createdAt, ended ?? contact.agentConnectedAt ?? contact.queuedAt ?? contact.createdAt)),
        ]
        if let previous = contact.continuedFromContactID { described["PreviousContactId"] = .string(previous) }
        if let related = contact.relatedContactID { described["RelatedContactId"] = .string(related) }
        if let ended {
            described["DisconnectTimestamp"] = epoch(ended)
            described["DisconnectReason"] = .string(contact.stoppedAt == nil ? "EXPIRED" : contact.disconnectReasonCode ?? "API")
        }
        if let queuedAt = contact.queuedAt, let queueID = contact.queueID {
            described["QueueInfo"] = .object(["Id": .string(queueID), "EnqueueTimestamp": epoch(queuedAt)])
        }
        if let agentConnectedAt = contact.agentConnectedAt {
            described["AgentInfo"] = .object(["ConnectedToAgentTimestamp": epoch(agentConnectedAt)])
        }
        return .success(.object(["Contact": .object(described)]))
    }

    /// Seconds until `operation`'s bucket has a token again.
    public func secondsUntilAdmitted(_ operation: ConnectOperationName, now: Date) -> Double {
        switch operation {
        case .startChatContact: startBucket.secondsUntilNextToken(now: now)
        case .stopContact: stopBucket.secondsUntilNextToken(now: now)
        }
    }

    /// StartChatContact on a request whose stateless checks passed.
    mutating func startChatContact(
        _ input: StartChatInput, store: inout ContactStore, now: Date
    ) -> Result<JSONValue, ConnectError> {
        store.endExpiredChats(now: now)
        if let token = input.clientToken {
            switch store.lookUp(clientToken: token, body: input.body, now: now) {
            case .replay(let answer): return .success(answer)
            case .mismatch: return .failure(.idempotentParameterMismatch)
            case .unknown: break
            }
        }
        if let related = input.relatedContactID {
            guard let contact = store.contact(related), contact.instanceID == input.instanceID else {
                return .failure(
                    .resourceNotFound("Related contact '\(related)' was not found in instance '\(input.instanceID)'."))
            }
        }
        var continuedFrom: EmulatedContact?
        if let persistent = input.persistentChat {
            switch Self.sourceOfPersistentChat(persistent, instanceID: input.instanceID, store: store, now: now) {
            case .success(let source): continuedFrom = source
            case .failure(let error): return .failure(error)
            }
        }
        if store.activeChatCount(instanceID: input.instanceID, now: now) >= configuration.maxActive {
            return .failure(.limitExceeded(maxActive: configuration.maxActive))
        }

        let contactID = random.nextUUID()
        let participantID = random.nextUUID()
        let token = Self.participantToken(random.nextBytes(Self.participantTokenBytes))
        let tokenHash = SHA256.hexDigest(token)
        let contact = EmulatedContact(
            contactID: contactID, participantID: participantID, participantTokenSHA256: tokenHash,
            instanceID: input.instanceID, contactFlowID: input.contactFlowID, clientToken: input.clientToken,
            createdAt: now, expiresAt: now.addingTimeInterval(Double(input.chatDurationInMinutes) * 60),
            chatDurationInMinutes: input.chatDurationInMinutes,
            continuedFromContactID: continuedFrom?.contactID,
            initialContactID: continuedFrom?.initialContactID ?? contactID,
            relatedContactID: input.relatedContactID)
        var initialMessage: (contentType: String, content: String)?
        if let message = input.body["InitialMessage"], let contentType = message["ContentType"]?.stringValue,
            let content = message["Content"]?.stringValue
        {
            initialMessage = (contentType, content)
        }
        var attributes: [String: String] = [:]
        if case .object(let given)? = input.body["Attributes"] {
            for (name, value) in given {
                attributes[name] = value.stringValue
            }
        }
        store.insertStarted(
            contact, participantTokenSHA256: tokenHash,
            customerDisplayName: input.body["ParticipantDetails"]?["DisplayName"]?.stringValue ?? "Customer",
            initialMessage: initialMessage, attributes: attributes, now: now)

        var answer: [String: JSONValue] = [
            "ContactId": .string(contactID), "ParticipantId": .string(participantID),
            "ParticipantToken": .string(token),
        ]
        if let continuedFrom {
            answer["ContinuedFromContactId"] = .string(continuedFrom.contactID)
        }
        if let clientToken = input.clientToken {
            store.remember(clientToken: clientToken, body: input.body, answer: .object(answer), now: now)
        }
        return .success(.object(answer))
    }

    /// StopContact on a request whose stateless checks passed.
    mutating func stopContact(
        _ input: StopContactInput, store: inout ContactStore, now: Date
    ) -> Result<JSONValue, ConnectError> {
        guard store.contact(input.contactID)?.instanceID == input.instanceID,
            store.stop(input.contactID, disconnectReasonCode: input.disconnectReasonCode, now: now)
        else {
            return .failure(.contactNotFound(input.contactID))
        }
        return .success(.object([:]))
    }

    /// The contact a persistent chat continues: for `FROM_SEGMENT` the source itself, for
    /// `ENTIRE_PAST_SESSION` the most recently ended contact of the source's session. The
    /// source's session must have ended.
    private static func sourceOfPersistentChat(
        _ persistent: (rehydrationType: String, sourceContactID: String), instanceID: String, store: ContactStore,
        now: Date
    ) -> Result<EmulatedContact, ConnectError> {
        let sourceID = persistent.sourceContactID
        guard let source = store.contact(sourceID), source.instanceID == instanceID else {
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
        for contact in store.allContacts where contact.initialContactID == source.initialContactID {
            guard let endedAt = contact.endedAt(at: now) else {
                return .failure(notEnded(contact))
            }
            if latest.map({ endedAt >= $0.endedAt }) ?? true {
                latest = (contact, endedAt)
            }
        }
        return .success(latest?.contact ?? source)
    }

    /// Refills the buckets and restarts the random sequence from the seed.
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
