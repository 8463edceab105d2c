import ChatctlAWS
import FlyingSocks
import Foundation

/// A loopback peer's side of a WebSocket: the opening handshake and client frames.
extension LoopbackPeer {
    /// `ws://127.0.0.1:PORT/path`.
    func webSocketURL(_ path: String = "/chat?token=secret-in-query") -> String {
        "ws://127.0.0.1:\(port)\(path)"
    }

    /// Answers a WebSocket opening handshake read from `socket` with 101 and the right accept.
    static func acceptWebSocket(_ socket: AsyncSocket) async throws {
        let head = try await readHead(socket)
        let key =
            head.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
            .map { String($0.dropFirst("sec-websocket-key:".count)).trimmingCharacters(in: .whitespaces) } ?? ""
        let answer =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(RFC6455.Handshake.acceptValue(forKey: key))\r\n\r\n"
        try await socket.write(Data(answer.utf8))
    }

    /// Reads one client frame (masked) and returns it unmasked.
    static func readClientFrame(_ socket: AsyncSocket) async throws -> RFC6455.Frame {
        let header = try await socket.read(bytes: 2)
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            let extended = try await socket.read(bytes: 2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            let extended = try await socket.read(bytes: 8)
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        let mask = header[1] & 0x80 != 0 ? try await socket.read(bytes: 4) : [0, 0, 0, 0]
        var payload = length > 0 ? try await socket.read(bytes: length) : []
        for index in payload.indices {
            payload[index] ^= mask[index & 3]
        }
        return RFC6455.Frame(
            fin: header[0] & 0x80 != 0, opcode: RFC6455.Frame.Opcode(rawValue: header[0] & 0x0F) ?? .binary,
            payload: payload)
    }
}
