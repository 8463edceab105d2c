internal import Foundation

/// One item of a chat: what `GetTranscript` pages hold and what an `aws/chat` WebSocket
/// frame carries (its `content` is this object as a JSON string). Every member but `Id` is
/// optional in the model; unknown members are ignored.
public struct ChatTranscriptItem: Sendable, Equatable, Decodable, Identifiable {
    /// The content type of the item that ends a chat.
    public static let chatEndedContentType = "application/vnd.amazonaws.connect.event.chat.ended"

    /// `Id` (1 to 256 characters): unique in the chat, the key of de-duplication.
    public var id: String
    /// `Type`: `MESSAGE`, `EVENT`, `CHAT_ENDED`, `PARTICIPANT_JOINED`, `TYPING`, … as sent.
    public var type: String?
    /// `ContentType`, for example `text/plain` or `application/vnd.amazonaws.connect.event.typing`.
    public var contentType: String?
    /// `Content`.
    public var content: String?
    /// `AbsoluteTime` (`yyyy-MM-ddThh:mm:ss.SSSZ`), as sent.
    public var absoluteTime: String?
    /// `ParticipantId`.
    public var participantId: String?
    /// `DisplayName`.
    public var displayName: String?
    /// `ParticipantRole`: `AGENT`, `CUSTOMER`, `SYSTEM`, `CUSTOM_BOT`, `SUPERVISOR`.
    public var participantRole: String?
    /// `ContactId`: the contact of the current session that holds the item.
    public var contactId: String?
    /// `RelatedContactId`: a past contact of a persistent chat.
    public var relatedContactId: String?
    /// `InitialContactId` (WebSocket frames only).
    public var initialContactId: String?
    /// `MessageMetadata.MessageCompleted`: `false` on the partial chunks of a message a bot
    /// streams, `true` on the whole message that replaces them; absent on ordinary items.
    public var messageCompleted: Bool?

    /// Creates an item.
    public init(
        id: String, type: String? = nil, contentType: String? = nil, content: String? = nil, absoluteTime: String? = nil,
        participantId: String? = nil, displayName: String? = nil, participantRole: String? = nil,
        contactId: String? = nil, relatedContactId: String? = nil, initialContactId: String? = nil,
        messageCompleted: Bool? = nil
    ) {
        self.id = id
        self.type = type
        self.contentType = contentType
        self.content = content
        self.absoluteTime = absoluteTime
        self.participantId = participantId
        self.displayName = displayName
        self.participantRole = participantRole
        self.contactId = contactId
        self.relatedContactId = relatedContactId
        self.initialContactId = initialContactId
        self.messageCompleted = messageCompleted
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", type = "Type", contentType = "ContentType", content = "Content", absoluteTime = "AbsoluteTime"
        case participantId = "ParticipantId", displayName = "DisplayName", participantRole = "ParticipantRole"
        case contactId = "ContactId", relatedContactId = "RelatedContactId", initialContactId = "InitialContactId"
        case messageMetadata = "MessageMetadata"
    }

    private enum MetadataKeys: String, CodingKey {
        case messageCompleted = "MessageCompleted"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        contentType = try container.decodeIfPresent(String.self, forKey: .contentType)
        content = try container.decodeIfPresent(String.self, forKey: .content)
        absoluteTime = try container.decodeIfPresent(String.self, forKey: .absoluteTime)
        participantId = try container.decodeIfPresent(String.self, forKey: .participantId)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        participantRole = try container.decodeIfPresent(String.self, forKey: .participantRole)
        contactId = try container.decodeIfPresent(String.self, forKey: .contactId)
        relatedContactId = try container.decodeIfPresent(String.self, forKey: .relatedContactId)
        initialContactId = try container.decodeIfPresent(String.self, forKey: .initialContactId)
        // Only the completion flag is read; receipts and the rest of the metadata are not.
        let metadata = try? container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .messageMetadata)
        messageCompleted = try? metadata?.decodeIfPresent(Bool.self, forKey: .messageCompleted)
    }

    /// Whether this is a whole message, not a streamed message's partial chunk: only
    /// completed messages may meet a verify step (docs/verify.md).
    public var isComplete: Bool {
        messageCompleted ?? true
    }

    /// Whether this item says the chat is over (`Type` `CHAT_ENDED` or the
    /// `…event.chat.ended` content type): nothing follows it.
    public var endsChat: Bool {
        type == "CHAT_ENDED" || contentType == Self.chatEndedContentType
    }

    /// Parses the JSON text an `aws/chat` frame carries as its `content`.
    ///
    /// - Returns: the item, or `nil` when the text is not an item with an `Id`.
    public static func parse(json text: String) -> ChatTranscriptItem? {
        guard let item = try? JSONDecoder().decode(ChatTranscriptItem.self, from: Data(text.utf8)), !item.id.isEmpty else {
            return nil
        }
        return item
    }
}
