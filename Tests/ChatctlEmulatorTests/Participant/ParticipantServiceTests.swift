import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// The Participant Service routes over loopback HTTP: tokens, the customer's calls, the
/// transcript and its paging, throttling, and the chat's life cycle on the emulated clock.
@Suite struct ParticipantServiceTests {
    typealias Client = EmulatorTestClient

    static func configuration(quotas: ParticipantQuotas = .off, connectWindow: Double? = 300) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration(tps: 0, stopTPS: 0, seed: 1)
        configuration.participantQuotas = quotas
        configuration.customerConnectWindow = connectWindow
        return configuration
    }

    @Test func theCustomerConnectsTalksReadsAndLeaves() async throws {
        try await Client.with(Self.configuration()) { client in
            let chat = try await client.startChat(extra: #""InitialMessage":{"ContentType":"text/plain","Content":"hello"}"#)
            let answer = try await client.connect(chat.participantToken)
            let url = try #require(answer["Websocket"]?["Url"]?.stringValue)
            #expect(url.hasPrefix("ws://127.0.0.1:\(client.emulator.port)/participant/websocket?token="))
            #expect(answer["Websocket"]?["ConnectionExpiry"] == .string("2026-01-01T00:01:40.000Z"))
            #expect(answer["ConnectionCredentials"]?["Expiry"] == .string("2026-01-02T00:00:00.000Z"))
            let token = try #require(answer["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)

            let sent = try await client.say("one", token: token)
            #expect(sent.status == 200, "\(sent.bodyText)")
            #expect(try sent.json["Id"]?.stringValue?.count == 36)
            #expect(try sent.json["AbsoluteTime"] == .string("2026-01-01T00:00:00.000Z"))
            client.clock.advance(by: 1)
            _ = try await client.say("two", token: token)

            // Defaults: BACKWARD from the latest, DESCENDING.
            let transcript = try await client.transcript(token)
            #expect(transcript.messageContents == ["two", "one", "hello"])
            #expect(transcript.itemTypes.last == "PARTICIPANT_JOINED")
            #expect(transcript["InitialContactId"] == .string(chat.contactID))
            let first = try #require(transcript["Transcript"]?.arrayValue?.first)
            #expect(first["ParticipantRole"] == .string("CUSTOMER"))
            #expect(first["DisplayName"] == .string("Ann"))
            #expect(first["ContactId"] == .string(chat.contactID))

            let typing = try await client.participant(
                "event", token: token, body: #"{"ContentType":"application/vnd.amazonaws.connect.event.typing"}"#)
            #expect(typing.status == 200, "\(typing.bodyText)")

            let left = try await client.participant("disconnect", token: token)
            #expect(left.status == 200)
            #expect(left.bodyText == "{}")
            let after = try await client.say("three", token: token)
            #expect(after.status == 403)
            #expect(after.errorType == "AccessDeniedException")

            let details = try await client.contactDetails(chat.contactID)
            #expect(details["state"] == .string("stopped"))
            #expect(details["chat"]?["endReason"] == .string("CUSTOMER_DISCONNECT"))
            let types = (details["chat"]?["transcript"]?.arrayValue ?? []).compactMap { $0["Type"]?.stringValue }
            #expect(types == ["PARTICIPANT_JOINED", "MESSAGE", "MESSAGE", "MESSAGE", "TYPING", "PARTICIPANT_LEFT", "CHAT_ENDED"])
        }
    }

    @Test func wrongUnknownAndSwappedTokensAreRefused() async throws {
        try await Client.with(Self.configuration()) { client in
            let chat = try await client.startChat()
            let other = try await client.connectedChat()

            // The ParticipantToken where a ConnectionToken belongs, and the other way round.
            let swapped = try await client.say("hi", token: chat.participantToken)
            #expect(swapped.status == 403)
            #expect(swapped.errorType == "AccessDeniedException")
            let connection = try await client.connect(chat.participantToken)
            let token = try #require(connection["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)
            let swappedBack = try await client.participant(
                "connection", token: token, body: #"{"Type":["CONNECTION_CREDENTIALS"]}"#)
            #expect(swappedBack.status == 403)
            #expect(swappedBack.errorType == "AccessDeniedException")

            let unknown = try await client.say("hi", token: "not-a-token")
            #expect(unknown.status == 403)
            let missing = try await client.participant("message", token: nil, body: #"{"ContentType":"text/plain","Content":"x"}"#)
            #expect(missing.status == 403)
            #expect(missing.errorType == "AccessDeniedException")

            // A token reads only its own chat.
            let ownOnly = try await client.participant(
                "transcript", token: token, body: #"{"ContactId":"\#(other.contactID)"}"#)
            #expect(ownOnly.status == 400)
            #expect(ownOnly.errorType == "ValidationException")
            #expect(try await client.say("fine", token: token).status == 200)
        }
    }

    @Test(arguments: [
        (#"{"ContentType":"text/plain"}"#, "Value null at 'Content'"),
        (#"{"ContentType":"text/plain","Content":""}"#, "Content"),
        (#"{"ContentType":"image/png","Content":"x"}"#, "image/png is not supported"),
        (#"{"ContentType":"text/plain","Content":"\#(String(repeating: "x", count: 1025))"}"#, "at most 1024"),
        (#"{"ContentType":"text/plain","Content":"x","Surprise":1}"#, "Surprise"),
        (#"{"ContentType":"text/plain","Content":"x""#, "not valid JSON"),
        (#"[1]"#, "JSON object"),
    ])
    func badMessagesAreValidationErrors(_ body: String, _ reason: String) async throws {
        try await Client.with(Self.configuration()) { client in
            let chat = try await client.connectedChat()
            let answer = try await client.participant("message", token: chat.connectionToken, body: body)
            #expect(answer.status == 400)
            #expect(answer.errorType == "ValidationException")
            #expect(answer.bodyText.contains(reason), "\(answer.bodyText)")
            #expect(try await client.transcript(chat.connectionToken).messageContents.isEmpty)
        }
    }

    @Test func badTranscriptAndEventRequestsAreValidationErrors() async throws {
        try await Client.with(Self.configuration()) { client in
            let chat = try await client.connectedChat()
            for body in [
                #"{"MaxResults":101}"#, #"{"ScanDirection":"SIDEWAYS"}"#, #"{"NextToken":"bm9wZQ"}"#,
                #"{"StartPosition":{"Id":"missing"}}"#, #"{"StartPosition":{"AbsoluteTime":"yesterday"}}"#,
            ] {
                let answer = try await client.participant("transcript", token: chat.connectionToken, body: body)
                #expect(answer.status == 400, "\(body): \(answer.bodyText)")
                #expect(answer.errorType == "ValidationException")
            }
            for body in [
                #"{"ContentType":"application/vnd.amazonaws.connect.event.wave"}"#,
                #"{"ContentType":"application/vnd.amazonaws.connect.event.message.read","Content":"{}"}"#,
            ] {
                let answer = try await client.participant("event", token: chat.connectionToken, body: body)
                #expect(answer.status == 400, "\(body): \(answer.bodyText)")
            }
            let fresh = try await client.startChat().participantToken
            for body in [
                "{}", #"{"Type":[]}"#, #"{"Type":["CARRIER_PIGEON"]}"#, #"{"Type":["WEBRTC_CONNECTION"]}"#,
                #"{"Type":["WEBSOCKET"],"ConnectParticipant":"yes"}"#,
            ] {
                let answer = try await client.participant("connection", token: fresh, body: body)
                #expect(answer.status == 400, "\(body): \(answer.bodyText)")
                #expect(answer.errorType == "ValidationException")
            }
            let onlyConnect = try await client.participant("connection", token: fresh, body: #"{"ConnectParticipant":true}"#)
            #expect(onlyConnect.bodyText == "{}")
        }
    }

    @Test func anOversizedBodyIsRefusedAndTheEmulatorServesOn() async throws {
        var configuration = Self.configuration()
        configuration.maxBodyBytes = 64 << 10
        try await Client.with(configuration) { client in
            let chat = try await client.connectedChat()
            let huge = #"{"ContentType":"text/plain","Content":""# + String(repeating: "x", count: 100_000) + #""}"#
            let refused = try await client.participant("message", token: chat.connectionToken, body: huge)
            #expect(refused.status == 413)
            #expect(try await client.say("small", token: chat.connectionToken).status == 200)
            #expect(try await client.transcript(chat.connectionToken).messageContents == ["small"])
        }
    }

    @Test func aClientTokenIsAnsweredOnce() async throws {
        try await Client.with(Self.configuration()) { client in
            let chat = try await client.connectedChat()
            let body = #"{"ContentType":"text/plain","Content":"once","ClientToken":"c-1"}"#
            let first = try await client.participant("message", token: chat.connectionToken, body: body)
            client.clock.advance(by: 5)
            let again = try await client.participant("message", token: chat.connectionToken, body: body)
            #expect(try first.json == again.json)
            #expect(try await client.transcript(chat.connectionToken).messageContents == ["once"])
        }
    }

    // MARK: - Paging

    /// Every item reached by following NextToken from `body`, in the order the pages give them.
    static func allPages(_ client: Client, _ token: String, _ body: [String: JSONValue]) async throws -> [String] {
        var ids: [String] = []
        var next: String?
        var pages = 0
        repeat {
            var request = body
            request["NextToken"] = next.map(JSONValue.string)
            let page = try await client.transcript(token, JSONWriter.compact.string(.object(request)))
            let items = page["Transcript"]?.arrayValue ?? []
            #expect(items.count <= (body["MaxResults"].flatMap(ModelValidator.integer) ?? 10))
            ids += items.compactMap { $0["Content"]?.stringValue ?? $0["Type"]?.stringValue }
            next = page["NextToken"]?.stringValue
            pages += 1
        } while next != nil && pages < 100
        return ids
    }

    @Test func pagingVisitsEveryItemOnceInEitherDirection() async throws {
        try await Client.with(Self.configuration()) { client in
            let chat = try await client.connectedChat()
            let messages = (1...24).map { "m\($0)" }
            for message in messages {
                #expect(try await client.say(message, token: chat.connectionToken).status == 200)
                client.clock.advance(by: 1)
            }
            let chronological = ["PARTICIPANT_JOINED"] + messages
            let forward = try await Self.allPages(
                client, chat.connectionToken,
                [
                    "ScanDirection": .string("FORWARD"), "SortOrder": .string("ASCENDING"), "MaxResults": .integer(10),
                    "StartPosition": .object(["MostRecent": .integer(100)]),
                ])
            #expect(forward == chronological)
            // BACKWARD pages from the latest; DESCENDING orders each page newest first.
            let backward = try await Self.allPages(client, chat.connectionToken, ["MaxResults": .integer(7)])
            #expect(backward == Array(chronological.reversed()))
            let ascendingPages = try await Self.allPages(
                client, chat.connectionToken, ["MaxResults": .integer(10), "SortOrder": .string("ASCENDING")])
            #expect(ascendingPages == Array(chronological[15...]) + Array(chronological[5..<15]) + Array(chronological[0..<5]))
        }
    }

    @Test func startPositionsAndDefaults() async throws {
        try await Client.with(Self.configuration()) { client in
            let chat = try await client.connectedChat()
            var ids: [String] = []
            for index in 1...12 {
                ids.append(try #require(try await client.say("m\(index)", token: chat.connectionToken).json["Id"]?.stringValue))
                client.clock.advance(by: 60)
            }
            // Default page: the 10 most recent, newest first.
            let latest = try await client.transcript(chat.connectionToken)
            #expect(latest.messageContents == (3...12).reversed().map { "m\($0)" })
            #expect(latest["NextToken"] != nil)
            // From an Id (included): FORWARD by default.
            let fromID = try await client.transcript(
                chat.connectionToken, #"{"StartPosition":{"Id":"\#(ids[9])"},"SortOrder":"ASCENDING"}"#)
            #expect(fromID.messageContents == ["m10", "m11", "m12"])
            #expect(fromID["NextToken"] == nil)
            // From a time: the first item at or after it.
            let fromTime = try await client.transcript(
                chat.connectionToken,
                #"{"StartPosition":{"AbsoluteTime":"2026-01-01T00:09:30.000Z"},"SortOrder":"ASCENDING","MaxResults":2}"#)
            #expect(fromTime.messageContents == ["m11", "m12"])
            // MostRecent 0 BACKWARD: the latest item only, with a token for the rest.
            let mostRecent = try await client.transcript(
                chat.connectionToken, #"{"StartPosition":{"MostRecent":0},"ScanDirection":"BACKWARD","MaxResults":1}"#)
            #expect(mostRecent.messageContents == ["m12"])
            #expect(mostRecent["NextToken"] != nil)
        }
    }

    // MARK: - Throttling

    @Test func eachOperationHasItsInstanceBucket() async throws {
        try await Client.with(Self.configuration(quotas: .documented)) { client in
            let chat = try await client.connectedChat()
            for index in 1...15 {
                #expect(try await client.say("m\(index)", token: chat.connectionToken).status == 200)
            }
            let throttled = try await client.say("m16", token: chat.connectionToken)
            #expect(throttled.status == 429)
            #expect(throttled.errorType == "ThrottlingException")
            // Another operation has its own bucket; the clock refills them.
            #expect(try await client.participant("transcript", token: chat.connectionToken).status == 200)
            client.clock.advance(by: 0.1)
            #expect(try await client.say("m17", token: chat.connectionToken).status == 200)
            // Another instance has its own buckets.
            let started = try await client.start(instance: "i-2")
            let token = try #require(try started.json["ParticipantToken"]?.stringValue)
            let other = try await client.connect(token)
            let otherToken = try #require(other["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)
            #expect(try await client.say("elsewhere", token: otherToken).status == 200)
        }
    }

    @Test func theDocumentedQuotas() {
        let quotas = ParticipantQuotas.documented
        #expect(quotas.quota(.createParticipantConnection) == .init(rate: 6, burst: 9))
        #expect(quotas.quota(.sendMessage) == .init(rate: 10, burst: 15))
        #expect(quotas.quota(.sendEvent) == .init(rate: 10, burst: 15))
        #expect(quotas.quota(.getTranscript) == .init(rate: 8, burst: 12))
        #expect(quotas.quota(.disconnectParticipant) == .init(rate: 3, burst: 5))
        #expect(EmulatorConfiguration().participantQuotas == .documented)
        var broken = EmulatorConfiguration()
        broken.participantQuotas.byOperation[.sendMessage] = .init(rate: -1, burst: 0)
        broken.customerConnectWindow = 0
        #expect(broken.problems.count == 2)
        #expect(ParticipantQuotas.parseSetting("GetTranscript=2.5/4").map { $0.1 } == .init(rate: 2.5, burst: 4))
        #expect(ParticipantQuotas.parseSetting("GetTranscript=2.5/4")?.0 == .getTranscript)
        for bad in ["GetTranscript", "Nothing=1/1", "SendMessage=1", "SendMessage=x/1", "SendMessage=1/1.5"] {
            #expect(ParticipantQuotas.parseSetting(bad) == nil, "\(bad)")
        }
    }
}
