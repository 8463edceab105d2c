import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// The chat's timers on the emulated clock (`/_emulator/advance`), StopContact and
/// DisconnectParticipant, persistent chats, and the ChatSession a flow interpreter uses.
@Suite struct ChatLifecycleTests {
    typealias Client = EmulatorTestClient

    @Test func aCustomerWhoNeverConnectsEndsTheChatAfterFiveMinutes() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let waiting = try await client.startChat()
            let connected = try await client.connectedChat()
            try await client.advance(seconds: 299)
            #expect(try await client.contactDetails(waiting.contactID)["state"] == .string("active"))
            try await client.advance(seconds: 1)

            let ended = try await client.contactDetails(waiting.contactID)
            #expect(ended["state"] == .string("stopped"))
            #expect(ended["endedAt"] == .string("2026-01-01T00:05:00.000Z"))
            #expect(ended["chat"]?["endReason"] == .string("CUSTOMER_NEVER_CONNECTED"))
            let late = try await client.participant(
                "connection", token: waiting.participantToken, body: #"{"Type":["CONNECTION_CREDENTIALS"]}"#)
            #expect(late.status == 403)
            #expect(late.errorType == "AccessDeniedException")

            #expect(try await client.contactDetails(connected.contactID)["state"] == .string("active"))
            #expect(try await client.say("still here", token: connected.connectionToken).status == 200)
        }
    }

    @Test func theWindowCanBeTurnedOff() async throws {
        try await Client.with(ParticipantServiceTests.configuration(connectWindow: nil)) { client in
            let waiting = try await client.startChat()
            try await client.advance(seconds: 3600)
            #expect(try await client.contactDetails(waiting.contactID)["state"] == .string("active"))
            _ = try await client.connect(waiting.participantToken)
        }
    }

    @Test func aChatEndsAtItsDuration() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let chat = try await client.connectedChat(extra: #""ChatDurationInMinutes":60"#)
            try await client.advance(seconds: 3599)
            #expect(try await client.say("just in time", token: chat.connectionToken).status == 200)
            try await client.advance(seconds: 1)
            let late = try await client.say("too late", token: chat.connectionToken)
            #expect(late.status == 403)
            #expect(late.errorType == "AccessDeniedException")
            let details = try await client.contactDetails(chat.contactID)
            #expect(details["state"] == .string("expired"))
            let items = details["chat"]?["transcript"]?.arrayValue ?? []
            #expect(items.last?["Type"] == .string("CHAT_ENDED"))
            #expect(items.last?["ContentType"] == .string("application/vnd.amazonaws.connect.event.chat.ended"))
            #expect(items.last?["AbsoluteTime"] == .string("2026-01-01T01:00:00.000Z"))
        }
    }

    @Test func aConnectionTokenLastsADay() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let chat = try await client.startChat(extra: #""ChatDurationInMinutes":10080"#)
            let first = try await client.connect(chat.participantToken)
            let token = try #require(first["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)
            try await client.advance(seconds: 86_399)
            #expect(try await client.say("still valid", token: token).status == 200)
            try await client.advance(seconds: 1)
            let expired = try await client.say("expired", token: token)
            #expect(expired.status == 403)
            #expect(expired.errorType == "AccessDeniedException")
            // The chat goes on: the ParticipantToken gets a fresh ConnectionToken.
            let again = try await client.connect(chat.participantToken)
            let fresh = try #require(again["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)
            #expect(try await client.say("renewed", token: fresh).status == 200)
        }
    }

    @Test func stopContactEndsTheChatForTheCustomer() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let chat = try await client.connectedChat()
            #expect(try await client.stop(chat.contactID).status == 200)
            for (path, body) in [
                ("message", #"{"ContentType":"text/plain","Content":"x"}"#),
                ("event", #"{"ContentType":"application/vnd.amazonaws.connect.event.typing"}"#),
                ("transcript", "{}"), ("disconnect", "{}"),
            ] {
                let answer = try await client.participant(path, token: chat.connectionToken, body: body)
                #expect(answer.status == 403, "\(path)")
            }
            let details = try await client.contactDetails(chat.contactID)
            #expect(details["chat"]?["endReason"] == .string("STOP_CONTACT"))
            let types = (details["chat"]?["transcript"]?.arrayValue ?? []).compactMap { $0["Type"]?.stringValue }
            #expect(types == ["PARTICIPANT_JOINED", "PARTICIPANT_LEFT", "CHAT_ENDED"])
        }
    }

    @Test func aPersistentChatCarriesThePastTranscript() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let first = try await client.connectedChat()
            _ = try await client.say("from before", token: first.connectionToken)
            _ = try await client.participant("disconnect", token: first.connectionToken)
            let second = try await client.connectedChat(
                extra: #""PersistentChat":{"RehydrationType":"ENTIRE_PAST_SESSION","SourceContactId":"\#(first.contactID)"}"#)
            _ = try await client.say("now", token: second.connectionToken)
            let transcript = try await client.transcript(second.connectionToken, #"{"SortOrder":"ASCENDING","MaxResults":100}"#)
            #expect(transcript.messageContents == ["from before", "now"])
            #expect(transcript["InitialContactId"] == .string(first.contactID))
            let items = transcript["Transcript"]?.arrayValue ?? []
            let past = try #require(items.first { $0["Content"] == .string("from before") })
            #expect(past["RelatedContactId"] == .string(first.contactID))
            #expect(past["ContactId"] == nil)
            let current = try #require(items.first { $0["Content"] == .string("now") })
            #expect(current["ContactId"] == .string(second.contactID))
            // The earlier contact's id is part of the chain and may be asked for.
            let asked = try await client.participant(
                "transcript", token: second.connectionToken, body: #"{"ContactId":"\#(first.contactID)"}"#)
            #expect(asked.status == 200)
        }
    }

    // MARK: - ChatSession

    @Test func aSessionHookHearsTheCustomerAndAnswersBeforeTheCallReturns() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let heard = Locked<[CustomerEvent]>([])
            client.emulator.chatSessions.onChatStarted = { session, contact in
                #expect(contact.contactFlowID == "f-1")
                session.setAttributes(["greeted": "no"])
                // Weakly: the session keeps its hook, so a hook that kept its session would
                // keep the whole emulator alive (LeakSanitizer reports the cycle).
                session.onCustomerEvent = { [weak session] event in
                    heard.withLock { $0.append(event) }
                    guard let session else { return }
                    switch event {
                    case .connected:
                        session.postMessage(
                            role: .system, displayName: "SYSTEM_MESSAGE", contentType: "text/plain", content: "Welcome")
                        session.setAttributes(["greeted": "yes"])
                    case .message(let text, _) where text == "bye":
                        session.endChat(reason: .flowDisconnected)
                    case .message(let text, _):
                        session.postMessage(role: .bot, displayName: "BOT", contentType: "text/plain", content: "You said \(text)")
                        session.markQueued(queueId: "q-1")
                    }
                }
            }
            let started = try await client.startChat()
            let events = client.emulator.contactEvents(contactID: started.contactID)
            let connection = try await client.connect(started.participantToken)
            let chat = (
                contactID: started.contactID,
                connectionToken: try #require(connection["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)
            )
            _ = try await client.say("hi", token: chat.connectionToken)
            let transcript = try await client.transcript(chat.connectionToken, #"{"SortOrder":"ASCENDING"}"#)
            #expect(transcript.messageContents == ["Welcome", "hi", "You said hi"])
            let roles = (transcript["Transcript"]?.arrayValue ?? []).filter { $0["Type"] == .string("MESSAGE") }
                .compactMap { $0["ParticipantRole"]?.stringValue }
            #expect(roles == ["SYSTEM", "CUSTOMER", "CUSTOM_BOT"])
            let session = try #require(client.emulator.chatSessions.session(for: chat.contactID))
            #expect(session.attributes["greeted"] == "yes")
            #expect(try await client.contactDetails(chat.contactID)["chat"]?["queueId"] == .string("q-1"))
            var kinds: [ContactEvent.Kind] = []
            for await event in events where event.kind != .transcriptItem {
                kinds.append(event.kind)
                if event.kind == .queued { break }
            }
            #expect(kinds == [.queued])

            // A second connection is not a second `.connected`.
            _ = try await client.connect(started.participantToken)
            _ = try await client.say("bye", token: chat.connectionToken)
            #expect(heard.withLock { $0 } == [.connected, .message(text: "hi", contentType: "text/plain"), .message(text: "bye", contentType: "text/plain")])
            #expect(try await client.contactDetails(chat.contactID)["chat"]?["endReason"] == .string("CONTACT_FLOW_DISCONNECT"))
            #expect(session.postMessage(role: .system, displayName: "SYSTEM_MESSAGE", contentType: "text/plain", content: "late") == nil)
            #expect(!session.setAttributes(["x": "y"]))
            #expect(!session.isActive)
        }
    }

    @Test func withoutAHookNothingIsPosted() async throws {
        try await Client.with(ParticipantServiceTests.configuration()) { client in
            let chat = try await client.connectedChat()
            _ = try await client.say("anyone?", token: chat.connectionToken)
            #expect(try await client.transcript(chat.connectionToken).messageContents == ["anyone?"])
        }
    }
}
