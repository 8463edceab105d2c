/// A Participant Service operation: `POST` of a JSON body to its path, restJson1 errors
/// marked as the Participant Service's (for hints). The token is not part of the input: it
/// travels in `X-Amz-Bearer`, added by ``ParticipantClient``.
public protocol ParticipantOperation: AWSOperation, CustomStringConvertible {
    /// The operation's path, for example `/participant/message`.
    static var path: String { get }

    /// The exact JSON body: compact, keys sorted, absent members left out.
    func jsonBody() -> [UInt8]
}

extension ParticipantOperation {
    /// The JSON body as text (it holds no secret: the token travels in a header).
    public var description: String {
        String(decoding: jsonBody(), as: UTF8.self)
    }

    /// `POST` ``path`` with `Content-Type: application/json` and ``jsonBody()``.
    public func httpRequest(endpoint: ServiceEndpoint) -> HTTPRequest {
        endpoint.request(method: "POST", path: Self.path, headers: ["Content-Type": "application/json"], body: jsonBody())
    }

    /// restJson1 error decoding, naming the Participant Service for hints.
    public static func decodeError(_ response: HTTPResponse) -> AWSServiceError {
        AWSServiceError(participantResponse: response, operation: operationName)
    }
}
