import FlyingSocks
import Foundation

/// A TCP client that sends bytes exactly as given and reads what comes back, for requests
/// no HTTP client library would send (oversized heads, half requests, broken chunking) and
/// for answers no HTTP client would accept (garbage, WebSocket frames).
struct RawConnection {
    let socket: AsyncSocket

    /// Connects to the emulator on 127.0.0.1. FlyingSocks' own 5 s bound on a connect was
    /// reached on a loaded machine (the connect's completion waits for a cooperative-pool
    /// thread); the bound is a hang guard only, and the suites' time limits are the others.
    static func open(port: Int) async throws -> RawConnection {
        RawConnection(
            socket: try await AsyncSocket.connected(
                to: sockaddr_in.inet(ip4: "127.0.0.1", port: UInt16(port)), timeout: 60))
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await socket.write(Data(bytes))
    }

    /// Everything the server sends until it closes the connection (at most `limit` bytes).
    func readUntilClosed(limit: Int = 1 << 20) async throws -> [UInt8] {
        var received: [UInt8] = []
        while received.count < limit {
            do {
                let bytes = try await socket.read(atMost: 65_536)
                if bytes.isEmpty { break }
                received += bytes
            } catch SocketError.disconnected {
                break
            }
        }
        return received
    }

    /// Reads until `marker` has arrived; returns everything read.
    func read(through marker: String) async throws -> String {
        var received: [UInt8] = []
        let wanted = Array(marker.utf8)
        while !received.ends(with: wanted) {
            received += try await socket.read(bytes: 1)
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// One answer: its head, then as many body bytes as its `Content-Length` says.
    func readResponse() async throws -> (head: String, body: [UInt8]) {
        let head = try await read(through: "\r\n\r\n")
        let length = head.components(separatedBy: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return (head, try await read(count: length))
    }

    func read(count: Int) async throws -> [UInt8] {
        try await socket.read(bytes: count)
    }

    func close() {
        try? socket.close()
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }

    /// The text up to the first blank line: status line and headers.
    var head: String {
        let text = String(decoding: self, as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n").first ?? text
    }
}
