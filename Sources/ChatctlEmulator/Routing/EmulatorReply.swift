import ChatctlAWS

/// What the emulator does with one request. The transport (``EmulatorHTTPServer``, or
/// ``InProcessEmulator`` without a socket) carries each case out; none is encoded as
/// another (a dropped connection is not an error thrown somewhere, a WebSocket is not a
/// special response).
enum EmulatorReply: Sendable {
    /// Send this response.
    case answer(HTTPResponse)
    /// Close the connection without sending a byte (injected `drop` and `lost` faults).
    case dropConnection
    /// Send these bytes, which are not HTTP, then close the connection (injected `garbage`).
    case garbage([UInt8])
    /// Answer `101 Switching Protocols` with `Sec-WebSocket-Accept: accept`, then hand the
    /// connection to `session` until either side closes it.
    case webSocket(accept: String, session: WebSocketSession)
}
