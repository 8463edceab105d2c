import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// The chat WebSocket, with a raw client: the handshake on the URL CreateParticipantConnection
/// answered, subscribe, heartbeats and pings, `aws/chat` frames and the end of the chat.
// A bug that keeps a frame or a flow step from coming fails the test, not the run: no
// test here takes more than a few seconds, even under a sanitizer.
@Suite(.timeLimit(.minutes(1))) struct ParticipantWebSocketTests {
    typealias Client = EmulatorTestClient

    /// Opens the socket at `url` (`ws://127.0.0.1:PORT/path`).
    static func open(_ url: String, port: Int) async throws -> (socket: RawConnection, head: String) {
        let start = try #require(url.range(of: "/participant/"))
        let path = url[start.lowerBound...]
        let socket = try await RawConnection.open(port: port)
        try await socket.send(
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
        return (socket, try await socket.read(through: "\r\n\r\n"))
    }

    static func send(_ socket: RawConnection, _ text: String) async throws {
        try await socket.sendFrame(opcode: 0x1, payload: Array(text.utf8))
    }

    /// The item inside an `aws/chat` frame.
    static func chatItem(_ frame: JSONValue) throws -> JSONValue {
        #expect(frame["topic"] == .string("aws/chat"))
        let content = try #require(frame["content"]?.stringValue)
        return try JSONParser.parse(Array(content.utf8))
    }

    @Test func subscribesAnswersHeartbeatsAndStreamsTheChat() async throws {
        let records = Locked<[EmulatorRequestRecord]>([])
        let log: @Sendable (EmulatorRequestRecord) -> Void = { record in records.withLock { $0.append(record) } }
        try await Client.with(ParticipantServiceTests.configuration(), requestLog: log) { client in
            let chat = try await client.connectedChat()
            _ = try await client.say("before subscribing", token: chat.connectionToken)
            let url = try #require(chat.answer["Websocket"]?["Url"]?.stringValue)
            let (socket, head) = try await Self.open(url, port: client.emulator.port)
            defer { socket.close() }
            #expect(head.hasPrefix("HTTP/1.1 101 "))

            try await Self.send(socket, #"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#)
            let subscribed = try await socket.readJSONFrame()
            #expect(subscribed == .object([
                "topic": .string("aws/subscribe"),
                "content": .object(["status": .string("success"), "topics": .array([.string("aws/chat")])]),
            ]))
            try await Self.send(socket, #"{"topic":"aws/heartbeat"}"#)
            #expect(try await socket.readJSONFrame() == .object(["topic": .string("aws/heartbeat")]))
            try await Self.send(socket, #"{"topic":"aws/ping"}"#)
            #expect(try await socket.readJSONFrame() == .object(["topic": .string("aws/ping"), "statusCode": .integer(200)]))
            try await Self.send(socket, "not json")
            #expect(try await socket.readJSONFrame()["message"] != nil)

            let session = try #require(client.emulator.chatSessions.session(for: chat.contactID))
            let posted = try #require(
                session.postMessage(role: .system, displayName: "SYSTEM_MESSAGE", contentType: "text/plain", content: "Hello"))
            let frame = try await socket.readJSONFrame()
            let item = try Self.chatItem(frame)
            #expect(frame["contentType"] == .string("application/json"))
            #expect(item["Id"] == .string(posted.id))
            #expect(item["Type"] == .string("MESSAGE"))
            #expect(item["ContentType"] == .string("text/plain"))
            #expect(item["ParticipantRole"] == .string("SYSTEM"))
            #expect(item["DisplayName"] == .string("SYSTEM_MESSAGE"))
            #expect(item["Content"] == .string("Hello"))
            #expect(item["AbsoluteTime"] == .string("2026-01-01T00:00:00.000Z"))
            #expect(item["ContactId"] == .string(chat.contactID))
            #expect(item["InitialContactId"] == .string(chat.contactID))

            _ = try await client.say("after", token: chat.connectionToken)
            #expect(try Self.chatItem(try await socket.readJSONFrame())["Content"] == .string("after"))

            #expect(try await client.stop(chat.contactID).status == 200)
            let left = try Self.chatItem(try await socket.readJSONFrame())
            #expect(left["ContentType"] == .string("application/vnd.amazonaws.connect.event.participant.left"))
            #expect(left["ParticipantRole"] == .string("CUSTOMER"))
            let ended = try Self.chatItem(try await socket.readJSONFrame())
            #expect(ended["Type"] == .string("CHAT_ENDED"))
            #expect(ended["ContentType"] == .string("application/vnd.amazonaws.connect.event.chat.ended"))
            let close = try await socket.readFrame()
            #expect(close.opcode == 0x8)

            // The --verbose line names the path only: the URL's token stays out of logs.
            let token = try #require(url.split(separator: "=").last.map(String.init))
            let upgrade = try #require(records.withLock { $0 }.first { $0.status == 101 })
            #expect(upgrade.path == "/participant/websocket")
            #expect(!"\(upgrade)".contains(token))

            // What came before the subscription is in the transcript.
            let all = (try await client.contactDetails(chat.contactID))["chat"]?["transcript"]?.arrayValue ?? []
            #expect(all.compactMap { $0["Content"]?.stringValue } == ["before subscribing", "Hello", "after"])
        }
    }

    @Test func nothingIsSentBeforeSubscribing() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let chat = try await client.connectedChat()
            let url = try #require(chat.answer["Websocket"]?["Url"]?.stringValue)
            let (socket, _) = try await Self.open(url, port: client.emulator.port)
            defer { socket.close() }
            _ = try await client.say("unheard", token: chat.connectionToken)
            try await Self.send(socket, #"{"topic":"aws/subscribe","content":{"topics":["aws/elsewhere"]}}"#)
            let refused = try await socket.readJSONFrame()
            #expect(refused["content"]?["status"] == .string("failure"))
            try await Self.send(socket, #"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#)
            _ = try await socket.readJSONFrame()
            _ = try await client.say("heard", token: chat.connectionToken)
            #expect(try Self.chatItem(try await socket.readJSONFrame())["Content"] == .string("heard"))
        }
    }

    @Test func theURLIsUsableFor100Seconds() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let chat = try await client.connectedChat()
            let url = try #require(chat.answer["Websocket"]?["Url"]?.stringValue)
            try await client.advance(seconds: 100)
            let (socket, head) = try await Self.open(url, port: client.emulator.port)
            defer { socket.close() }
            #expect(head.hasPrefix("HTTP/1.1 403 "))
            let (unknown, unknownHead) = try await Self.open(
                "ws://127.0.0.1/participant/websocket?token=nope", port: client.emulator.port)
            defer { unknown.close() }
            #expect(unknownHead.hasPrefix("HTTP/1.1 403 "))
        }
    }
}
