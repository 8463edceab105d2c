public import Foundation

/// One item of a chat's transcript (the Participant Service's `Item`), as the verifier and
/// the reports see it: no participant id, no token, nothing that names the customer but
/// the display name the profile gave them.
public struct ConversationItem: Sendable, Hashable {
    /// `Item.Type` values the verifier tells apart.
    public enum Kind: String, Sendable, Hashable {
        case message = "MESSAGE"
        case event = "EVENT"
        case attachment = "ATTACHMENT"
        /// Anything else (`CONNECTION_ACK`, `MESSAGE_DELIVERED`, …): kept, never matched.
        case other = "OTHER"
    }

    /// The content type of the transcript event a participant leaving produces.
    public static let participantLeftType = "application/vnd.amazonaws.connect.event.participant.left"
    /// The content type of the transcript event the end of the chat produces.
    public static let chatEndedType = "application/vnd.amazonaws.connect.event.chat.ended"

    /// `Item.Id`: the same item read twice (from the WebSocket and from GetTranscript)
    /// has the same id.
    public var id: String
    public var kind: Kind
    /// `Item.ParticipantRole`; `nil` for items without one (some events).
    public var role: Conversation.Role?
    public var displayName: String?
    public var contentType: String
    public var content: String?
    /// `Item.AbsoluteTime`, UTC.
    public var time: Date
    /// False while the message is still arriving (a streamed bot answer in chunks, or
    /// `MessageMetadata` saying it is not completed): such an item is never matched.
    public var isComplete: Bool

    public init(
        id: String, kind: Kind = .message, role: Conversation.Role?, displayName: String? = nil,
        contentType: String = "text/plain", content: String?, time: Date, isComplete: Bool = true
    ) {
        self.id = id
        self.kind = kind
        self.role = role
        self.displayName = displayName
        self.contentType = contentType
        self.content = content
        self.time = time
        self.isComplete = isComplete
    }

    /// The item as one short line for failure messages: `BOT "Our hours are 9am to 5pm"`.
    var summary: String {
        let who = role?.rawValue ?? kind.rawValue
        switch kind {
        case .message, .attachment:
            var text = content ?? ""
            if text.count > 200 { text = String(text.prefix(200)) + "…" }
            return "\(who) \(Conversation.TextMatch.quoted(text))"
        case .event, .other:
            return "\(who) [\(contentType)]"
        }
    }
}
