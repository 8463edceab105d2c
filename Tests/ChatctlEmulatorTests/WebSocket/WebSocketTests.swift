import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

extension RawConnection {
    /// Sends a masked client frame (`fin: false` for a fragment that more will follow).
    func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true) async throws {
        let mask: [UInt8] = [0x11, 0x22, 0x33, 0x44]
        precondition(payload.count < 126)
        let masked = payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await send([(fin ? 0x80 : 0) | opcode, 0x80 | UInt8(payload.count)] + mask + masked)
    }

    /// Reads one server frame: its opcode and payload.
    func readFrame() async throws -> (opcode: UInt8, payload: [UInt8]) {
        let header = try await read(count: 2)
        #expect(header[1] & 0x80 == 0, "server frames are not masked")
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            let extended = try await read(count: 2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        }
        return (header[0] & 0x0F, try await read(count: length))
    }

    /// The next text frame, parsed as JSON.
    func readJSONFrame() async throws -> JSONValue {
        let frame = try await readFrame()
        #expect(frame.opcode == 0x1)
        return try JSONParser.parse(frame.payload)
    }
}

// A bug that keeps a frame or a flow step from coming fails the test, not the run: no
// test here takes more than a few seconds, even under a sanitizer.
@Suite(.timeLimit(.minutes(1))) struct WebSocketTests {
    typealias Client = EmulatorTestClient

    @Test func sha1MatchesTheStandardVectors() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(SHA1.digest([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(hex(SHA1.digest(Array(twoBlocks.utf8))) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test func computesTheAcceptValueOfRFC6455() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    static let upgrade = "GET /_emulator/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"

    @Test func theEventsSocketStreamsContactEventsAsTheyHappen() async throws {
        let records = Locked<[EmulatorRequestRecord]>([])
        var configuration = EmulatorConfiguration(tps: 0, stopTPS: 0, seed: 1)
        configuration.customerConnectWindow = nil
        try await Client.with(configuration, requestLog: { record in records.withLock { $0.append(record) } }) { client in
            let socket = try await RawConnection.open(port: client.emulator.port)
            defer { socket.close() }
            try await socket.send(Self.upgrade)
            let head = try await socket.read(through: "\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
            #expect(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
            #expect(try await socket.readJSONFrame()["type"] == .string("subscribed"))

            let started = try await client.start(extra: #""ChatDurationInMinutes":60"#)
            let contactID = try #require(try started.json["ContactId"]?.stringValue)
            let first = try await socket.readJSONFrame()
            #expect(first["type"] == .string("contact.started"))
            #expect(first["contactId"] == .string(contactID))
            #expect(first["at"] == .string("2026-01-01T00:00:00.000Z"))

            _ = try await client.admin("POST", "/_emulator/advance", query: "seconds=7200")
            let expired = try await socket.readJSONFrame()
            #expect(expired["type"] == .string("contact.expired"))
            #expect(expired["at"] == .string("2026-01-01T01:00:00.000Z"))
            // Numbers 2 to 4 went to transcript items (joined, left, ended), not on this socket.
            #expect(expired["sequence"] == .integer(5))

            try await socket.sendFrame(opcode: 0x9, payload: Array("hi".utf8))
            let pong = try await socket.readFrame()
            #expect(pong.opcode == 0xA && pong.payload == Array("hi".utf8))

            try await socket.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
            let close = try await socket.readFrame()
            #expect(close.opcode == 0x8 && close.payload == [0x03, 0xE8])
            #expect(try await socket.readUntilClosed().isEmpty)
        }
        #expect(records.withLock { $0 }.contains { $0.path == "/_emulator/events" && $0.status == 101 })
    }

    @Test func stopClosesOpenSockets() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(seed: 1))
        let socket = try await RawConnection.open(port: emulator.port)
        defer { socket.close() }
        try await socket.send(Self.upgrade)
        _ = try await socket.read(through: "\r\n\r\n")
        _ = try await socket.readJSONFrame()
        await emulator.stop()
        let rest = try await socket.readUntilClosed()
        #expect(rest.isEmpty || rest.first == 0x88, "nothing, or a close frame")
    }

    /// RFC 6455 section 5.4: a control frame may come between the fragments of a message;
    /// it is answered, and the message goes on (it is not a protocol error).
    @Test func aPingBetweenFragmentsIsAnsweredAndTheMessageGoesOn() async throws {
        try await Client.with { client in
            let socket = try await RawConnection.open(port: client.emulator.port)
            defer { socket.close() }
            try await socket.send(Self.upgrade)
            _ = try await socket.read(through: "\r\n\r\n")
            _ = try await socket.readJSONFrame()
            try await socket.sendFrame(opcode: 0x1, payload: Array(#"{"a":"#.utf8), fin: false)
            try await socket.sendFrame(opcode: 0x9, payload: Array("mid".utf8))
            let pong = try await socket.readFrame()
            #expect(pong.opcode == 0xA && pong.payload == Array("mid".utf8))
            try await socket.sendFrame(opcode: 0x0, payload: Array("1}".utf8))
            try await socket.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
            let close = try await socket.readFrame()
            #expect(close.opcode == 0x8 && close.payload == [0x03, 0xE8], "a normal close, not 1002")
        }
    }

    @Test func anUnmaskedClientFrameClosesWithAProtocolError() async throws {
        try await Client.with { client in
            let socket = try await RawConnection.open(port: client.emulator.port)
            defer { socket.close() }
            try await socket.send(Self.upgrade)
            _ = try await socket.read(through: "\r\n\r\n")
            _ = try await socket.readJSONFrame()
            try await socket.send([0x81, 0x02] + Array("hi".utf8))
            let close = try await socket.readFrame()
            #expect(close.opcode == 0x8 && close.payload == [0x03, 0xEA])  // 1002
        }
    }

    @Test(arguments: [
        ("GET /_emulator/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "400"),
        ("GET /_emulator/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n", "426"),
        ("GET /_emulator/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n", "400"),
    ])
    func aRequestThatIsNotAHandshakeIsRefused(_ request: String, _ status: String) async throws {
        try await Client.with { client in
            let socket = try await RawConnection.open(port: client.emulator.port)
            defer { socket.close() }
            try await socket.send(request)
            #expect(try await socket.readResponse().head.hasPrefix("HTTP/1.1 \(status) "))
        }
    }
}
