/// How WebSocket connections are made: the same trust store and proxies as HTTPS calls
/// (``CurlTransport/Configuration``), so a WebSocket goes where the API calls go.
public struct WebSocketConfiguration: Sendable, Equatable {
    /// A PEM CA bundle replacing the system's, or `nil`.
    public var caBundle: String?
    /// The proxies (`wss` uses the `https` proxy, `ws` the `http` one), with `NO_PROXY`.
    public var proxies: ProxySettings
    /// The `User-Agent` of the opening handshake.
    public var userAgent: String
    /// The libcurl limit on making the connection (TCP, proxy, TLS), in seconds: a backstop
    /// under the caller's own handshake timeout.
    public var connectTimeout: Double
    /// The largest message (and frame) accepted; a larger one closes the socket with 1009.
    public var maxMessageBytes: Int

    /// Creates a configuration.
    public init(
        caBundle: String? = nil, proxies: ProxySettings = ProxySettings(), userAgent: String = "chatctl",
        connectTimeout: Double = 30, maxMessageBytes: Int = 1 << 20
    ) {
        self.caBundle = caBundle
        self.proxies = proxies
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.maxMessageBytes = max(125, maxMessageBytes)
    }

    /// The trust store, proxies and User-Agent of `transport`.
    public init(transport: CurlTransport.Configuration) {
        self.init(caBundle: transport.caBundle, proxies: transport.proxies, userAgent: transport.userAgent)
    }
}
