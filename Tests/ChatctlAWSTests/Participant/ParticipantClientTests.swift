import ChatctlAWS
import ChatctlEmulator
import FlyingSocks
import Foundation
import Testing

/// The Participant Service client against the emulator on loopback: every operation, the
/// bearer tokens, paging, idempotent retries, each modelled error with its hint, the
/// per-instance rate limits and `--verbose` redaction.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ParticipantClientTests {
    @Test func connectsTalksReadsAndLeavesWithTheRightTokenOnEachCall() async throws {
        try await ParticipantHarness.with { harness, _ in
            let client = harness.client()
            let chat = try await harness.startChat()
            let connection = try await client.createParticipantConnection(participantToken: chat.participantToken)
            let url = try #require(connection.webSocket?.url.value)
            #expect(url.hasPrefix("ws://127.0.0.1:\(harness.emulator.port)/participant/websocket?token="))
            let token = try #require(connection.connectionCredentials?.connectionToken)
            #expect(connection.webSocket?.connectionExpiry != nil)

            let sent = try await client.sendMessage(.init(content: "hello"), connectionToken: token)
            let typing = try await client.sendEvent(.init(contentType: SendEventRequest.typing), connectionToken: token)
            #expect(sent.id != typing.id)
            _ = try await client.sendEvent(
                .init(contentType: SendEventRequest.messageRead, content: #"{"messageId":"\#(sent.id)"}"#),
                connectionToken: token)
            let items = try await client.transcript(connectionToken: token)
            let message = try #require(items.first { $0.id == sent.id })
            #expect(message.content == "hello")
            #expect(message.participantRole == "CUSTOMER")
            #expect(message.type == "MESSAGE")
            #expect(message.contactId == chat.contactID)
            #expect(items.contains { $0.id == typing.id && $0.contentType == SendEventRequest.typing })

            try await client.disconnectParticipant(connectionToken: token)
            let refused = await #expect(throws: AWSCallError.self) {
                try await client.sendMessage(.init(content: "still there?"), connectionToken: token)
            }
            #expect(refused?.serviceError?.kind == .accessDenied)

            // ParticipantToken on CreateParticipantConnection, ConnectionToken on the rest;
            // never a SigV4 signature.
            let reports = harness.recorder.reports
            #expect(reports.map(\.operation).prefix(6) == [
                "CreateParticipantConnection", "SendMessage", "SendEvent", "SendEvent", "GetTranscript",
                "DisconnectParticipant",
            ])
            for report in reports {
                let expected = report.operation == "CreateParticipantConnection" ? chat.participantToken : token
                #expect(report.request.headers["x-amz-bearer"] == expected.value, "\(report.operation)")
                #expect(report.request.headers["authorization"] == nil)
            }
        }
    }

    @Test func readsEveryPageOfTheTranscriptOldestFirst() async throws {
        try await ParticipantHarness.with { harness, _ in
            let client = harness.client()
            let chat = try await harness.connectedChat(client)
            for index in 1...23 {
                _ = try await client.sendMessage(.init(content: "message \(index)"), connectionToken: chat.connectionToken)
            }
            let before = harness.recorder.reports.count
            let contents = { (items: [ChatTranscriptItem]) in items.filter { $0.type == "MESSAGE" }.compactMap(\.content) }
            let expected = (1...23).map { "message \($0)" }

            var backward = GetTranscriptRequest.everything
            backward.maxResults = 10
            #expect(contents(try await client.transcript(backward, connectionToken: chat.connectionToken)) == expected)
            let pages = harness.recorder.reports.dropFirst(before).filter { $0.operation == "GetTranscript" }
            #expect(pages.count >= 3)
            #expect(pages.dropFirst().allSatisfy { String(decoding: $0.request.body, as: UTF8.self).contains("NextToken") })

            // The service's defaults (BACKWARD, DESCENDING) and a FORWARD scan give the same order.
            #expect(
                contents(try await client.transcript(.init(maxResults: 7), connectionToken: chat.connectionToken))
                    == expected)
            let forward = GetTranscriptRequest(
                maxResults: 5, scanDirection: .forward, sortOrder: .descending,
                startPosition: .init(absoluteTime: "2000-01-01T00:00:00.000Z"))
            #expect(contents(try await client.transcript(forward, connectionToken: chat.connectionToken)) == expected)

            let one = try await client.getTranscript(.init(maxResults: 2), connectionToken: chat.connectionToken)
            #expect(one.transcript.count == 2)
            #expect(one.nextToken != nil)
            #expect(one.initialContactId == chat.contactID)
        }
    }

    @Test func aRetriedMessageKeepsItsClientTokenAndIsPostedOnce() async throws {
        try await ParticipantHarness.with { harness, _ in
            let client = harness.client()
            let chat = try await harness.connectedChat(client)
            let first = try await client.sendMessage(
                .init(content: "once", clientToken: "token-1"), connectionToken: chat.connectionToken)
            let again = try await client.sendMessage(
                .init(content: "once", clientToken: "token-1"), connectionToken: chat.connectionToken)
            #expect(first == again)
            _ = try await client.sendMessage(.init(content: "generated"), connectionToken: chat.connectionToken)
            try await client.disconnectParticipant(connectionToken: chat.connectionToken)
            for report in harness.recorder.reports
            where ["SendMessage", "DisconnectParticipant"].contains(report.operation) {
                #expect(String(decoding: report.request.body, as: UTF8.self).contains(#""ClientToken":""#))
            }
        }
    }

    @Test func aChatThatIsOverRefusesTheParticipantTokenWithAHintOnTokens() async throws {
        try await ParticipantHarness.with { harness, _ in
            let client = harness.client()
            let error = await #expect(throws: AWSCallError.self) {
                try await client.createParticipantConnection(participantToken: "not-a-real-token")
            }
            let serviceError = try #require(error?.serviceError)
            #expect(serviceError.kind == .accessDenied)
            #expect(serviceError.httpStatus == 403)
            #expect(serviceError.serviceID == participantServiceID)
            #expect(error?.hint?.contains("ParticipantToken was refused") == true)
            #expect(error?.hint?.contains("IAM") == false)
            #expect(error?.attempts == 1)
        }
    }

    @Test func anUnsupportedContentTypeIsAValidationErrorNotRetried() async throws {
        try await ParticipantHarness.with { harness, _ in
            let client = harness.client()
            let chat = try await harness.connectedChat(client)
            let error = await #expect(throws: AWSCallError.self) {
                try await client.sendMessage(
                    .init(content: "x", contentType: "image/png"), connectionToken: chat.connectionToken)
            }
            #expect(error?.serviceError?.kind == .validation)
            #expect(error?.serviceError?.httpStatus == 400)
            #expect(error?.serviceError?.message?.contains("image/png") == true)
            #expect(error?.attempts == 1)
            #expect(error?.hint?.contains("content type") == true)
        }
    }

    @Test func theInstancesThrottleIsRetriedThenReportedWithItsHint() async throws {
        let quotas = ParticipantQuotas([.sendMessage: .init(rate: 0.001, burst: 1)])
        try await ParticipantHarness.with(ParticipantHarness.configuration(quotas: quotas)) { harness, _ in
            let client = harness.client(maxAttempts: 2)
            let chat = try await harness.connectedChat(client)
            _ = try await client.sendMessage(.init(content: "first"), connectionToken: chat.connectionToken)
            let error = await #expect(throws: AWSCallError.self) {
                try await client.sendMessage(.init(content: "second"), connectionToken: chat.connectionToken)
            }
            #expect(error?.serviceError?.kind == .throttling)
            #expect(error?.serviceError?.httpStatus == 429)
            #expect(error?.attempts == 2)
            #expect(error?.hint?.contains("quota for SendMessage") == true)
        }
    }

    @Test func anInternalServerErrorIsRetriedAndMayHaveTakenEffect() async throws {
        try await ParticipantHarness.with(ParticipantHarness.configuration(faultRate: 1)) { harness, _ in
            let client = harness.client(maxAttempts: 3)
            // The fault comes before the token is looked at, so a made-up token will do.
            let error = await #expect(throws: AWSCallError.self) {
                try await client.createParticipantConnection(participantToken: "token-of-a-chat")
            }
            #expect(error?.serviceError?.code == "InternalServerException")
            #expect(error?.serviceError?.kind == .internalServer)
            #expect(error?.serviceError?.httpStatus == 500)
            #expect(error?.attempts == 3)
            #expect(error?.mayHaveTakenEffect == true)
            #expect(error?.hint?.contains("temporary failure") == true)
        }
    }

    @Test func aConflictIsDecodedWithItsHint() async throws {
        // The emulator never answers 409, so a loopback peer answers it as restJson1 does.
        let peer = try await LoopbackPeer { socket in
            guard (try? await LoopbackPeer.readHead(socket)) != nil else { return }
            let body = #"{"message":"Receipts are not supported with more than two participants."}"#
            let answer =
                "HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nX-Amzn-ErrorType: ConflictException:http://internal/\r\n"
                + "x-amzn-RequestId: req-409\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            try? await socket.write(Data(answer.utf8))
        }
        let client = ParticipantClient(
            region: "us-east-1", endpoint: ServiceEndpoint(scheme: "http", authority: "127.0.0.1:\(peer.port)"),
            instanceID: "i-1", transport: CurlTransport(), rateLimiters: .unlimited, clock: RecordingAWSClock())
        let error = await #expect(throws: AWSCallError.self) {
            try await client.sendEvent(
                .init(contentType: SendEventRequest.messageRead, content: #"{"messageId":"m"}"#), connectionToken: "ct")
        }
        #expect(error?.serviceError?.kind == .conflict)
        #expect(error?.serviceError?.httpStatus == 409)
        #expect(error?.serviceError?.requestId == "req-409")
        #expect(error?.attempts == 1)
        #expect(error?.hint?.contains("more than two active participants") == true)
        await peer.stop()
    }

    @Test func rateLimitsAreCountedPerInstanceAtTheDocumentedQuotas() async throws {
        try await ParticipantHarness.with { harness, _ in
            let clock = RecordingAWSClock()
            let service = AWSServiceClient(
                region: harness.emulator.region, endpoint: harness.participantEndpoint, transport: harness.transport,
                rateLimiters: .participantDefaults(clock: FrozenMonotonicClock()), clock: clock)
            let first = ParticipantClient(service: service, instanceID: "i-1")
            let chat = try await harness.connectedChat(first)
            // GetTranscript: 8 per second, a burst of 12; the clock does not move.
            for _ in 1...12 {
                _ = try await first.getTranscript(.init(), connectionToken: chat.connectionToken)
            }
            #expect(clock.sleeps.allSatisfy { $0 == 0 })
            _ = try await first.getTranscript(.init(), connectionToken: chat.connectionToken)
            #expect(clock.sleeps == [0.125])

            // Another instance has buckets of its own.
            let other = ParticipantClient(service: service, instanceID: "i-2")
            _ = try await other.getTranscript(.init(), connectionToken: chat.connectionToken)
            #expect(clock.sleeps == [0.125])
        }
    }

    @Test func verboseOutputShowsNeitherTokenNorTheWebSocketURLsQuery() async throws {
        try await ParticipantHarness.with { harness, _ in
            let sink = TextSink()
            let client = harness.client(observer: HTTPExchangeLogger { sink.write($0) })
            let chat = try await harness.startChat()
            let connection = try await client.createParticipantConnection(participantToken: chat.participantToken)
            let token = try #require(connection.connectionCredentials?.connectionToken)
            let url = try #require(connection.webSocket?.url.value)
            let query = try #require(url.split(separator: "=").last.map(String.init))
            _ = try await client.sendMessage(.init(content: "hi"), connectionToken: token)
            _ = try await client.transcript(connectionToken: token)
            try await client.disconnectParticipant(connectionToken: token)

            let log = sink.text
            #expect(log.contains("CreateParticipantConnection"))
            #expect(log.contains("X-Amz-Bearer"))
            for secret in [chat.participantToken.value, token.value, query] {
                #expect(!log.contains(secret))
            }
            #expect(!"\(connection)".contains(token.value))
            #expect(!"\(connection)".contains(query))
        }
    }
}
