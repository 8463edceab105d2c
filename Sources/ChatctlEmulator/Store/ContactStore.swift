import ChatctlAWS
public import ChatctlJSON
public import Foundation

/// Every contact the emulator knows, and every ClientToken it remembers: the one store the
/// Connect behaviour writes (StartChatContact, StopContact) and the Participant behaviour
/// will read and write (connections, messages, the end of a chat), so both always see the
/// same chat.
///
/// It is a value without I/O, driven by the caller's emulated time (`now` on every call):
/// the server keeps one behind its state lock, tests drive one directly. Every state change
/// is appended to ``pendingEvents`` with its emulated time; the server takes them with
/// ``takeEvents()`` inside the same lock and publishes them on its ``ContactEventHub``, so
/// subscribers see changes in the order they happened.
public struct ContactStore: Sendable {
    /// How long a ClientToken is remembered, in seconds of emulated time.
    public let idempotencyWindow: TimeInterval

    private var contacts: [String: EmulatedContact] = [:]
    private var creationOrder: [String] = []
    private var activeCounts: [String: Int] = [:]
    private var expiries = ExpiryQueue()
    private var records: [String: IdempotencyRecord] = [:]
    private var recordOrder: [(token: String, createdAt: Date)] = []
    private var recordOrderStart = 0
    private var lastSequence = 0
    /// The changes not yet taken by ``takeEvents()``, oldest first.
    public private(set) var pendingEvents: [ContactEvent] = []
    /// The participant side of each chat StartChatContact created, by contact id.
    public internal(set) var chats: [String: ChatRecord] = [:]
    /// Connection records by the SHA-256 of their ConnectionToken (``rememberConnection(_:_:now:)``).
    private(set) var connections: [String: ParticipantConnection] = [:]
    /// The number of connection records at which the useless ones are next forgotten.
    private var connectionPruneThreshold = 1024
    /// Contact ids by the SHA-256 of their ParticipantToken.
    var contactsByParticipantToken: [String: String] = [:]
    /// WebSocket URLs handed out, by their path token (``rememberWebSocket(_:_:now:)``).
    private(set) var webSockets: [String: ParticipantConnection] = [:]
    /// The number of WebSocket URLs at which the expired ones are next forgotten.
    private var webSocketPruneThreshold = 1024
    /// How long a customer has to call CreateParticipantConnection, in seconds; `nil` keeps
    /// chats whose customer never connects open.
    public let customerConnectWindow: TimeInterval?
    /// The source of transcript item ids (seeded: the same run gives the same ids).
    var itemIDs: SplitMix64

    /// A connection CreateParticipantConnection made: whose, and until when it is valid.
    struct ParticipantConnection: Sendable, Equatable {
        var contactID: String
        var participantID: String
        var expiresAt: Date
    }

    /// What a ClientToken is remembered with: the request body it came with and the answer
    /// it got.
    struct IdempotencyRecord: Sendable {
        var body: JSONValue
        var answer: JSONValue
        var createdAt: Date
    }

    /// What the store remembers of a ClientToken.
    public enum ClientTokenLookup: Sendable, Equatable {
        /// Not seen within the window: the request goes ahead.
        case unknown
        /// Seen with the same body: answer this again and create nothing.
        case replay(JSONValue)
        /// Seen with another body.
        case mismatch
    }

    /// Creates an empty store.
    ///
    /// - Parameter idempotencyWindow: how long a ClientToken is remembered, in seconds.
    ///   - customerConnectWindow: seconds a customer has to connect before the chat ends;
    ///     `nil` keeps such chats open.
    ///   - seed: the seed of transcript item ids.
    public init(idempotencyWindow: TimeInterval, customerConnectWindow: TimeInterval? = 300, seed: UInt64 = 0) {
        self.idempotencyWindow = idempotencyWindow
        self.customerConnectWindow = customerConnectWindow
        self.itemIDs = SplitMix64(seed: seed ^ 0x7472_616E_7363_7269)
    }

    // MARK: - Contacts

    /// The contact with `id`, if there is one.
    public func contact(_ id: String) -> EmulatedContact? {
        contacts[id]
    }

    /// Every contact, in creation order.
    public var allContacts: [EmulatedContact] {
        creationOrder.compactMap { contacts[$0] }
    }

    /// The contact created or imported last.
    public var newestContact: EmulatedContact? {
        creationOrder.last.flatMap { contacts[$0] }
    }

    /// The number of contacts created or imported since the start or the last reset.
    public var contactCount: Int {
        creationOrder.count
    }

    /// The number of active chats in `instanceID` at `now`.
    public mutating func activeChatCount(instanceID: String, now: Date) -> Int {
        endExpiredChats(now: now)
        return activeCounts[instanceID, default: 0]
    }

    /// The number of chats active at `now`, over all instances.
    public mutating func activeChatCount(now: Date) -> Int {
        endExpiredChats(now: now)
        return activeCounts.values.reduce(0, +)
    }

    /// Adds a contact StartChatContact created (publishes ``ContactEvent/Kind/started``),
    /// with its chat: the customer's `PARTICIPANT_JOINED`, the initial message if any, and,
    /// for a persistent chat, the transcript of the contacts it continues.
    mutating func insertStarted(
        _ contact: EmulatedContact, participantTokenSHA256: String, customerDisplayName: String,
        initialMessage: (contentType: String, content: String)? = nil, attributes: [String: String] = [:], now: Date
    ) {
        contacts[contact.contactID] = contact
        creationOrder.append(contact.contactID)
        activeCounts[contact.instanceID, default: 0] += 1
        expiries.insert(contact.contactID, expiresAt: contact.expiresAt)
        contactsByParticipantToken[participantTokenSHA256] = contact.contactID
        var chat = ChatRecord(customerDisplayName: customerDisplayName)
        chat.attributes = attributes
        if let source = contact.continuedFromContactID, let past = chats[source] {
            chat.pastItems = past.pastItems + past.items
        }
        if let window = customerConnectWindow {
            let deadline = now.addingTimeInterval(window)
            chat.connectDeadline = deadline
            expiries.insert(contact.contactID, expiresAt: deadline)
        }
        chats[contact.contactID] = chat
        publish(.started, contact, at: now)
        appendItem(
            to: contact.contactID, kind: .participantJoined, contentType: TranscriptItem.ContentTypes.participantJoined,
            content: nil, role: .customer, participantID: contact.participantID, displayName: customerDisplayName, at: now)
        if let initialMessage {
            appendItem(
                to: contact.contactID, kind: .message, contentType: initialMessage.contentType,
                content: initialMessage.content, role: .customer, participantID: contact.participantID,
                displayName: customerDisplayName, at: now)
        }
    }

    /// Ends an active contact (publishes ``ContactEvent/Kind/stopped``).
    ///
    /// - Returns: `false` when there is no such contact or it is not active at `now`.
    mutating func stop(_ contactID: String, disconnectReasonCode: String?, now: Date) -> Bool {
        end(contactID, reason: .stopContact, disconnectReasonCode: disconnectReasonCode, now: now)
    }

    /// Ends an active chat at `now` for `reason`: the customer's `PARTICIPANT_LEFT` (unless
    /// the chat expired) and `CHAT_ENDED` go into its transcript, and the contact is
    /// published as ``ContactEvent/Kind/stopped`` (StopContact) or ``ContactEvent/Kind/ended``.
    ///
    /// - Returns: `false` when there is no such contact or it is not active at `now`.
    @discardableResult
    mutating func end(
        _ contactID: String, reason: ChatEndReason, disconnectReasonCode: String? = nil, now: Date
    ) -> Bool {
        endExpiredChats(now: now)
        guard var contact = contacts[contactID], contact.state(at: now) == .active else {
            return false
        }
        contact.stoppedAt = now
        contact.disconnectReasonCode = disconnectReasonCode ?? reason.disconnectReason
        contacts[contactID] = contact
        activeCounts[contact.instanceID, default: 1] -= 1
        closeChat(contact, reason: reason, at: now)
        publish(reason == .stopContact ? .stopped : .ended, contact, at: now)
        return true
    }

    /// Writes the end of a chat into its transcript and forgets its connections.
    private mutating func closeChat(_ contact: EmulatedContact, reason: ChatEndReason, at time: Date) {
        guard var chat = chats[contact.contactID] else { return }
        chat.endReason = reason
        chats[contact.contactID] = chat
        appendItem(
            to: contact.contactID, kind: .participantLeft, contentType: TranscriptItem.ContentTypes.participantLeft,
            content: nil, role: .customer, participantID: contact.participantID, displayName: chat.customerDisplayName,
            at: time)
        appendItem(
            to: contact.contactID, kind: .chatEnded, contentType: TranscriptItem.ContentTypes.chatEnded, content: nil,
            role: nil, participantID: nil, displayName: nil, at: time)
    }

    /// Appends an item to an active chat's transcript and publishes it as a
    /// ``ContactEvent/Kind/transcriptItem`` event.
    ///
    /// - Returns: the item, or `nil` when the contact has no chat record.
    @discardableResult
    mutating func appendItem(
        to contactID: String, kind: TranscriptItem.Kind, contentType: String, content: String?,
        role: ParticipantRole?, participantID: String?, displayName: String?, at time: Date
    ) -> TranscriptItem? {
        guard let contact = contacts[contactID], chats[contactID] != nil else { return nil }
        let item = TranscriptItem(
            id: itemIDs.nextUUID(), kind: kind, contentType: contentType, content: content, role: role,
            participantID: participantID, displayName: displayName, absoluteTime: time, contactID: contactID)
        chats[contactID]?.items.append(item)
        publish(.transcriptItem, contact, at: time, item: item)
        return item
    }

    /// Adds contacts that exist outside this emulator's run — chats an earlier run
    /// launched, or historical chats a profile refers to by id — so persistent chats,
    /// related contacts and StopContact can refer to them. A contact already known is
    /// kept as it is. Active ones count against the active-chat quota.
    /// The flow put the contact in queue `queueID` at `time` (DescribeContact then says
    /// `QueueInfo`). The hook for the flow interpreter; returns `false` for an unknown contact.
    @discardableResult
    public mutating func enqueue(_ contactID: String, queueID: String, at time: Date) -> Bool {
        guard contacts[contactID] != nil else { return false }
        contacts[contactID]?.queuedAt = time
        contacts[contactID]?.queueID = queueID
        return true
    }

    /// An agent took the contact at `time` (DescribeContact then says `AgentInfo`).
    @discardableResult
    public mutating func connectToAgent(_ contactID: String, at time: Date) -> Bool {
        guard contacts[contactID] != nil else { return false }
        contacts[contactID]?.agentConnectedAt = time
        return true
    }

    public mutating func importContacts(_ imported: [EmulatedContact], now: Date) {
        for contact in imported where contacts[contact.contactID] == nil {
            contacts[contact.contactID] = contact
            creationOrder.append(contact.contactID)
            if contact.state(at: now) == .active {
                activeCounts[contact.instanceID, default: 0] += 1
                expiries.insert(contact.contactID, expiresAt: contact.expiresAt)
            }
            publish(.imported, contact, at: now)
        }
    }

    /// Ends the chats whose duration has passed by `now`, each published as
    /// ``ContactEvent/Kind/expired`` at the instant it ran out, and the chats whose customer
    /// did not connect within ``customerConnectWindow``, each ended at its deadline.
    public mutating func endExpiredChats(now: Date) {
        // A chat has up to two entries: its expiry, and its connect deadline (always earlier).
        for (id, due) in expiries.popExpired(now: now) {
            guard var contact = contacts[id], contact.stoppedAt == nil else { continue }
            if due == contact.expiresAt {
                activeCounts[contact.instanceID, default: 1] -= 1
                closeChat(contact, reason: .expired, at: contact.expiresAt)
                publish(.expired, contact, at: contact.expiresAt)
            } else if due < contact.expiresAt, let chat = chats[id], chat.customerConnectedAt == nil,
                chat.connectDeadline == due
            {
                contact.stoppedAt = due
                contact.disconnectReasonCode = ChatEndReason.customerNeverConnected.rawValue
                contacts[id] = contact
                activeCounts[contact.instanceID, default: 1] -= 1
                closeChat(contact, reason: .customerNeverConnected, at: due)
                publish(.ended, contact, at: due)
            }
        }
    }

    /// Remembers a ConnectionToken's record (by the token's SHA-256). Whenever the table has
    /// doubled since the last pruning, the records of expired tokens and of chats that have
    /// ended are forgotten — each would be refused 403 exactly as an unknown token is — so
    /// the table stays bounded by the active chats' connections at an amortised constant cost.
    mutating func rememberConnection(_ tokenSHA256: String, _ connection: ParticipantConnection, now: Date) {
        connections[tokenSHA256] = connection
        if connections.count >= connectionPruneThreshold {
            connections = connections.filter { _, record in
                now < record.expiresAt && contacts[record.contactID]?.state(at: now) == .active
            }
            connectionPruneThreshold = max(1024, connections.count * 2)
        }
    }

    /// Marks that `contactID`'s customer is now there to hear the contact flow, the moment
    /// its flow starts.
    ///
    /// A flow starts when its customer can hear it, not inside CreateParticipantConnection:
    /// a client that asked for a WebSocket opens and subscribes to it next (ChatJS does), and
    /// a flow that greets and disconnects at once would otherwise end the chat before the
    /// socket could carry the greeting. So the start is the first of: the WebSocket's
    /// `aws/chat` subscription, the customer's first SendMessage, SendEvent or GetTranscript,
    /// or a CreateParticipantConnection that asked for no WebSocket.
    ///
    /// - Returns: `true` the one time the flow should start now; `false` when it already
    ///   started, or the chat is not active at `now`.
    mutating func claimFlowStart(_ contactID: String, now: Date) -> Bool {
        guard contacts[contactID]?.state(at: now) == .active, let chat = chats[contactID],
            chat.customerListeningAt == nil
        else {
            return false
        }
        chats[contactID]?.customerListeningAt = now
        return true
    }

    /// Records that an active chat's flow put it in `queueID` (publishes
    /// ``ContactEvent/Kind/queued``).
    ///
    /// - Returns: `false` when there is no such chat or it is not active at `now`.
    mutating func markQueued(_ contactID: String, queueID: String?, now: Date) -> Bool {
        endExpiredChats(now: now)
        guard let contact = contacts[contactID], contact.state(at: now) == .active, chats[contactID] != nil else {
            return false
        }
        chats[contactID]?.queueID = queueID
        chats[contactID]?.queuedAt = now
        // What DescribeContact reports (`QueueInfo`): the same contact record refresh reads.
        contacts[contactID]?.queuedAt = now
        contacts[contactID]?.queueID = queueID
        publish(.queued, contact, at: now)
        return true
    }

    /// Remembers a WebSocket URL's token until its connection expiry; the expired ones are
    /// forgotten whenever the table has doubled since the last pruning, so it stays bounded
    /// by the URLs of the last 100 seconds at an amortised constant cost.
    mutating func rememberWebSocket(_ token: String, _ connection: ParticipantConnection, now: Date) {
        webSockets[token] = connection
        if webSockets.count >= webSocketPruneThreshold {
            webSockets = webSockets.filter { now < $0.value.expiresAt }
            webSocketPruneThreshold = max(1024, webSockets.count * 2)
        }
    }

    // MARK: - ClientTokens

    /// What is remembered of `clientToken`, compared with the request's `body` (member by
    /// member, order-insensitive). Forgets tokens older than the window first.
    mutating func lookUp(clientToken: String, body: JSONValue, now: Date) -> ClientTokenLookup {
        forgetOldRecords(now: now)
        guard let record = records[clientToken] else {
            return .unknown
        }
        return record.body == body ? .replay(record.answer) : .mismatch
    }

    /// Remembers the answer a request with `clientToken` got.
    mutating func remember(clientToken: String, body: JSONValue, answer: JSONValue, now: Date) {
        records[clientToken] = IdempotencyRecord(body: body, answer: answer, createdAt: now)
        recordOrder.append((clientToken, now))
    }

    /// Forgets ClientTokens older than the idempotency window.
    private mutating func forgetOldRecords(now: Date) {
        while recordOrderStart < recordOrder.count,
            now.timeIntervalSince(recordOrder[recordOrderStart].createdAt) >= idempotencyWindow
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

    // MARK: - Events

    /// Removes and returns the changes made since the last call, oldest first.
    public mutating func takeEvents() -> [ContactEvent] {
        defer { pendingEvents.removeAll(keepingCapacity: true) }
        return pendingEvents
    }

    private mutating func publish(
        _ kind: ContactEvent.Kind, _ contact: EmulatedContact, at time: Date, item: TranscriptItem? = nil
    ) {
        lastSequence += 1
        pendingEvents.append(
            ContactEvent(
                sequence: lastSequence, kind: kind, contactID: contact.contactID, instanceID: contact.instanceID,
                at: time, item: item))
    }
}
