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

    /// What makes this answer unusable, or `nil`: the ids chatctl records (`ContactId`,
    /// `ParticipantId`) must be present, and every member within the model's lengths (ids 1
    /// to 256 characters, the token 1 to 1000, counted in code points). A value is never
    /// quoted, only its length: it may be huge or hold a secret.
    public var modelViolation: String? {
        let members: [(String, String?, Int, Bool)] = [
            ("ContactId", contactId, 256, true), ("ParticipantId", participantId, 256, true),
            ("ParticipantToken", participantToken?.value, 1000, false),
            ("ContinuedFromContactId", continuedFromContactId, 256, false),
        ]
        for (name, value, maximum, required) in members {
            guard let value else {
                if required { return "\(name) is missing" }
                continue
            }
            let length = value.unicodeScalars.count
            guard (1...maximum).contains(length) else {
                return "\(name) is \(length) characters long; the model allows 1 to \(maximum)"
            }
        }
        return nil
    }
}
