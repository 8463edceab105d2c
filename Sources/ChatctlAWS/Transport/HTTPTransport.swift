/// Sends HTTP requests: the seam between the Connect client (and the credential
/// providers that call STS, IMDS and container endpoints) and the network.
///
/// The production implementation is `CurlTransport`; tests may also use a loopback
/// server through the same libcurl transport. Implementations are safe to call from
/// many tasks at once.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response, whatever its status code.
    ///
    /// - Parameters:
    ///   - request: the request, already signed when it needs to be.
    ///   - timeouts: how long to wait to connect, and for the whole exchange.
    /// - Returns: the response; a 4xx or 5xx status is a response, not an error.
    /// - Throws: ``TransportError`` when no complete response arrived.
    func send(_ request: HTTPRequest, timeouts: HTTPTimeouts) async throws(TransportError) -> HTTPResponse
}

/// Time limits for one exchange, in seconds.
public struct HTTPTimeouts: Sendable, Hashable {
    /// Time to establish the connection (TCP and TLS).
    public var connect: Double
    /// Time for the whole exchange, connection included.
    public var total: Double

    public init(connect: Double = 5, total: Double = 30) {
        self.connect = connect
        self.total = total
    }

    /// The defaults for Amazon Connect calls.
    public static let standard = HTTPTimeouts()
}

/// Why an exchange produced no response.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The host name did not resolve.
        case dns
        /// The connection was refused or could not be established.
        case connect
        /// TLS failed: handshake, certificate verification, CA bundle.
        case tls
        /// A connect or total timeout expired.
        case timeout
        /// The connection broke during the exchange (reset, closed early, partial reply).
        case reset
        /// The answer is not HTTP (garbage, HTTP/0.9) or cannot be parsed as HTTP.
        case invalidResponse
        /// A proxy refused or failed.
        case proxy
        /// The request itself is unusable (bad URL, unsupported scheme); retrying cannot help.
        case invalidRequest
        /// Anything else the transport reports.
        case other
    }

    public var kind: Kind
    /// The transport's own message (for libcurl, `curl_easy_strerror` and its error buffer).
    public var message: String
    /// The URL that was being fetched, without its query (which may hold a presigned credential).
    public var url: String
    /// Whether any of the request can have reached the server. `false` only when the failure
    /// proves nothing left: the name did not resolve, the connection was refused, TLS or
    /// the proxy failed before the request was written, or the request was rejected before
    /// sending. A caller that must not repeat an action treats `true` as "it may have
    /// happened".
    public var requestMayHaveBeenSent: Bool

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: the class of failure.
    ///   - message: the transport's own message.
    ///   - url: the URL without its query.
    ///   - requestMayHaveBeenSent: whether the request can have reached the server (default
    ///     `true`, the safe assumption).
    public init(kind: Kind, message: String, url: String, requestMayHaveBeenSent: Bool = true) {
        self.kind = kind
        self.message = message
        self.url = url
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
    }

    public var description: String { "\(url): \(message)" }

    /// How the retry strategy treats this failure.
    public var retryKind: TransportFailureKind {
        switch kind {
        case .timeout: .timeout
        case .dns, .connect, .reset, .invalidResponse, .proxy, .other: .connection
        case .tls, .invalidRequest: .permanent
        }
    }
}
