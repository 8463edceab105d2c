public import Foundation

/// What the emulator keeps of a chat beyond its ``EmulatedContact``: the transcript, the
/// customer's connection, the contact attributes a flow set, the queue it was put in, and
/// why it ended. It holds no token (only hashes, in the store's indexes).
public struct ChatRecord: Sendable, Equatable {
    /// Items carried over from the contacts a persistent chat continues, oldest first.
    public var pastItems: [TranscriptItem] = []
    /// This contact's items, oldest first.
    public var items: [TranscriptItem] = []
    /// The customer's display name (`ParticipantDetails.DisplayName`).
    public var customerDisplayName: String
    /// When the customer first called CreateParticipantConnection.
    public var customerConnectedAt: Date?
    /// When the customer was first there to hear the contact flow, which starts then: its
    /// WebSocket subscribed to `aws/chat`, it made its first SendMessage, SendEvent or
    /// GetTranscript, or it connected without asking for a WebSocket (see
    /// ``ContactStore/claimFlowStart(_:now:)``).
    public var customerListeningAt: Date?
    /// When the chat ends if the customer has not connected by then (`nil`: never).
    public var connectDeadline: Date?
    /// Contact attributes, as StartChatContact gave them and a flow set them.
    public var attributes: [String: String] = [:]
    /// The queue a flow put the contact in.
    public var queueID: String?
    /// When a flow put it in a queue.
    public var queuedAt: Date?
    /// Why it ended.
    public var endReason: ChatEndReason?
    /// The contact flow's path and state, kept here once the chat has ended and its
    /// interpreter is dropped (`nil` while it runs, and for a chat without a flow).
    public var flow: ChatFlowRecord?
    /// The item each SendMessage or SendEvent `ClientToken` created, so a retry gets the
    /// same answer and adds nothing.
    var clientTokens: [String: String] = [:]
}

/// Why a chat ended, as the admin API shows it.
public enum ChatEndReason: String, Sendable, Equatable {
    /// StopContact ended it.
    case stopContact = "STOP_CONTACT"
    /// The customer called DisconnectParticipant.
    case customerDisconnected = "CUSTOMER_DISCONNECT"
    /// The customer never called CreateParticipantConnection within the connect window.
    case customerNeverConnected = "CUSTOMER_NEVER_CONNECTED"
    /// Its `ChatDurationInMinutes` ran out.
    case expired = "EXPIRED"
    /// The contact flow disconnected it (a DisconnectParticipant block).
    case flowDisconnected = "CONTACT_FLOW_DISCONNECT"
    /// The contact flow ran out of actions (EndFlowExecution, or an action with no
    /// successor) without queueing the contact. The service disconnects such a contact and
    /// reports `CONTACT_FLOW_DISCONNECT` (``disconnectReason``); the admin API tells it apart.
    case flowEnded = "CONTACT_FLOW_END"
    /// An action of the contact flow failed with no error branch to take. The service
    /// disconnects the contact (``disconnectReason`` is `CONTACT_FLOW_DISCONNECT`); the
    /// admin API tells it apart.
    case flowError = "CONTACT_FLOW_ERROR"

    /// The disconnect reason the service records for the contact (`nil`: StopContact's,
    /// which records none).
    public var disconnectReason: String? {
        switch self {
        case .stopContact: nil
        case .flowEnded, .flowError: ChatEndReason.flowDisconnected.rawValue
        default: rawValue
        }
    }
}

/// What a chat's contact flow did, as the admin API shows it: the actions gone through and
/// where the flow stopped. It holds no attribute value.
public struct ChatFlowRecord: Sendable, Equatable {
    /// The contact-flow id the chat was started with.
    public var contactFlowID: String
    /// The actions gone through, in order.
    public var path: [FlowStep]
    /// Where the flow is (or stopped).
    public var state: FlowInterpreter.State
}
