import ChatctlAWS
import ChatctlEmulator
import FlyingSocks
import Foundation
import Testing

/// The live channel against the emulator: subscription and catch-up, heartbeats, a dropped
/// socket and a frozen one (each reconnected through a new CreateParticipantConnection and
/// caught up through GetTranscript, every item once), the end of the chat, and servers that
/// never answer. Time is the test's (``ControlledClock``): nothing waits on the wall clock.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ParticipantChatChannelTests {
    @Test func subscribesCatchesUpAndDeliversEachItemOnceUntilTheChatEnds() async throws {
        try await ParticipantHarness.with { harness, _ in
            let client = harness.client()
            let chat = try await harness.startChat(initialMessage: "before the socket")
            let clock = ControlledClock()
            let channel = harness.channel(client, participantToken: chat.participantToken, clock: clock)
            var events = channel.events.makeAsyncIterator()
            channel.start()
            let opening = await collect(&events) { $0 == .connected(connection: 1) }
            #expect(opening == [.connected(connection: 1)])

            let token = try #require(channel.connectionToken)
            _ = try await client.sendMessage(.init(content: "from the customer"), connectionToken: token)
            _ = try harness.postSystemMessage("from the flow", contactID: chat.contactID)
            let live = await collect(&events) { if case .item(let item) = $0 { item.content == "from the flow" } else { false } }
            // The catch-up (what was said before the subscription) comes first, then the socket's items.
            #expect(live.itemContents == ["before the socket", "from the customer", "from the flow"])
            let flowItem = live.compactMap { if case .item(let item) = $0 { item } else { nil } }.last
            #expect(flowItem?.participantRole == "SYSTEM")
            #expect(flowItem?.contactId == chat.contactID)

            try await client.disconnectParticipant(connectionToken: token)
            let ending = await collect(&events) { $0 == .ended }
            let endItem = ending.compactMap { if case .item(let item) = $0 { item } else { nil } }.last
            #expect(endItem?.endsChat == true)
            #expect(await events.next() == nil)
            // One connection, one catch-up.
            #expect(harness.recorder.reports.filter { $0.operation == "CreateParticipantConnection" }.count == 1)
        }
    }

    @Test func heartbeatsGoEveryIntervalAndAreAnswered() async throws {
        try await ParticipantHarness.with { harness, _ in
            var (chat, clock, channel, events) = try await harness.connectedChannel(harness.client())
            for _ in 1...3 {
                await clock.advance(past: 10)
                _ = await collect(&events) { $0 == .heartbeatAnswered }
            }
            #expect(clock.sleepsBegun.filter { $0 == 10 }.count >= 3)
            channel.close()
        }
    }

    @Test func aDroppedSocketReconnectsAndCatchesUpWhatWasSaidMeanwhile() async throws {
        try await ParticipantHarness.with(relayed: true) { harness, relay in
            let relay = try #require(relay)
            let client = harness.client()
            var (chat, clock, channel, events) = try await harness.connectedChannel(client)
            _ = try harness.postSystemMessage("while connected", contactID: chat.contactID)
            _ = await collect(&events) { if case .item(let item) = $0 { item.content == "while connected" } else { false } }

            await relay.cutConnections()
            // The channel waits its reconnection delay; meanwhile the flow speaks.
            await clock.waitForSleeper(seconds: 1)
            _ = try harness.postSystemMessage("while away", contactID: chat.contactID)
            clock.fire(seconds: 1)
            _ = await collect(&events) { $0 == .connected(connection: 2) }
            _ = try harness.postSystemMessage("after reconnecting", contactID: chat.contactID)
            let back = await collect(&events) {
                if case .item(let item) = $0 { item.content == "after reconnecting" } else { false }
            }
            // Caught up through GetTranscript, and what was delivered before is not repeated.
            #expect(back.itemContents == ["while away", "after reconnecting"])
            let creates = harness.recorder.reports.filter { $0.operation == "CreateParticipantConnection" }
            #expect(creates.count == 2)
            #expect(harness.recorder.reports.filter { $0.operation == "GetTranscript" }.count >= 2)
            channel.close()
        }
    }

    @Test func anUnansweredHeartbeatCountsTheSocketAsDead() async throws {
        try await ParticipantHarness.with(relayed: true) { harness, relay in
            let relay = try #require(relay)
            var (chat, clock, channel, events) = try await harness.connectedChannel(harness.client())
            // The socket stays open but nothing comes back any more.
            relay.freezeConnections()
            await clock.advance(past: 10)  // heartbeat sent, never answered
            _ = try harness.postSystemMessage("said to a frozen socket", contactID: chat.contactID)
            await clock.advance(past: 10)  // still unanswered: reconnect
            await clock.advance(past: 1)
            let reconnecting = await collect(&events) { $0 == .connected(connection: 2) }
            #expect(!reconnecting.contains(.heartbeatAnswered))
            _ = try harness.postSystemMessage("after reconnecting", contactID: chat.contactID)
            let back = await collect(&events) {
                if case .item(let item) = $0 { item.content == "after reconnecting" } else { false }
            }
            #expect(back.itemContents == ["said to a frozen socket", "after reconnecting"])
            channel.close()
        }
    }

    @Test func aSubscriptionNeverAnsweredIsRetriedThenGivenUp() async throws {
        // CreateParticipantConnection answers a URL whose server takes the handshake and then
        // says nothing: every subscription times out on the test's clock.
        let silent = try await LoopbackPeer { socket in
            try? await LoopbackPeer.acceptWebSocket(socket)
            _ = try? await LoopbackPeer.readClientFrame(socket)
            _ = try? await socket.read(bytes: 1)
        }
        let api = try await LoopbackPeer { socket in
            while let head = try? await LoopbackPeer.readHead(socket) {
                let length =
                    head.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                if length > 0 { _ = try? await socket.read(bytes: length) }
                let body =
                    #"{"Websocket":{"Url":"\#(silent.webSocketURL())"},"ConnectionCredentials":{"ConnectionToken":"ct"}}"#
                let answer =
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                guard (try? await socket.write(Data(answer.utf8))) != nil else { return }
            }
        }
        let client = ParticipantClient(
            region: "us-east-1", endpoint: ServiceEndpoint(scheme: "http", authority: "127.0.0.1:\(api.port)"),
            instanceID: "i-1", transport: CurlTransport(), rateLimiters: .unlimited, clock: RecordingAWSClock())
        let clock = ControlledClock()
        let channel = ParticipantChatChannel(
            client: client, participantToken: "pt", configuration: WebSocketConfiguration(), clock: clock,
            timing: .init(subscribeTimeout: 15, reconnectDelay: 1, maxReconnects: 2))
        var events = channel.events.makeAsyncIterator()
        channel.start()
        for attempt in 1...3 {
            await clock.advance(past: 15)
            if attempt < 3 { await clock.advance(past: 1) }
        }
        let last = await collect(&events) { if case .failed = $0 { true } else { false } }
        #expect(last == [.failed(ParticipantChannelError(reason: .subscriptionTimedOut, attempts: 3))])
        #expect(await events.next() == nil)
        await api.stop()
        await silent.stop()
    }

    @Test func aRefusedParticipantTokenIsNotRetried() async throws {
        try await ParticipantHarness.with { harness, _ in
            let channel = harness.channel(
                harness.client(), participantToken: "no-such-participant-token", clock: ControlledClock())
            var events = channel.events.makeAsyncIterator()
            channel.start()
            guard case .failed(let error) = await events.next() else {
                Issue.record("expected the channel to fail")
                return
            }
            #expect(error.attempts == 1)
            #expect(error.description.contains("AccessDeniedException"))
            #expect(!error.description.contains("no-such-participant-token"))
        }
    }
}
