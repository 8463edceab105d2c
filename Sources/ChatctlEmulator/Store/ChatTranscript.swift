public import Foundation

/// Who wrote a transcript item, as the Participant Service names the role
/// (`ParticipantRole` of the model's `Item`).
public enum ParticipantRole: String, Sendable, Equatable {
    /// The contact flow and the service itself (flow prompts, joined/left/ended events).
    case system = "SYSTEM"
    /// A bot (Lex or another custom bot) answering for the flow.
    case bot = "CUSTOM_BOT"
    /// An agent.
    case agent = "AGENT"
    /// The customer.
    case customer = "CUSTOMER"
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
}

/// One item of a chat's transcript, as GetTranscript answers it and the WebSocket sends it
/// (`Item` of the model).
public struct TranscriptItem: Sendable, Equatable {
    /// The `ChatItemType` values the emulator writes.
    public enum Kind: String, Sendable, Equatable {
        case message = "MESSAGE"
        case event = "EVENT"
        case typing = "TYPING"
        case participantJoined = "PARTICIPANT_JOINED"
        case participantLeft = "PARTICIPANT_LEFT"
        case chatEnded = "CHAT_ENDED"
        case messageDelivered = "MESSAGE_DELIVERED"
        case messageRead = "MESSAGE_READ"
        case connectionAck = "CONNECTION_ACK"
    }

    /// `Id`.
    public var id: String
    /// `Type`.
    public var kind: Kind
    /// `ContentType`.
    public var contentType: String
    /// `Content`, absent for events that carry none.
    public var content: String?
    /// `ParticipantRole`, absent for `CHAT_ENDED`.
    public var role: ParticipantRole?
    /// `ParticipantId`, when a participant wrote it.
    public var participantID: String?
    /// `DisplayName`.
    public var displayName: String?
    /// `AbsoluteTime`, in emulated time.
    public var absoluteTime: Date
    /// The contact it was sent on: the chat's own, or an earlier contact of a persistent chat.
    public var contactID: String

    /// The content types of the events the emulator writes (research §1.6, from ChatJS).
    public enum ContentTypes {
        public static let participantJoined = "application/vnd.amazonaws.connect.event.participant.joined"
        public static let participantLeft = "application/vnd.amazonaws.connect.event.participant.left"
        public static let chatEnded = "application/vnd.amazonaws.connect.event.chat.ended"
        public static let typing = "application/vnd.amazonaws.connect.event.typing"
        public static let messageDelivered = "application/vnd.amazonaws.connect.event.message.delivered"
        public static let messageRead = "application/vnd.amazonaws.connect.event.message.read"
        public static let connectionAcknowledged = "application/vnd.amazonaws.connect.event.connection.acknowledged"
    }
}

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
    /// The item each SendMessage or SendEvent `ClientToken` created, so a retry gets the
    /// same answer and adds nothing.
    var clientTokens: [String: String] = [:]
}
