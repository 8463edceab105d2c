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
    public init(idempotencyWindow: TimeInterval) {
        self.idempotencyWindow = idempotencyWindow
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

    /// Adds a contact StartChatContact created (publishes ``ContactEvent/Kind/started``).
    mutating func insertStarted(_ contact: EmulatedContact, now: Date) {
        contacts[contact.contactID] = contact
        creationOrder.append(contact.contactID)
        activeCounts[contact.instanceID, default: 0] += 1
        expiries.insert(contact.contactID, expiresAt: contact.expiresAt)
        publish(.started, contact, at: now)
    }

    /// Ends an active contact (publishes ``ContactEvent/Kind/stopped``).
    ///
    /// - Returns: `false` when there is no such contact or it is not active at `now`.
    mutating func stop(_ contactID: String, disconnectReasonCode: String?, now: Date) -> Bool {
        endExpiredChats(now: now)
        guard var contact = contacts[contactID], contact.state(at: now) == .active else {
            return false
        }
        contact.stoppedAt = now
        contact.disconnectReasonCode = disconnectReasonCode
        contacts[contactID] = contact
        activeCounts[contact.instanceID, default: 1] -= 1
        publish(.stopped, contact, at: now)
        return true
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

    /// Ends the chats whose duration has passed by `now`; each is published as
    /// ``ContactEvent/Kind/expired`` at the instant it ran out.
    public mutating func endExpiredChats(now: Date) {
        for id in expiries.popExpired(now: now) {
            guard let contact = contacts[id], contact.stoppedAt == nil else { continue }
            activeCounts[contact.instanceID, default: 1] -= 1
            publish(.expired, contact, at: contact.expiresAt)
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

    private mutating func publish(_ kind: ContactEvent.Kind, _ contact: EmulatedContact, at time: Date) {
        lastSequence += 1
        pendingEvents.append(
            ContactEvent(
                sequence: lastSequence, kind: kind, contactID: contact.contactID, instanceID: contact.instanceID,
                at: time))
    }
}
