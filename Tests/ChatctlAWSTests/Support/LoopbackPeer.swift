import ChatctlAWS
import FlyingSocks
import Foundation

@testable import ChatctlEmulator

/// A bounded TCP server on 127.0.0.1 for one test: each accepted connection runs `handler`
/// in a task of its own and is closed when the handler returns; ``stop()`` ends the accept
/// loop, every handler and the listener, so nothing outlives the test. Peers that never
/// answer, answer wrongly, or relay to the emulator are written with it.
///
/// Sockets are closed only after the task waiting on them has ended (cancelled, then
/// awaited), as the emulator's own server does: FlyingSocks' shared event loop would
/// otherwise keep a waiter for the descriptor, which the next socket to get that number (in
/// another test's server) would wake.
final class LoopbackPeer: Sendable {
    let port: Int
    private let listener: AsyncSocket
    private let connections = Locked<[Int: Task<Void, Never>]>([:])
    private let acceptLoop = Locked<Task<Void, Never>?>(nil)

    /// Listens; `handler` gets each connection (closed for it when it returns).
    init(handler: @escaping @Sendable (AsyncSocket) async -> Void) async throws {
        let socket = try Socket(domain: Int32(sockaddr_in.family))
        try socket.setValue(true, for: BoolSocketOption(name: SO_REUSEADDR))
        try socket.bind(to: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0))
        try socket.listen()
        guard case .ip4(_, let bound) = try socket.sockname() else {
            try? socket.close()
            throw SocketError.unsupportedAddress
        }
        port = Int(bound)
        listener = try AsyncSocket(socket: socket, pool: try await SharedSocketPool.get())
        let loop = Task { [listener, connections] in
            var next = 0
            while !Task.isCancelled {
                guard let connection = try? await listener.accept() else { return }
                try? connection.socket.setValue(
                    true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: Int32(TCP_NODELAY)))
                next += 1
                let id = next
                connections.withLock { tasks in
                    tasks[id] = Task {
                        await handler(connection)
                        try? connection.close()
                        _ = connections.withLock { $0.removeValue(forKey: id) }
                    }
                }
            }
        }
        acceptLoop.withLock { $0 = loop }
    }

    /// Ends the accept loop and every connection, then closes the listener.
    func stop() async {
        if let loop = acceptLoop.withLock({ $0 }) {
            loop.cancel()
            await loop.value
        }
        try? listener.close()
        await closeConnections()
    }

    /// Ends every connection accepted so far (the listener stays open).
    func closeConnections() async {
        let tasks = connections.withLock { Array($0.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// Reads a request head (through the blank line) from `socket`.
    static func readHead(_ socket: AsyncSocket) async throws -> String {
        var received: [UInt8] = []
        let end = Array("\r\n\r\n".utf8)
        while !(received.count >= 4 && Array(received.suffix(4)) == end) {
            received += try await socket.read(bytes: 1)
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// A TCP relay on 127.0.0.1 in front of another port (the emulator): every connection is
/// piped both ways, and the test can cut the connections open now (a dropped socket) or
/// freeze the WebSockets open now (bytes are swallowed: a socket that stays open but answers
/// nothing, while HTTP calls go on).
final class LoopbackRelay: Sendable {
    private let frozen = Locked(false)
    private let peer: LoopbackPeer

    /// The relay's port.
    var port: Int { peer.port }

    init(to targetPort: Int) async throws {
        let frozen = self.frozen
        peer = try await LoopbackPeer { client in
            guard
                let upstream = try? await AsyncSocket.connected(
                    to: sockaddr_in.inet(ip4: "127.0.0.1", port: UInt16(targetPort)))
            else { return }
            // A connection made while frozen is not frozen: freezing affects the open ones.
            let frozenAtStart = frozen.withLock { $0 }
            let isWebSocket = Locked<Bool?>(nil)
            let isFrozen: @Sendable () -> Bool = {
                !frozenAtStart && isWebSocket.withLock { $0 } == true && frozen.withLock { $0 }
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await Self.pipe(from: client, to: upstream, frozen: isFrozen) { first in
                        isWebSocket.withLock { $0 = $0 ?? first.starts(with: Array("GET /participant/websocket".utf8)) }
                    }
                }
                group.addTask { await Self.pipe(from: upstream, to: client, frozen: isFrozen) { _ in } }
                await group.next()
                // Either side ending ends both; the upstream socket is closed once its pipes are done.
                group.cancelAll()
                await group.waitForAll()
                try? upstream.close()
            }
        }
    }

    /// Closes every connection relayed now.
    func cutConnections() async {
        await peer.closeConnections()
    }

    /// From now on, bytes on the WebSockets open now are swallowed.
    func freezeConnections() {
        frozen.withLock { $0 = true }
    }

    func stop() async {
        await peer.stop()
    }

    private static func pipe(
        from source: AsyncSocket, to sink: AsyncSocket, frozen: @Sendable () -> Bool, saw: ([UInt8]) -> Void
    ) async {
        while true {
            guard let bytes = try? await source.read(atMost: 65_536), !bytes.isEmpty else { return }
            saw(bytes)
            if frozen() { continue }
            guard (try? await sink.write(Data(bytes))) != nil else { return }
        }
    }
}
