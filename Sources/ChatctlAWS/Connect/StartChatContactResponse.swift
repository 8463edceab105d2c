/// The output of `StartChatContact`. Every member is optional in the model; unknown members
/// are ignored. `ParticipantToken` is held as ``Sensitive`` so printing never shows it.
public struct StartChatContactResponse: Sendable, Equatable, Decodable {
    /// `ContactId`: the new chat contact.
    public var contactId: String?
    /// `ParticipantId`: the customer participant.
    public var participantId: String?
    /// `ParticipantToken`: the customer's token for the participant service; sensitive.
    public var participantToken: Sensitive<String>?
    /// `ContinuedFromContactId`: the contact a persistent chat continues.
    public var continuedFromContactId: String?

    /// Creates a response.
    public init(
        contactId: String? = nil, participantId: String? = nil, participantToken: Sensitive<String>? = nil,
        continuedFromContactId: String? = nil
    ) {
        self.contactId = contactId
        self.participantId = participantId
        self.participantToken = participantToken
        self.continuedFromContactId = continuedFromContactId
    }

    enum CodingKeys: String, CodingKey {
        case contactId = "ContactId", participantId = "ParticipantId", participantToken = "ParticipantToken"
        case continuedFromContactId = "ContinuedFromContactId"
    }
}
