import ChatctlAWS
import ChatctlJSON
import Foundation

/// What the Participant Service does, without any I/O, over the emulator's one
/// ``ContactStore`` (the same one ``ConnectBehaviour`` writes, so StopContact and
/// DisconnectParticipant end the same chat): tokens, per-instance throttling, messages,
/// events, the transcript and its paging.
///
/// A request that passed ``ParticipantRequestChecker`` goes through, in order: its token
/// (unknown, of the other kind, expired, or of an ended chat: 403 `AccessDeniedException`),
/// the instance's token bucket of its operation (429 `ThrottlingException`), the rules
/// between members (400 `ValidationException`), then the operation.
struct ParticipantBehaviour: Sendable {
    /// What an admitted operation produced: the answer, the chat it touched, and what to tell
    /// that chat's ``ChatSession`` hook afterwards.
    struct Outcome: Sendable {
        var answer: JSONValue
        var contactID: String
        var customerEvent: CustomerEvent?
    }

    /// How long a WebSocket URL may be opened after CreateParticipantConnection (100 s).
    static let webSocketURLLifetime: TimeInterval = 100
    /// How long a ConnectionToken is valid (a day).
    static let connectionTokenLifetime: TimeInterval = 86_400
    /// The message content types SendMessage takes, with the largest content of each.
    static let messageContentLimits: [String: Int] = [
        "text/plain": 1024, "text/markdown": 1024, "application/json": 12_000,
        "application/vnd.amazonaws.connect.message.interactive.response": 12_288,
    ]
    /// The event content types SendEvent takes, with the transcript item type of each.
    static let eventKinds: [String: TranscriptItem.Kind] = [
        TranscriptItem.ContentTypes.typing: .typing,
        TranscriptItem.ContentTypes.connectionAcknowledged: .connectionAck,
        TranscriptItem.ContentTypes.messageDelivered: .messageDelivered,
        TranscriptItem.ContentTypes.messageRead: .messageRead,
    ]

    let quotas: ParticipantQuotas
    private var buckets: [String: [ParticipantOperationName: TokenBucket]] = [:]
    private var random: SplitMix64

    init(quotas: ParticipantQuotas, seed: UInt64) {
        self.quotas = quotas
        random = SplitMix64(seed: seed ^ 0x7061_7274_6963_6970)
    }

    // MARK: - Tokens and throttling

    /// The contact a ParticipantToken belongs to, if it is active at `now`.
    static func contact(participantToken token: String, store: ContactStore, now: Date)
        -> Result<EmulatedContact, ConnectError>
    {
        guard let id = store.contactsByParticipantToken[SHA256.hexDigest(token)], let contact = store.contact(id),
            contact.state(at: now) == .active
        else {
            return .failure(.participantAccessDenied)
        }
        return .success(contact)
    }

    /// The contact a ConnectionToken belongs to, if the token is valid and the chat active at `now`.
    static func contact(connectionToken token: String, store: ContactStore, now: Date)
        -> Result<EmulatedContact, ConnectError>
    {
        guard let connection = store.connections[SHA256.hexDigest(token)], now < connection.expiresAt,
            let contact = store.contact(connection.contactID), contact.state(at: now) == .active
        else {
            return .failure(.participantAccessDenied)
        }
        return .success(contact)
    }

    /// Takes a token from `instanceID`'s bucket for `operation`.
    mutating func admit(_ operation: ParticipantOperationName, instanceID: String, now: Date) -> Bool {
        let quota = quotas.quota(operation)
        var bucket = buckets[instanceID]?[operation] ?? TokenBucket(rate: quota.rate, burst: Double(quota.burst))
        let admitted = bucket.take(now: now)
        buckets[instanceID, default: [:]][operation] = bucket
        return admitted
    }

    /// Runs one checked request: token, throttling, then the operation.
    ///
    /// - Parameter webSocketBase: `ws://host:port`, the start of the WebSocket URLs handed out.
    mutating func perform(
        _ operation: ParticipantOperationName, _ request: ParticipantRequest, webSocketBase: String,
        store: inout ContactStore, now: Date
    ) -> Result<Outcome, ConnectError> {
        store.endExpiredChats(now: now)
        let found =
            operation == .createParticipantConnection
            ? Self.contact(participantToken: request.token, store: store, now: now)
            : Self.contact(connectionToken: request.token, store: store, now: now)
        let contact: EmulatedContact
        switch found {
        case .success(let active): contact = active
        case .failure(let error): return .failure(error)
        }
        guard admit(operation, instanceID: contact.instanceID, now: now) else {
            return .failure(.participantThrottling)
        }
        let body = request.body
        switch operation {
        case .createParticipantConnection:
            return createConnection(body, contact: contact, webSocketBase: webSocketBase, store: &store, now: now)
        case .sendMessage:
            return sendMessage(body, contact: contact, store: &store, now: now)
        case .sendEvent:
            return sendEvent(body, contact: contact, store: &store, now: now)
        case .getTranscript:
            return Self.transcript(body, contact: contact, store: store).map {
                Outcome(answer: $0, contactID: contact.contactID)
            }
        case .disconnectParticipant:
            store.end(contact.contactID, reason: .customerDisconnected, now: now)
            return .success(Outcome(answer: .object([:]), contactID: contact.contactID))
        }
    }

    // MARK: - Operations

    private mutating func createConnection(
        _ body: JSONValue, contact: EmulatedContact, webSocketBase: String, store: inout ContactStore, now: Date
    ) -> Result<Outcome, ConnectError> {
        let types = Set((body["Type"]?.arrayValue ?? []).compactMap(\.stringValue))
        let connectParticipant = body["ConnectParticipant"] == .bool(true)
        if types.contains("WEBRTC_CONNECTION") {
            return .failure(.participantValidation("WEBRTC_CONNECTION is not supported for chat contacts."))
        }
        guard !types.isEmpty || connectParticipant else {
            return .failure(.participantValidation("Type must name WEBSOCKET or CONNECTION_CREDENTIALS."))
        }
        var answer: [String: JSONValue] = [:]
        if types.contains("WEBSOCKET") {
            let path = ConnectBehaviour.participantToken(random.nextBytes(24))
            let expiry = now.addingTimeInterval(Self.webSocketURLLifetime)
            store.rememberWebSocket(
                path,
                ContactStore.ParticipantConnection(
                    contactID: contact.contactID, participantID: contact.participantID, expiresAt: expiry),
                now: now)
            answer["Websocket"] = .object([
                "Url": .string("\(webSocketBase)/participant/websocket?token=\(path)"),
                "ConnectionExpiry": .string(HTTPDate.iso8601(expiry)),
            ])
        }
        if types.contains("CONNECTION_CREDENTIALS") {
            let token = ConnectBehaviour.participantToken(random.nextBytes(ConnectBehaviour.participantTokenBytes))
            let expiry = now.addingTimeInterval(Self.connectionTokenLifetime)
            store.rememberConnection(
                SHA256.hexDigest(token),
                ContactStore.ParticipantConnection(
                    contactID: contact.contactID, participantID: contact.participantID, expiresAt: expiry),
                now: now)
            answer["ConnectionCredentials"] = .object([
                "ConnectionToken": .string(token), "Expiry": .string(HTTPDate.iso8601(expiry)),
            ])
        }
        if store.chats[contact.contactID]?.customerConnectedAt == nil {
            store.chats[contact.contactID]?.customerConnectedAt = now
        }
        // A customer that asked for a WebSocket hears the flow once it subscribes (or calls
        // first); one that did not is listening now (``ContactStore/claimFlowStart``).
        var event: CustomerEvent?
        if !types.contains("WEBSOCKET"), store.claimFlowStart(contact.contactID, now: now) {
            event = .connected
        }
        return .success(Outcome(answer: .object(answer), contactID: contact.contactID, customerEvent: event))
    }

    private mutating func sendMessage(
        _ body: JSONValue, contact: EmulatedContact, store: inout ContactStore, now: Date
    ) -> Result<Outcome, ConnectError> {
        let contentType = body["ContentType"]?.stringValue ?? ""
        let content = body["Content"]?.stringValue ?? ""
        guard let limit = Self.messageContentLimits[contentType] else {
            let allowed = Self.messageContentLimits.keys.sorted().joined(separator: ", ")
            return .failure(.participantValidation("ContentType \(contentType) is not supported; use one of \(allowed)."))
        }
        guard content.unicodeScalars.count <= limit else {
            return .failure(
                .participantValidation("Content of type \(contentType) must be at most \(limit) characters long."))
        }
        return Self.appendCustomerItem(
            kind: .message, contentType: contentType, content: content, clientToken: body["ClientToken"]?.stringValue,
            contact: contact, store: &store, now: now, customerEvent: .message(text: content, contentType: contentType))
    }

    private mutating func sendEvent(
        _ body: JSONValue, contact: EmulatedContact, store: inout ContactStore, now: Date
    ) -> Result<Outcome, ConnectError> {
        let contentType = body["ContentType"]?.stringValue ?? ""
        guard let kind = Self.eventKinds[contentType] else {
            let allowed = Self.eventKinds.keys.sorted().joined(separator: ", ")
            return .failure(.participantValidation("ContentType \(contentType) is not supported; use one of \(allowed)."))
        }
        let content = body["Content"]?.stringValue
        if kind == .messageDelivered || kind == .messageRead {
            // A receipt names the message it acknowledges: {"messageId": "…"}.
            guard let content, let parsed = try? JSONParser.parse(Array(content.utf8)),
                let messageID = parsed["messageId"]?.stringValue, !messageID.isEmpty
            else {
                return .failure(
                    .participantValidation(#"Content of a receipt must be a JSON object {"messageId": "…"}."#))
            }
            guard store.chats[contact.contactID]?.items.contains(where: { $0.id == messageID }) == true else {
                return .failure(.participantValidation("The message \(messageID) is not in this chat."))
            }
        }
        return Self.appendCustomerItem(
            kind: kind, contentType: contentType, content: content, clientToken: body["ClientToken"]?.stringValue,
            contact: contact, store: &store, now: now, customerEvent: nil)
    }

    /// Appends what the customer sent (a message or an event) to the transcript, or answers
    /// what the same ClientToken got before: a replay appends nothing and tells no flow.
    private static func appendCustomerItem(
        kind: TranscriptItem.Kind, contentType: String, content: String?, clientToken: String?,
        contact: EmulatedContact, store: inout ContactStore, now: Date, customerEvent: CustomerEvent?
    ) -> Result<Outcome, ConnectError> {
        if let clientToken, let answered = replay(clientToken, contact: contact, store: store) {
            return .success(Outcome(answer: answered, contactID: contact.contactID))
        }
        let displayName = store.chats[contact.contactID]?.customerDisplayName
        guard
            let item = store.appendItem(
                to: contact.contactID, kind: kind, contentType: contentType, content: content, role: .customer,
                participantID: contact.participantID, displayName: displayName, at: now)
        else {
            return .failure(.participantAccessDenied)
        }
        if let clientToken {
            store.chats[contact.contactID]?.clientTokens[clientToken] = item.id
        }
        return .success(Outcome(answer: itemAnswer(item), contactID: contact.contactID, customerEvent: customerEvent))
    }

    /// The answer a ClientToken already got in this chat, if it did.
    private static func replay(_ clientToken: String, contact: EmulatedContact, store: ContactStore) -> JSONValue? {
        guard let chat = store.chats[contact.contactID], let id = chat.clientTokens[clientToken],
            let item = chat.items.first(where: { $0.id == id })
        else {
            return nil
        }
        return itemAnswer(item)
    }

    private static func itemAnswer(_ item: TranscriptItem) -> JSONValue {
        .object(["Id": .string(item.id), "AbsoluteTime": .string(HTTPDate.iso8601(item.absoluteTime))])
    }

    // MARK: - The transcript

    /// GetTranscript: the chat's items (a persistent chat's past ones first), one page of
    /// them.
    ///
    /// - `ScanDirection` defaults to `BACKWARD` (from the most recent item) without
    ///   `StartPosition` and to `FORWARD` with it; `SortOrder` defaults to `DESCENDING`.
    /// - `StartPosition.Id` starts at that item (included), `AbsoluteTime` at the first item
    ///   at or after it (`FORWARD`) or the last at or before it (`BACKWARD`), `MostRecent` n
    ///   at the n-th item counted back from the latest (0 is the latest).
    /// - `MaxResults` items per page (default 10; 0 counts as the default, so a paginator
    ///   always moves on); `NextToken` continues where the last page stopped, in its direction.
    static func transcript(_ body: JSONValue, contact: EmulatedContact, store: ContactStore)
        -> Result<JSONValue, ConnectError>
    {
        guard let chat = store.chats[contact.contactID] else {
            return .failure(.participantAccessDenied)
        }
        let all = chat.pastItems + chat.items
        if let asked = body["ContactId"]?.stringValue, asked != contact.contactID,
            !chat.pastItems.contains(where: { $0.contactID == asked }), asked != contact.initialContactID
        {
            return .failure(.participantValidation("ContactId \(asked) is not part of this chat's contacts."))
        }
        let requested = body["MaxResults"].flatMap(ModelValidator.integer) ?? 0
        let pageSize = requested == 0 ? 10 : requested
        let sortAscending = body["SortOrder"]?.stringValue == "ASCENDING"

        let forward: Bool
        var start: Int
        if let token = body["NextToken"]?.stringValue {
            guard let position = TranscriptPageToken(token), position.contactID == contact.contactID,
                (0...all.count).contains(position.index) || (!position.forward && position.index == -1)
            else {
                return .failure(.participantValidation("The NextToken is not valid for this transcript."))
            }
            forward = position.forward
            start = position.index
        } else {
            let startPosition = body["StartPosition"]
            forward = (body["ScanDirection"]?.stringValue).map { $0 == "FORWARD" } ?? (startPosition != nil)
            if let id = startPosition?["Id"]?.stringValue {
                guard let index = all.firstIndex(where: { $0.id == id }) else {
                    return .failure(.participantValidation("StartPosition.Id \(id) is not an item of this transcript."))
                }
                start = index
            } else if let text = startPosition?["AbsoluteTime"]?.stringValue {
                guard let time = TranscriptPageToken.parseInstant(text) else {
                    return .failure(
                        .participantValidation("StartPosition.AbsoluteTime must be yyyy-MM-ddThh:mm:ss.SSSZ."))
                }
                start =
                    forward
                    ? (all.firstIndex { $0.absoluteTime >= time } ?? all.count)
                    : (all.lastIndex { $0.absoluteTime <= time } ?? -1)
            } else if let mostRecent = startPosition?["MostRecent"].flatMap(ModelValidator.integer) {
                start = max(all.count - 1 - mostRecent, forward ? 0 : -1)
            } else {
                start = forward ? 0 : all.count - 1
            }
        }

        var page: [TranscriptItem]
        var next: Int?
        if forward {
            let end = min(start + pageSize, all.count)
            page = start < end ? Array(all[start..<end]) : []
            next = end < all.count ? end : nil
        } else {
            let low = max(start - pageSize + 1, 0)
            page = start >= 0 && low <= start ? Array(all[low...start]) : []
            next = low > 0 && start >= 0 ? low - 1 : nil
        }
        if !sortAscending {
            page.reverse()
        }
        var answer: [String: JSONValue] = [
            "InitialContactId": .string(contact.initialContactID),
            "Transcript": .array(page.map { json($0, currentContactID: contact.contactID) }),
        ]
        if let next {
            answer["NextToken"] = .string(
                TranscriptPageToken(contactID: contact.contactID, index: next, forward: forward).text)
        }
        return .success(.object(answer))
    }

    /// A transcript item as GetTranscript answers it: an item of an earlier contact of a
    /// persistent chat names it in `RelatedContactId`, one of this contact in `ContactId`.
    static func json(_ item: TranscriptItem, currentContactID: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "Id": .string(item.id), "Type": .string(item.kind.rawValue), "ContentType": .string(item.contentType),
            "AbsoluteTime": .string(HTTPDate.iso8601(item.absoluteTime)),
        ]
        object["Content"] = item.content.map(JSONValue.string)
        object["ParticipantRole"] = item.role.map { .string($0.rawValue) }
        object["ParticipantId"] = item.participantID.map(JSONValue.string)
        object["DisplayName"] = item.displayName.map(JSONValue.string)
        if item.contactID == currentContactID {
            object["ContactId"] = .string(item.contactID)
        } else {
            object["RelatedContactId"] = .string(item.contactID)
        }
        return .object(object)
    }
}
