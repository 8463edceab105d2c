/// Who a message in a chat comes from, as the Participant Service names roles.
public enum FlowMessageRole: String, Sendable, Hashable {
    case system = "SYSTEM"
    case bot = "BOT"
    case agent = "AGENT"
    case customer = "CUSTOMER"
}

/// What the customer did that a running flow reacts to.
public enum FlowCustomerEvent: Sendable, Hashable {
    /// The customer called CreateParticipantConnection: the flow starts.
    case connected
    /// The customer sent a message.
    case message(text: String, contentType: String)
}

/// Why a flow ended a chat.
public enum FlowEndReason: String, Sendable, Hashable {
    /// A DisconnectParticipant action.
    case disconnected
    /// The flow ran out of actions (EndFlowExecution, or an action with no successor)
    /// without queueing the contact: the service disconnects such a contact.
    case flowEnded
    /// An action failed and had no error branch to take.
    case flowError
}

/// What a running flow does to its chat: the operations of the emulator's chat session,
/// so that the interpreter runs without the participant transport (tests drive it with
/// ``RecordingFlowHost``; the emulator's `ChatSession` conforms).
///
/// The interpreter calls these while it handles one event; a host must not call back into
/// the interpreter from them.
public protocol FlowHost: AnyObject {
    /// Appends a message to the chat's transcript (and sends it on the WebSocket).
    func postMessage(role: FlowMessageRole, displayName: String, contentType: String, content: String)
    /// Sets contact attributes: the keys given replace their values, the others stay.
    func setAttributes(_ attributes: [String: String])
    /// The contact's attributes (those StartChatContact gave, with the flow's changes).
    var attributes: [String: String] { get }
    /// Puts the contact in a queue (what DescribeContact then reports as queued).
    func markQueued(queueId: String?)
    /// Ends the chat (participant-left, then chat-ended).
    func endChat(reason: FlowEndReason)
}

/// A ``FlowHost`` that also hands the customer's events to one listener: what
/// ``FlowRunner/install(on:contactFlowId:contactId:now:)`` hooks into.
public protocol FlowCustomerEventSource: FlowHost {
    /// Called for every customer event of the chat, in order.
    var onCustomerEvent: (FlowCustomerEvent) -> Void { get set }
}
