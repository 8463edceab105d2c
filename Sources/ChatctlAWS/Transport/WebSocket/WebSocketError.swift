/// Why a WebSocket could not be opened, or failed once open. ``description`` never holds the
/// URL's query (a WebSocket URL carries its credential there).
public struct WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The URL is not a `ws` or `wss` URL with a host.
        case invalidURL
        /// The connection (TCP, proxy, TLS) failed, or broke.
        case transport(TransportError)
        /// The server did not open a WebSocket (not 101, a wrong accept value, …).
        case handshake(RFC6455.Handshake.Refusal)
        /// The server broke the protocol.
        case protocolViolation(RFC6455.ProtocolViolation)
        /// The time allowed ran out (the handshake, or an answer the caller waited for).
        case timeout
        /// The connection is closed.
        case closed
        /// The calling task was cancelled.
        case cancelled
        /// No random bytes for the key or a mask.
        case random(CryptoError)
    }

    /// What went wrong.
    public var kind: Kind
    /// The URL without its query.
    public var url: String

    /// Creates an error.
    public init(_ kind: Kind, url: String) {
        self.kind = kind
        self.url = url
    }

    /// One line, for example `ws://127.0.0.1:9000/participant/websocket: the opening handshake timed out`.
    public var description: String {
        let what: String
        switch kind {
        case .invalidURL: what = "not a ws or wss URL with a host"
        case .transport(let error): what = error.message
        case .handshake(let refusal): what = "the opening handshake failed: \(refusal)"
        case .protocolViolation(let violation): what = "the server broke the WebSocket protocol: \(violation)"
        case .timeout: what = "no answer in the time allowed"
        case .closed: what = "the connection is closed"
        case .cancelled: what = "cancelled"
        case .random(let error): what = "no random bytes: \(error)"
        }
        return "\(url): \(what)"
    }
}
