/// An HTTP response as plain data.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code, for example 200.
    public var status: Int
    /// The header fields in the order received.
    public var headers: HTTPHeaders
    /// The body bytes; empty for none.
    public var body: [UInt8]

    /// Creates a response from its parts.
    public init(status: Int, headers: HTTPHeaders = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool {
        (200..<300).contains(status)
    }

    /// The body decoded as UTF-8, with invalid sequences replaced.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}
