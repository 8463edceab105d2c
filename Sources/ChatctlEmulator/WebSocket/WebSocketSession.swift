/// What a WebSocket route does once its connection is upgraded: `run` talks over the
/// channel; when it returns, the socket is closed (normal closure).
struct WebSocketSession: Sendable {
    let run: @Sendable (any WebSocketChannel) async -> Void
}
