import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// A chat runs the contact flow its ContactFlowId names, end to end over loopback: the
/// customer's StartChatContact, CreateParticipantConnection, SendMessage and GetTranscript,
/// `/_emulator/advance` for the flow's deadlines, and the flow's path in the admin API.
// A bug that keeps a frame or a flow step from coming fails the test, not the run: no
// test here takes more than a few seconds, even under a sanitizer.
@Suite(.timeLimit(.minutes(1))) struct ChatFlowTests {
    typealias Client = EmulatorTestClient

    static let billing = #""Attributes":{"firstName":"Ana","topic":"billing"}"#

    /// The shared Lex flow with a 120-second answer time that disconnects when it runs out.
    static func timedLexFlow() throws -> FlowDocument {
        let shared = try FlowInterpreterTests.sharedFlow("example-lex-chat-flow")
        var actions = shared.actions
        actions[0].parameters["LexTimeoutSeconds"] = ["Text": "120"]
        actions[0].transitions.errors.insert(FlowErrorBranch(nextAction: "bye", errorType: "InputTimeLimitExceeded"), at: 0)
        return FlowDocument(file: shared.file, startAction: shared.startAction, actions: actions)
    }

    /// The emulator's configuration with the two flows of the test fixtures (`minimal`,
    /// `lex`), the timed Lex flow (`lex-timed`), a Wait (`wait`), flows that end without a
    /// disconnect (`runs-out`) and on an error (`fails`), and one with an action not emulated
    /// (`not-emulated`).
    static func configuration() throws -> EmulatorConfiguration {
        var configuration = ParticipantServiceTests.configuration()
        let flows: [String: FlowDocument] = [
            "minimal": try FlowInterpreterTests.sharedFlow("example-minimal-chat-flow"),
            "lex": try FlowInterpreterTests.sharedFlow("example-lex-chat-flow"),
            "lex-timed": try timedLexFlow(),
            "wait": FlowInterpreterTests.waiting,
            "runs-out": TestFlows.flow([TestFlows.message("hello", "hello", next: nil)]),
            "fails": TestFlows.flow([TestFlows.action("fail", "Compare", ["ComparisonValue": "x"])]),
            "not-emulated": TestFlows.flow([
                TestFlows.action("task", "CreateTask", errors: [("NoMatchingError", "sorry")]),
                TestFlows.message("sorry", "no tasks here"), TestFlows.bye,
            ]),
        ]
        configuration.flowRunner = FlowRunner(library: FlowLibrary(flows: flows), fixtures: FlowInterpreterTests.lexFixtures)
        return configuration
    }

    /// `action:branch` of each step of the admin API's flow path.
    static func branches(_ details: JSONValue) -> [String] {
        (details["flow"]?["path"]?.arrayValue ?? []).compactMap { step in
            guard let action = step["action"]?.stringValue, let branch = step["branch"]?.stringValue else { return nil }
            return "\(action):\(branch)"
        }
    }

    /// `ROLE: content` of each message, and the `Type` of each other item but the
    /// customer's `PARTICIPANT_JOINED` (StartChatContact's, not the flow's), of a transcript
    /// (a GetTranscript answer, or the admin API's chat).
    static func lines(_ transcript: JSONValue) -> [String] {
        (transcript["Transcript"]?.arrayValue ?? transcript["transcript"]?.arrayValue ?? []).compactMap { item in
            item["Type"] == .string("PARTICIPANT_JOINED") ? nil : line(item)
        }
    }

    /// `ROLE: content` of a message item, the `Type` of another.
    static func line(_ item: JSONValue) -> String {
        guard item["Type"] == .string("MESSAGE") else { return item["Type"]?.stringValue ?? "?" }
        return "\(item["ParticipantRole"]?.stringValue ?? "?"): \(item["Content"]?.stringValue ?? "")"
    }

    @Test func theMinimalFlowGreetsAnswersBillingAndEndsTheChat() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.startChat(flow: "minimal", extra: Self.billing)
            // Nothing runs before the customer connects.
            #expect(try await client.contactDetails(chat.contactID)["flow"]?["state"]?["name"] == .string("notStarted"))
            // A customer that asks for no WebSocket is listening once connected: the flow ran,
            // and ended the chat, before CreateParticipantConnection answered, and the
            // customer's calls are refused from then on, as the service refuses them.
            let answer = try await client.connect(chat.participantToken, types: ["CONNECTION_CREDENTIALS"])
            let token = try #require(answer["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)
            #expect(try await client.participant("transcript", token: token).status == 403)
            #expect(try await client.say("hello?", token: token).status == 403)

            let details = try await client.contactDetails(chat.contactID)
            #expect(Self.lines(details["chat"] ?? .null) == [
                "SYSTEM: Hi Ana, thanks for contacting us.",
                "SYSTEM: Billing questions are answered 9am-5pm. Goodbye!",
                "PARTICIPANT_LEFT", "CHAT_ENDED",
            ])
            #expect(details["state"] == .string("stopped"))
            #expect(details["chat"]?["endReason"] == .string("CONTACT_FLOW_DISCONNECT"))
            #expect(Self.branches(details) == ["greet:NextAction", "route:Conditions[0]", "billing-msg:NextAction", "bye:end"])
            #expect(details["flow"]?["contactFlowId"] == .string("minimal"))
            #expect(details["flow"]?["state"] == .object(["name": .string("ended"), "reason": .string("disconnected")]))
            // The path names actions and branches, never attribute values.
            let flowText = JSONWriter.compact.string(details["flow"] ?? .null)
            #expect(!flowText.contains("Ana") && !flowText.contains("billing\""))
        }
    }

    @Test func anotherTopicGetsTheGreetingAlone() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.listeningChat(flow: "minimal", extra: #""Attributes":{"firstName":"Bo","topic":"returns"}"#)
            #expect(Self.lines(try await client.contactDetails(chat.contactID)["chat"] ?? .null) == [
                "SYSTEM: Hi Bo, thanks for contacting us.", "PARTICIPANT_LEFT", "CHAT_ENDED",
            ])
        }
    }

    @Test func theLexBotAsksAndTheFlowAnswersBalance() async throws {
        try await Client.with(try Self.configuration()) { client in
            // A customer that asked for a WebSocket but reads with GetTranscript: its first
            // GetTranscript starts the flow, and holds what the flow posted.
            let chat = try await client.connectedChat(flow: "lex")
            #expect(try await client.contactDetails(chat.contactID)["flow"]?["state"]?["name"] == .string("notStarted"))
            let asked = try await client.forward(chat.connectionToken)
            #expect(Self.lines(asked) == ["CUSTOM_BOT: How can I help? (balance / agent)"])
            #expect(asked["Transcript"]?.arrayValue?.first?["DisplayName"] == .string("BOT"))
            #expect(try await client.contactDetails(chat.contactID)["flow"]?["state"]
                == .object(["name": .string("waiting"), "action": .string("ask")]))

            #expect(try await client.say("balance", token: chat.connectionToken).status == 200)
            // The flow answered and disconnected before SendMessage returned: the whole
            // conversation is in the admin API (the customer's GetTranscript is refused now).
            #expect(try await client.participant("transcript", token: chat.connectionToken).status == 403)
            #expect(Self.lines(try await client.contactDetails(chat.contactID)["chat"] ?? .null) == [
                "CUSTOM_BOT: How can I help? (balance / agent)", "CUSTOMER: balance", "SYSTEM: Your balance is 42.00.",
                "PARTICIPANT_LEFT", "CHAT_ENDED",
            ])
            let details = try await client.contactDetails(chat.contactID)
            #expect(Self.branches(details) == ["ask:waiting", "ask:Conditions[0]", "balance:NextAction", "bye:end"])
        }
    }

    /// A WebSocket client hears the whole conversation of a flow that greets and ends the
    /// chat at once: the flow waits for the socket's subscription, not for
    /// CreateParticipantConnection (whose answer the socket's URL is in).
    @Test func theMinimalFlowWaitsForTheWebSocketAndSendsItTheWholeConversation() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.connectedChat(flow: "minimal", extra: Self.billing)
            #expect(try await client.contactDetails(chat.contactID)["flow"]?["state"]?["name"] == .string("notStarted"))
            let socket = try await Self.subscribedSocket(chat.answer, port: client.emulator.port)
            defer { socket.close() }
            var received: [String] = []
            for _ in 0..<4 {
                received.append(Self.line(try ParticipantWebSocketTests.chatItem(try await socket.readJSONFrame())))
            }
            #expect(received == [
                "SYSTEM: Hi Ana, thanks for contacting us.",
                "SYSTEM: Billing questions are answered 9am-5pm. Goodbye!",
                "PARTICIPANT_LEFT", "CHAT_ENDED",
            ])
            let details = try await client.contactDetails(chat.contactID)
            #expect(details["chat"]?["customerListeningAt"]?.stringValue != nil)
            #expect(details["flow"]?["state"] == .object(["name": .string("ended"), "reason": .string("disconnected")]))
        }
    }

    /// The bot's question, the customer's answer, the flow's reply and the end of the chat
    /// reach a subscribed WebSocket.
    @Test func theWebSocketCarriesTheLexConversationAndTheEndOfTheChat() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.connectedChat(flow: "lex")
            let socket = try await Self.subscribedSocket(chat.answer, port: client.emulator.port)
            defer { socket.close() }
            #expect(Self.line(try ParticipantWebSocketTests.chatItem(try await socket.readJSONFrame()))
                == "CUSTOM_BOT: How can I help? (balance / agent)")

            #expect(try await client.say("balance", token: chat.connectionToken).status == 200)
            var received: [String] = []
            for _ in 0..<4 {
                received.append(Self.line(try ParticipantWebSocketTests.chatItem(try await socket.readJSONFrame())))
            }
            #expect(received == ["CUSTOMER: balance", "SYSTEM: Your balance is 42.00.", "PARTICIPANT_LEFT", "CHAT_ENDED"])
        }
    }

    /// A customer's second subscription, or a second socket, starts nothing again.
    @Test func aFlowStartsOnceWhateverTheCustomerDoesFirst() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.connectedChat(flow: "lex")
            _ = try await client.forward(chat.connectionToken)
            let started = try await client.contactDetails(chat.contactID)["chat"]?["customerListeningAt"]
            #expect(started?.stringValue != nil)
            try await client.advance(seconds: 5)
            let socket = try await Self.subscribedSocket(chat.answer, port: client.emulator.port)
            defer { socket.close() }
            #expect(try await client.say("agent", token: chat.connectionToken).status == 200)
            #expect(Self.line(try ParticipantWebSocketTests.chatItem(try await socket.readJSONFrame())) == "CUSTOMER: agent")
            let details = try await client.contactDetails(chat.contactID)
            // One question: the flow ran from its start once.
            #expect(Self.lines(details["chat"] ?? .null).filter { $0.hasPrefix("CUSTOM_BOT") }.count == 1)
            // The start is the first call's, not the subscription's.
            #expect(details["chat"]?["customerListeningAt"] == started)
        }
    }

    /// Opens the WebSocket a CreateParticipantConnection `answer` names and subscribes it
    /// to `aws/chat`.
    static func subscribedSocket(_ answer: JSONValue, port: Int) async throws -> RawConnection {
        let url = try #require(answer["Websocket"]?["Url"]?.stringValue)
        let (socket, head) = try await ParticipantWebSocketTests.open(url, port: port)
        #expect(head.hasPrefix("HTTP/1.1 101 "))
        try await ParticipantWebSocketTests.send(socket, #"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#)
        #expect(try await socket.readJSONFrame()["topic"] == .string("aws/subscribe"))
        return socket
    }

    @Test func talkToAgentQueuesTheContactAndTheChatStaysOpen() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.listeningChat(flow: "lex")
            #expect(try await client.say("agent", token: chat.connectionToken).status == 200)
            let details = try await client.contactDetails(chat.contactID)
            #expect(details["state"] == .string("active"))
            #expect(details["chat"]?["queued"] == .bool(true))
            #expect(details["chat"]?["queueId"] == .string(FlowInterpreterTests.queue))
            #expect(details["flow"]?["state"]
                == .object(["name": .string("queued"), "queueId": .string(FlowInterpreterTests.queue)]))
            #expect(Self.branches(details) == ["ask:waiting", "ask:Conditions[1]", "set-queue:NextAction", "to-queue:end"])
            // The flow is over; the chat is not.
            #expect(try await client.say("hello?", token: chat.connectionToken).status == 200)
            #expect(Self.lines(try await client.contactDetails(chat.contactID)["chat"] ?? .null) == [
                "CUSTOM_BOT: How can I help? (balance / agent)", "CUSTOMER: agent", "CUSTOMER: hello?",
            ])
        }
    }

    @Test func advanceRunsOutALexBotsAnswerTime() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.listeningChat(flow: "lex-timed")
            #expect(try await client.contactDetails(chat.contactID)["flow"]?["state"] == .object([
                "name": .string("waiting"), "action": .string("ask"), "until": .string("2026-01-01T00:02:00.000Z"),
            ]))
            try await client.advance(seconds: 119)
            #expect(try await client.contactDetails(chat.contactID)["state"] == .string("active"))
            try await client.advance(seconds: 1)
            let details = try await client.contactDetails(chat.contactID)
            #expect(details["state"] == .string("stopped"))
            #expect(Self.branches(details) == ["ask:waiting", "ask:Errors:InputTimeLimitExceeded", "bye:end"])
            #expect(details["flow"]?["path"]?.arrayValue?.dropFirst().first?["at"] == .string("2026-01-01T00:02:00.000Z"))
        }
    }

    @Test func advanceCompletesAWaitAndTheFlowGoesOn() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.listeningChat(flow: "wait")
            let other = try await client.listeningChat(flow: "wait")
            #expect(try await client.say("I am back", token: other.connectionToken).status == 200)
            try await client.advance(seconds: 59)
            #expect(Self.lines(try await client.forward(chat.connectionToken)) == [])
            try await client.advance(seconds: 1)
            #expect(Self.lines(try await client.contactDetails(chat.contactID)["chat"] ?? .null) == [
                "SYSTEM: time is up", "PARTICIPANT_LEFT", "CHAT_ENDED",
            ])
            #expect(Self.branches(try await client.contactDetails(chat.contactID)) == [
                "wait:waiting", "wait:Conditions[1]", "late:NextAction", "bye:end",
            ])
            // The chat whose customer came back took the other branch, before the deadline.
            #expect(Self.branches(try await client.contactDetails(other.contactID)) == [
                "wait:waiting", "wait:Conditions[0]", "back:NextAction", "bye:end",
            ])
        }
    }

    @Test func oneAdvanceMovesTheFlowsOnInDeadlineOrder() async throws {
        try await Client.with(try Self.configuration()) { client in
            // Started first, due last (120 s); then three chats due at 60 s.
            let late = try await client.listeningChat(flow: "lex-timed")
            var early: [String] = []
            for _ in 0..<3 {
                early.append(try await client.listeningChat(flow: "wait").contactID)
            }
            let events = client.emulator.contactEvents()
            try await client.advance(seconds: 300)
            var ended: [String] = []
            for await event in events where event.kind == .ended {
                ended.append(event.contactID)
                if ended.count == 4 { break }
            }
            #expect(ended.last == late.contactID)
            #expect(Set(ended.prefix(3)) == Set(early))
            // Each flow moved on at the time of the advance.
            let details = try await client.contactDetails(late.contactID)
            #expect(details["flow"]?["path"]?.arrayValue?.last?["at"] == .string("2026-01-01T00:05:00.000Z"))
        }
    }

    @Test func aChatWhoseFlowHasNoFilePostsNothing() async throws {
        try await Client.with(try Self.configuration()) { client in
            let chat = try await client.listeningChat(flow: "f-1")
            #expect(try await client.say("anyone?", token: chat.connectionToken).status == 200)
            #expect(Self.lines(try await client.forward(chat.connectionToken)) == ["CUSTOMER: anyone?"])
            let details = try await client.contactDetails(chat.contactID)
            #expect(details["flow"] == nil)
            #expect(details["state"] == .string("active"))
        }
    }

    @Test func theAdminAPITellsAFlowsEndAndErrorFromADisconnect() async throws {
        try await Client.with(try Self.configuration()) { client in
            let runsOut = try await client.listeningChat(flow: "runs-out")
            let runsOutDetails = try await client.contactDetails(runsOut.contactID)
            #expect(runsOutDetails["chat"]?["endReason"] == .string("CONTACT_FLOW_END"))
            #expect(runsOutDetails["flow"]?["state"]?["reason"] == .string("flowEnded"))

            let fails = try await client.listeningChat(flow: "fails")
            let failsDetails = try await client.contactDetails(fails.contactID)
            #expect(failsDetails["chat"]?["endReason"] == .string("CONTACT_FLOW_ERROR"))
            #expect(failsDetails["flow"]?["state"]?["reason"] == .string("flowError"))
            // The service records both as a contact-flow disconnect.
            let contacts = client.emulator.contacts
            #expect(contacts.first { $0.contactID == fails.contactID }?.disconnectReasonCode == "CONTACT_FLOW_DISCONNECT")
            #expect(contacts.first { $0.contactID == runsOut.contactID }?.disconnectReasonCode == "CONTACT_FLOW_DISCONNECT")
        }
    }

    @Test func verboseNamesActionsThatAreNotEmulated() async throws {
        let lines = Locked<[String]>([])
        try await Client.with(try Self.configuration(), flowLog: { line in lines.withLock { $0.append(line) } }) { client in
            let chat = try await client.listeningChat(flow: "not-emulated", extra: Self.billing)
            #expect(Self.lines(try await client.contactDetails(chat.contactID)["chat"] ?? .null) == [
                "SYSTEM: no tasks here", "PARTICIPANT_LEFT", "CHAT_ENDED",
            ])
            let details = try await client.contactDetails(chat.contactID)
            #expect(details["flow"]?["path"]?.arrayValue?.first?["notEmulated"] == .bool(true))
            #expect(lines.withLock { $0 } == [
                "contact \(chat.contactID) flow not-emulated: task (CreateTask) is not emulated, took Errors:NoMatchingError",
            ])
        }
    }

    @Test func theFlowsOfEndedChatsAreDropped() async throws {
        try await Client.with(try Self.configuration()) { client in
            let stopped = try await client.listeningChat(flow: "lex")
            let ended = try await client.listeningChat(flow: "minimal", extra: Self.billing)
            let running = try await client.listeningChat(flow: "lex")
            #expect(try await client.stop(stopped.contactID).status == 200)
            try await client.advance(seconds: 0)
            let flows = client.emulator.chatFlows
            #expect(flows.record(for: stopped.contactID) == nil)
            #expect(flows.record(for: ended.contactID) == nil)
            #expect(flows.record(for: running.contactID)?.state == .waiting(action: "ask", until: nil))
            // An ended chat's session no longer holds its interpreter.
            #expect(client.emulator.chatSessions.session(for: stopped.contactID)?.onCustomerEvent == nil)
            #expect(client.emulator.chatSessions.session(for: running.contactID)?.onCustomerEvent != nil)
            // The path of a dropped flow stays with its chat.
            #expect(Self.branches(try await client.contactDetails(stopped.contactID)) == ["ask:waiting"])
        }
    }
}

extension EmulatorTestClient {
    /// GetTranscript, oldest item first.
    func forward(_ token: String) async throws -> JSONValue {
        try await transcript(token, #"{"ScanDirection":"FORWARD"}"#)
    }
}

extension EmulatorTestClient {
    /// Starts a chat whose customer connects without a WebSocket, which starts its flow
    /// before CreateParticipantConnection answers: contact id and ConnectionToken.
    func listeningChat(flow: String, extra: String = "") async throws
        -> (contactID: String, connectionToken: String, answer: JSONValue)
    {
        try await connectedChat(flow: flow, extra: extra, types: ["CONNECTION_CREDENTIALS"])
    }
}
