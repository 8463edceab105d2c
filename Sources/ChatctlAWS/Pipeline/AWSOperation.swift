internal import Foundation

/// An AWS operation bound to its wire protocol: how its input becomes an HTTP request, how
/// a successful HTTP response becomes its output (checked against the model), and how an
/// error response is decoded. ``AWSServiceClient`` sends it.
public protocol AWSOperation: Sendable {
    /// The decoded output of the operation.
    associatedtype Response: Sendable

    /// The operation name, for example `StartChatContact`.
    static var operationName: String { get }

    /// The HTTP request for this input at `endpoint`, not yet signed.
    ///
    /// - Parameter endpoint: the service's base URL.
    /// - Returns: method, path, `Content-Type: application/json` when there is a body, and the body.
    func httpRequest(endpoint: ServiceEndpoint) -> HTTPRequest

    /// Decodes a 2xx response.
    ///
    /// - Parameter response: the response.
    /// - Returns: the output.
    /// - Throws: ``AWSProtocolError`` when the body is not the expected JSON.
    static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> Response

    /// Decodes an error response (status 300 and above). The default reads restJson1
    /// (``AWSServiceError/init(response:operation:)``); Query-protocol operations read XML.
    ///
    /// - Parameter response: the response.
    /// - Returns: the error, its message already redacted.
    static func decodeError(_ response: HTTPResponse) -> AWSServiceError
}

extension AWSOperation {
    /// restJson1 error decoding.
    public static func decodeError(_ response: HTTPResponse) -> AWSServiceError {
        AWSServiceError(response: response, operation: operationName)
    }
}

extension AWSOperation {
    /// Decodes a JSON body into `type`, treating an empty body as `{}`.
    static func decodeJSON<Output: Decodable>(
        _ type: Output.Type, from response: HTTPResponse
    ) throws(AWSProtocolError) -> Output {
        let body = response.body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            ? Array("{}".utf8) : response.body
        do {
            return try JSONDecoder().decode(Output.self, from: Data(body))
        } catch {
            throw AWSProtocolError(
                operation: operationName, status: response.status, detail: Self.describe(error))
        }
    }

    /// A lowercase one-line summary of a decoding error.
    private static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else {
            return "the body is not valid JSON"
        }
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the body" : names.joined(separator: ".")
        }
        switch decodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type"
        case .keyNotFound(let key, let context):
            return "\(path(context)) lacks \(key.stringValue)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context)) is malformed"
        @unknown default:
            return "the body could not be decoded"
        }
    }
}
