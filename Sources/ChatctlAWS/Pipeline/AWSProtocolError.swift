/// A response that does not match the restJson1 shape of its operation.
public struct AWSProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operation, for example `StartChatContact`.
    public var operation: String
    /// The HTTP status of the response.
    public var status: Int
    /// What was wrong, lowercase with no trailing period.
    public var detail: String

    /// Creates an error.
    public init(operation: String, status: Int, detail: String) {
        self.operation = operation
        self.status = status
        self.detail = detail
    }

    /// `StartChatContact returned a malformed response (HTTP 200): …`.
    public var description: String {
        "\(operation) returned a malformed response (HTTP \(status)): \(detail)"
    }
}
