import FlyingSocks
import Foundation
import Testing

@testable import ChatctlAWS

/// The WebSocket client over libcurl against bounded loopback peers: the handshake, pings,
/// fragmented messages, the server's close, oversized frames, and servers that never answer
/// (the handshake timeout fires on the injected clock, so nothing waits on the wall clock).
@Suite(.serialized, .timeLimit(.minutes(1)))
struct WebSocketConnectionTests {
    static let configuration = WebSocketConfiguration(maxMessageBytes: 1024)

    static func open(_ peer: LoopbackPeer, clock: any AWSClock = ControlledClock()) async throws -> WebSocketConnection {
        try await WebSocketConnection.open(
            url: peer.webSocketURL(), configuration: configuration, clock: clock, handshakeTimeout: 30)
    }

    static func events(_ connection: WebSocketConnection) async -> [WebSocketConnection.Event] {
        var all: [WebSocketConnection.Event] = []
        for await event in connection.events { all.append(event) }
        return all
    }

    @Test func exchangesMessagesAnswersPingsAndEndsOnTheServersClose() async throws {
        let peer = try await LoopbackPeer { socket in
            do {
                try await LoopbackPeer.acceptWebSocket(socket)
                let hello = try await LoopbackPeer.readClientFrame(socket)
                // Fragments with a ping between them, then a close.
                var reply = RFC6455.Frame(fin: false, opcode: .text, payload: Array("echo: ".utf8)).encoded(maskingKey: nil)
                reply += RFC6455.Frame(opcode: .ping, payload: [7]).encoded(maskingKey: nil)
                reply += RFC6455.Frame(fin: true, opcode: .continuation, payload: hello.payload).encoded(maskingKey: nil)
                try await socket.write(Data(reply))
                let pong = try await LoopbackPeer.readClientFrame(socket)
                guard pong.opcode == .pong, pong.payload == [7] else { return }
                try await socket.write(Data(RFC6455.Frame.close(code: 4000, reason: "done").encoded(maskingKey: nil)))
                _ = try await LoopbackPeer.readClientFrame(socket)
            } catch {}
        }
        let connection = try await Self.open(peer)
        try connection.send(text: "hi")
        let events = await Self.events(connection)
        #expect(events == [.text("echo: hi"), .closed(code: 4000, failure: nil)])
        #expect(throws: WebSocketError.self) { try connection.send(text: "after the close") }
        await peer.stop()
    }

    @Test func aServerThatNeverAnswersTheHandshakeTimesOut() async throws {
        let peer = try await LoopbackPeer { socket in
            _ = try? await LoopbackPeer.readHead(socket)
            _ = try? await socket.read(bytes: 1)  // never comes: the client gives up first
        }
        let clock = ControlledClock()
        let opening = Task { try await Self.open(peer, clock: clock) }
        await clock.advance(past: 30)
        await #expect(throws: WebSocketError(.timeout, url: "ws://127.0.0.1:\(peer.port)/chat")) {
            _ = try await opening.value
        }
        await peer.stop()
    }

    @Test func aWrongAcceptValueIsRefused() async throws {
        let peer = try await LoopbackPeer { socket in
            _ = try? await LoopbackPeer.readHead(socket)
            let answer =
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: AAAA\r\n\r\n"
            try? await socket.write(Data(answer.utf8))
        }
        let error = await #expect(throws: WebSocketError.self) { try await Self.open(peer) }
        guard case .handshake(let refusal) = error?.kind else {
            Issue.record("expected a handshake refusal, got \(String(describing: error))")
            await peer.stop()
            return
        }
        #expect(refusal.detail.contains("Sec-WebSocket-Accept"))
        #expect(error?.description.contains("secret-in-query") == false)
        await peer.stop()
    }

    @Test func anOversizedFrameClosesWith1009() async throws {
        let peer = try await LoopbackPeer { socket in
            do {
                try await LoopbackPeer.acceptWebSocket(socket)
                let big = RFC6455.Frame(opcode: .binary, payload: [UInt8](repeating: 1, count: 2048))
                try await socket.write(Data(big.encoded(maskingKey: nil)))
                _ = try await LoopbackPeer.readClientFrame(socket)
            } catch {}
        }
        let connection = try await Self.open(peer)
        let events = await Self.events(connection)
        guard case .closed(let code, let failure?) = events.last, case .protocolViolation = failure.kind else {
            Issue.record("expected a protocol violation, got \(events)")
            await peer.stop()
            return
        }
        #expect(code == 1009)
        #expect(events.count == 1)
        await peer.stop()
    }

    @Test func aConnectionThatBreaksEndsWith1006() async throws {
        let peer = try await LoopbackPeer { socket in
            try? await LoopbackPeer.acceptWebSocket(socket)
        }
        let connection = try await Self.open(peer)
        let events = await Self.events(connection)
        #expect(events == [.closed(code: 1006, failure: WebSocketError(.closed, url: "ws://127.0.0.1:\(peer.port)/chat"))])
        await peer.stop()
    }

    @Test func goesThroughTheEnvironmentsProxyInATunnel() async throws {
        let seen = Locked<String?>(nil)
        // The proxy answers the CONNECT, then plays the server at the tunnel's far end.
        let proxy = try await LoopbackPeer { socket in
            guard let head = try? await LoopbackPeer.readHead(socket) else { return }
            seen.withLock { $0 = head }
            try? await socket.write(Data("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
            try? await LoopbackPeer.acceptWebSocket(socket)
            try? await socket.write(Data(RFC6455.Frame.text("through").encoded(maskingKey: nil)))
            _ = try? await LoopbackPeer.readClientFrame(socket)
        }
        let configuration = WebSocketConfiguration(
            proxies: ProxySettings(environment: ["http_proxy": "http://127.0.0.1:\(proxy.port)"]))
        let connection = try await WebSocketConnection.open(
            url: "ws://chat.example.invalid:8080/participant?token=t", configuration: configuration,
            clock: ControlledClock(), handshakeTimeout: 30)
        var events = connection.events.makeAsyncIterator()
        #expect(await events.next() == .text("through"))
        connection.close()
        #expect(seen.withLock { $0 }?.hasPrefix("CONNECT chat.example.invalid:8080 HTTP/1.1\r\n") == true)
        await proxy.stop()
    }

    @Test func wssAlwaysVerifiesTLS() async throws {
        // A plain TCP peer cannot complete a TLS handshake: wss must not fall back to ws.
        let peer = try await LoopbackPeer { socket in
            _ = try? await socket.read(bytes: 1)
        }
        let error = await #expect(throws: WebSocketError.self) {
            try await WebSocketConnection.open(
                url: "wss://127.0.0.1:\(peer.port)/chat", configuration: Self.configuration, clock: ControlledClock(),
                handshakeTimeout: 30)
        }
        guard case .transport(let failure) = error?.kind else {
            Issue.record("expected a transport failure, got \(String(describing: error))")
            await peer.stop()
            return
        }
        #expect(failure.kind == .tls || failure.kind == .reset)
        await peer.stop()
    }

    @Test func refusesURLsThatAreNotWebSockets() async {
        for url in ["http://127.0.0.1:1/x", "ws://", "ws://user@host/x", "wss://host/ x"] {
            await #expect(throws: WebSocketError.self) {
                try await WebSocketConnection.open(
                    url: url, configuration: Self.configuration, clock: ControlledClock(), handshakeTimeout: 1)
            }
        }
    }
}
