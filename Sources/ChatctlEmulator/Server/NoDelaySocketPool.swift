import FlyingSocks
import Foundation

/// FlyingFox's socket pool with `TCP_NODELAY` turned on for every socket it waits on.
///
/// FlyingFox writes a response's head and body in two `send` calls. With Nagle's algorithm on
/// (the default), the body waits until the client acknowledges the head, and clients delay
/// that acknowledgement by up to 40 ms: every answer on a kept-alive connection would take
/// 40 ms. FlyingFox 0.27 sets no socket option on accepted connections and has no hook for
/// it, but every socket passes through the pool before its first wait; setting the option
/// there (the listening socket included, from which Linux copies it to accepted ones) removes
/// the delay. `setsockopt` is idempotent and costs well under a microsecond.
struct NoDelaySocketPool<Base: AsyncSocketPool>: AsyncSocketPool {
    let base: Base

    func prepare() async throws {
        try await base.prepare()
    }

    func run() async throws {
        try await base.run()
    }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        try? socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: Int32(TCP_NODELAY)))
        try await base.suspendSocket(socket, untilReadyFor: events)
    }
}
