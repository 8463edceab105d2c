public import Foundation

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
