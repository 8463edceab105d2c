/// A message received on, or sent to, a WebSocket.
enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
}
