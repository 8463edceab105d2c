/// The server's end of an open WebSocket, as a route's session uses it. Pings are answered
/// and the closing handshake is done by the transport.
protocol WebSocketChannel: Sendable {
    /// The client's messages, in order; ends when the client closes the socket or the
    /// connection breaks.
    var messages: AsyncStream<WebSocketMessage> { get }
    /// Sends one text message.
    ///
    /// - Throws: when the connection is closed.
    func send(text: String) async throws
    /// Starts the closing handshake with `code` (RFC 6455 section 7.4; 1000 is normal).
    func close(code: UInt16) async
}
