import ChatctlJSON

/// The input of `CreateParticipantConnection` (`POST /participant/connection`). The
/// `ParticipantToken` travels in `X-Amz-Bearer`, not here: ``ParticipantClient`` adds it.
public struct CreateParticipantConnectionRequest: ParticipantOperation, Equatable {
    public typealias Response = CreateParticipantConnectionResponse

    /// `CreateParticipantConnection`.
    public static var operationName: String { "CreateParticipantConnection" }
    /// `/participant/connection`.
    public static var path: String { "/participant/connection" }

    /// A member of `Type`.
    public enum ConnectionType: String, Sendable, Equatable, CaseIterable {
        /// A WebSocket URL for the live channel.
        case webSocket = "WEBSOCKET"
        /// A `ConnectionToken` for the other operations.
        case connectionCredentials = "CONNECTION_CREDENTIALS"
    }

    /// `Type`: what to create (at least one); both by default, as ChatJS asks for a customer.
    public var types: [ConnectionType]
    /// `ConnectParticipant`: mark the participant connected (message streaming); absent by default.
    public var connectParticipant: Bool?

    /// Creates a request.
    public init(types: [ConnectionType] = [.webSocket, .connectionCredentials], connectParticipant: Bool? = nil) {
        self.types = types
        self.connectParticipant = connectParticipant
    }

    /// The exact JSON body: compact, keys sorted, absent members left out.
    public func jsonBody() -> [UInt8] {
        var object = JSONObjectBuilder()
        object.set("Type", types.map(\.rawValue))
        object.set("ConnectParticipant", connectParticipant)
        return object.bytes
    }

    /// Decodes the answer and checks it against the model's lengths.
    public static func decodeResponse(
        _ response: HTTPResponse
    ) throws(AWSProtocolError) -> CreateParticipantConnectionResponse {
        let decoded = try decodeJSON(CreateParticipantConnectionResponse.self, from: response)
        if let violation = decoded.modelViolation {
            throw AWSProtocolError(operation: operationName, status: response.status, detail: violation)
        }
        return decoded
    }
}
