/// The API model's `serviceId` of the Amazon Connect Participant Service.
public let participantServiceID = "ConnectParticipant"

extension AWSServiceError {
    /// Decodes a restJson1 error answer of the Participant Service, marked with its
    /// ``serviceID`` so that ``hint`` speaks of tokens, not IAM permissions.
    ///
    /// - Parameters:
    ///   - response: a response with a status of 300 or more.
    ///   - operation: the operation that was called.
    public init(participantResponse response: HTTPResponse, operation: String) {
        self.init(response: response, operation: operation)
        serviceID = participantServiceID
    }

    /// The hint for an error of the Participant Service, when it has its own causes: its
    /// calls carry a token (`X-Amz-Bearer`) instead of a SigV4 signature.
    var participantHint: String? {
        switch kind {
        case .accessDenied:
            if operation == "CreateParticipantConnection" {
                return "the ParticipantToken was refused: the chat has ended (or was never started in this region), "
                    + "or the customer did not connect within 5 minutes of StartChatContact"
            }
            return "the ConnectionToken was refused: the chat has ended, the token expired (it lives a day), "
                + "or a ParticipantToken was sent where CreateParticipantConnection's ConnectionToken is needed"
        case .throttling, .tooManyRequests:
            return "the instance's Participant Service quota for \(operation ?? "this operation") is used up "
                + "(it is shared by every chat of the instance); run fewer chats at once"
        case .conflict:
            return "the chat's state does not allow this event now (a read or delivered receipt with more than "
                + "two active participants, or during a supervisor barge-in)"
        case .validation:
            return "the request breaks the Participant Service's rules: check the content type and the content's length"
        default:
            return nil
        }
    }
}
