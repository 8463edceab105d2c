import ChatctlAWS
import Foundation

/// A ``ChatSession`` as a contact flow sees it: the ``FlowCustomerEventSource`` that
/// ``FlowRunner/install(on:contactFlowId:contactId:now:)`` hooks a ``FlowInterpreter`` on.
///
/// It maps the flow's words onto the chat's (``FlowMessageRole/bot`` is the Participant
/// Service's `CUSTOM_BOT`, each ``FlowEndReason`` a ``ChatEndReason``) and the chat's
/// customer events onto the flow's.
///
/// Concurrency: the session's hook runs on request tasks, possibly several at once for one
/// chat; this host hands the interpreter one event at a time, in the order they take its
/// lock, and so does ``advance(to:)``. The lock order is this host's lock, then the
/// interpreter's, then the emulator's state lock (which every session operation takes): so
/// nothing here may be called while the state lock is held.
final class ChatSessionFlowHost: FlowCustomerEventSource, @unchecked Sendable {
    /// The chat.
    let session: ChatSession
    /// The contact-flow id the chat was started with.
    let contactFlowID: String
    /// Serialises the interpreter's events and deadlines; guards ``listener``.
    private let lock = NSLock()
    private var listener: (FlowCustomerEvent) -> Void = { _ in }

    init(session: ChatSession, contactFlowID: String) {
        self.session = session
        self.contactFlowID = contactFlowID
    }

    /// The interpreter's listener, set by ``FlowRunner`` before the first event.
    var onCustomerEvent: (FlowCustomerEvent) -> Void {
        get { lock.withLock { listener } }
        set { lock.withLock { listener = newValue } }
    }

    /// Hands the customer's `event` to the flow (the session's hook calls it).
    func hear(_ event: CustomerEvent) {
        let flowEvent: FlowCustomerEvent =
            switch event {
            case .connected: .connected
            case .message(let text, let contentType): .message(text: text, contentType: contentType)
            }
        lock.withLock { listener(flowEvent) }
    }

    /// Runs `body` (an interpreter call) in turn with the customer's events.
    func serialised<Result>(_ body: () -> Result) -> Result {
        lock.withLock(body)
    }

    // MARK: FlowHost

    func postMessage(role: FlowMessageRole, displayName: String, contentType: String, content: String) {
        session.postMessage(role: Self.participantRole(role), displayName: displayName, contentType: contentType, content: content)
    }

    func setAttributes(_ attributes: [String: String]) {
        session.setAttributes(attributes)
    }

    var attributes: [String: String] {
        session.attributes
    }

    func markQueued(queueId: String?) {
        session.markQueued(queueId: queueId)
    }

    func endChat(reason: FlowEndReason) {
        session.endChat(reason: Self.chatEndReason(reason))
    }

    // MARK: Mappings

    /// The Participant Service's role for a flow's message role.
    static func participantRole(_ role: FlowMessageRole) -> ParticipantRole {
        switch role {
        case .system: .system
        case .bot: .bot
        case .agent: .agent
        case .customer: .customer
        }
    }

    /// Why the admin API says the chat ended, for why the flow ended it.
    static func chatEndReason(_ reason: FlowEndReason) -> ChatEndReason {
        switch reason {
        case .disconnected: .flowDisconnected
        case .flowEnded: .flowEnded
        case .flowError: .flowError
        }
    }
}
