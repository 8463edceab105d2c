import ChatctlJSON
import Foundation

/// A Participant Service request whose stateless checks passed: the bearer token and the
/// body, checked against the model.
struct ParticipantRequest: Sendable {
    /// The `X-Amz-Bearer` token (ParticipantToken or ConnectionToken).
    var token: String
    /// The parsed body.
    var body: JSONValue
}

/// The checks of a Participant Service request that need no state: the `X-Amz-Bearer`
/// header's presence and length, JSON syntax and every model constraint of the body, all
/// answered as the model's 400 `ValidationException`.
struct ParticipantRequestChecker: Sendable {
    private let validator = ModelValidator(shapes: ParticipantModel.shapes)

    /// Checks `operation`'s request.
    ///
    /// - Throws: ``ConnectError`` `ValidationException`.
    func check(_ operation: ParticipantOperationName, token: String?, body bytes: [UInt8])
        throws(ConnectError) -> ParticipantRequest
    {
        let tokenName = operation == .createParticipantConnection ? "participantToken" : "connectionToken"
        guard let token, !token.isEmpty else {
            throw .participantValidation(
                "1 validation error detected: Value null at '\(tokenName)' failed to satisfy constraint: "
                    + "Member must not be null")
        }
        guard ParticipantModel.tokenLength.contains(token.unicodeScalars.count) else {
            throw .participantValidation(
                "1 validation error detected: Value at '\(tokenName)' failed to satisfy constraint: "
                    + "Member must have length less than or equal to \(ParticipantModel.tokenLength.upperBound)")
        }
        var body: JSONValue
        do throws(ConnectError) {
            body = try ConnectRequestChecker.parseBody(bytes)
        } catch {
            throw .participantValidation(error.message)
        }
        if operation == .createParticipantConnection, case .object(var object) = body,
            let connect = object["ConnectParticipant"]
        {
            switch connect {
            case .bool, .null: break
            default:
                throw .participantValidation("Expected a boolean at 'ConnectParticipant'.")
            }
            object["ConnectParticipant"] = nil
            try validate(.object(object), operation)
        } else {
            try validate(body, operation)
        }
        return ParticipantRequest(token: token, body: body)
    }

    private func validate(_ body: JSONValue, _ operation: ParticipantOperationName) throws(ConnectError) {
        do throws(ConnectError) {
            try validator.validate(body, shape: ParticipantModel.inputShape(operation))
        } catch {
            throw .participantValidation(error.message)
        }
    }
}
