import ChatctlAWS
import Foundation

/// What the customer did in a chat, as a ``ChatSession``'s ``ChatSession/onCustomerEvent``
/// hook hears it.
enum CustomerEvent: Sendable, Equatable {
    /// The customer is first there to hear the flow (``ContactStore/claimFlowStart(_:now:)``
    /// says when); reported once per chat.
    case connected
    /// The customer's SendMessage, after the message is in the transcript.
    case message(text: String, contentType: String)
}

/// One chat as its contact flow sees it: the place where a flow interpreter delivers its
/// output, and where it hears the customer.
///
/// The contract (the flow interpreter in `Flows/` builds on it):
/// - Every operation runs on the emulator's clock (`/_emulator/advance` moves it) under the
///   emulator's one state lock, and what it writes is published at once to the chat's
///   WebSocket subscribers and to `GET /_emulator/events`.
/// - ``postMessage(role:displayName:contentType:content:)`` appends a `MESSAGE` item to the
///   transcript (GetTranscript returns it; subscribed WebSockets get it as an `aws/chat`
///   frame). ``setAttributes(_:)`` merges contact attributes, ``attributes`` reads them
///   (StartChatContact's `Attributes` are there from the start). ``markQueued(queueId:)``
///   records that the contact was put in a queue (the chat stays active; a
///   `contact.queued` event is published, on `GET /_emulator/events` too).
///   ``endChat(reason:)`` ends the chat: the customer's `PARTICIPANT_LEFT` and `CHAT_ENDED`
///   go into the transcript and participant calls answer 403 from then on.
/// - On a chat that has already ended (stopped, expired, disconnected, never connected)
///   every writing operation does nothing and says so (`nil` or `false`).
/// - ``onCustomerEvent`` is called with ``CustomerEvent/connected`` once, when the customer
///   is first there to hear the flow (its WebSocket subscribes, its first SendMessage,
///   SendEvent or GetTranscript, or a CreateParticipantConnection without a WebSocket;
///   before that call is answered), and with ``CustomerEvent/message(text:contentType:)``
///   after each customer SendMessage, on the request's task, outside the state lock and
///   before the request is answered: what the hook posts synchronously is in the transcript
///   when the customer's call returns. The hook may call this session's operations. With no
///   hook installed nothing happens (a chat whose flow has no file posts no messages).
/// - ``ChatSessions/onChatStarted`` is where a flow interpreter installs hooks: it is called
///   once for each chat StartChatContact creates, with the session and the contact (its
///   `contactFlowID` names the flow), before StartChatContact is answered.
final class ChatSession: Sendable {
    /// The chat's contact id.
    let contactID: String
    private let state: EmulatorStateLock
    private let hook = LockedHook<@Sendable (CustomerEvent) -> Void>()

    init(contactID: String, state: EmulatorStateLock) {
        self.contactID = contactID
        self.state = state
    }

    /// Called with what the customer does (see the type's contract); `nil` by default.
    var onCustomerEvent: (@Sendable (CustomerEvent) -> Void)? {
        get { hook.function }
        set { hook.function = newValue }
    }

    /// Hands `event` to the hook, if one is installed.
    func deliver(_ event: CustomerEvent) {
        onCustomerEvent?(event)
    }

    /// Appends a `MESSAGE` to the transcript, written by `role` under `displayName`.
    ///
    /// - Returns: the item, or `nil` when the chat has ended.
    @discardableResult
    func postMessage(role: ParticipantRole, displayName: String, contentType: String, content: String)
        -> TranscriptItem?
    {
        state.withState { state, now in
            guard state.store.contact(contactID)?.state(at: now) == .active else { return nil }
            return state.store.appendItem(
                to: contactID, kind: .message, contentType: contentType, content: content, role: role,
                participantID: nil, displayName: displayName, at: now)
        }
    }

    /// The contact attributes now.
    var attributes: [String: String] {
        state.read { $0.store.chats[contactID]?.attributes ?? [:] }
    }

    /// Merges `attributes` into the contact's (a key given again is replaced).
    ///
    /// - Returns: `false` when the chat has ended.
    @discardableResult
    func setAttributes(_ attributes: [String: String]) -> Bool {
        state.withState { state, now in
            guard state.store.contact(contactID)?.state(at: now) == .active else { return false }
            state.store.chats[contactID]?.attributes.merge(attributes) { _, new in new }
            return true
        }
    }

    /// Records that the contact was put in `queueId` (or the flow's default queue, `nil`).
    ///
    /// - Returns: `false` when the chat has ended.
    @discardableResult
    func markQueued(queueId: String?) -> Bool {
        state.withState { state, now in state.store.markQueued(contactID, queueID: queueId, now: now) }
    }

    /// Ends the chat now for `reason`.
    ///
    /// - Returns: `false` when it had already ended.
    @discardableResult
    func endChat(reason: ChatEndReason = .flowDisconnected) -> Bool {
        state.withState { state, now in state.store.end(contactID, reason: reason, now: now) }
    }

    /// Whether the chat is active now.
    var isActive: Bool {
        state.withState { state, now in state.store.contact(contactID)?.state(at: now) == .active }
    }
}
