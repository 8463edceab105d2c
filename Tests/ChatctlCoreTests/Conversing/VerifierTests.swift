import Foundation
import Testing
@testable import ChatctlCore

/// The conversing stage over an in-memory chat in virtual time: every kind of mismatch
/// fails at the right step with what arrived instead; ordering, de-duplication,
/// streamed chunks and both time limits.
@Suite struct VerifierTests {
    private static func run(
        _ steps: [Conversation.Step], timeout: Int = 120, events: [(Double, ConversationEvent)],
        replies: [String: [(after: Double, event: ConversationEvent)]] = [:], sendFailure: ConversationChannelError? = nil
    ) async -> (outcome: VerificationOutcome, channel: InMemoryConversationChannel, clock: VirtualApplyClock) {
        let clock = VirtualApplyClock(Say.start)
        let channel = InMemoryConversationChannel(clock: clock, events: events, replies: replies, sendFailure: sendFailure)
        let outcome = await Verifier(clock: clock).verify(Conversation(timeoutSeconds: timeout, steps: steps), over: channel)
        return (outcome, channel, clock)
    }

    private static func expect(
        _ role: Conversation.Role?, contains text: String, within: Int? = nil
    ) -> Conversation.Step {
        .expectMessage(from: role, match: .contains(text), within: within)
    }

    private static func billing() throws -> [Conversation.Step] { [
        expect(.system, contains: "thanks for contacting us"),
        .send(.init(content: "I need help with billing")),
        .expectMessage(from: .bot, match: .matches(try MessagePattern("(?i)billing.*9am")), within: 20),
        .expectEvent(.queued, within: 30),
    ] }

    private static let billingReplies: [String: [(after: Double, event: ConversationEvent)]] = [
        "I need help with billing": [
            (0, Say.message("c1", .customer, "I need help with billing")),
            (3, Say.message("b1", .bot, "Billing opens at 9am")),
            (5, .contact(.queued)),
        ],
    ]

    @Test func passesAConversationThatAnswersAsScripted() async throws {
        let (outcome, channel, clock) = await Self.run(
            try Self.billing(), events: [(1, Say.message("s1", .system, "Hello, thanks for contacting us"))],
            replies: Self.billingReplies)
        #expect(outcome.passed, "\(String(describing: outcome.failure))")
        #expect(await channel.sent.map(\.second) == [1])
        #expect(outcome.transcript.map(\.id) == ["s1", "c1", "b1"])
        #expect(clock.now() == Say.start.addingTimeInterval(6))
        #expect(outcome.finishedAt.timeIntervalSince(outcome.startedAt) == 6)
    }

    @Test func keepsMessagesThatMatchNoStep() async {
        let (outcome, _, _) = await Self.run(
            [Self.expect(.bot, contains: "menu")],
            events: [(1, Say.message("s1", .system, "connected")), (2, Say.message("b1", .bot, "here is the menu"))])
        #expect(outcome.passed)
        #expect(outcome.transcript.map(\.id) == ["s1", "b1"])
    }

    @Test func failsOnWrongTextShowingWhatArrived() async throws {
        let (outcome, _, _) = await Self.run(
            try Self.billing(), events: [(1, Say.message("s1", .system, "Hello, thanks for contacting us"))],
            replies: ["I need help with billing": [(2, Say.message("b1", .bot, "Sorry, billing is closed"))]])
        let failure = outcome.failure
        #expect(failure?.step == 3)
        #expect(failure?.reason == .wrongText)
        #expect(failure?.message == "no message matches /(?i)billing.*9am/ (nothing met it within 20s); arrived instead: BOT \"Sorry, billing is closed\"")
        #expect(failure?.expected == "expect a BOT message that matches /(?i)billing.*9am/")
    }

    @Test func failsOnWrongRole() async {
        let (outcome, _, _) = await Self.run(
            [Self.expect(.bot, contains: "9am", within: 10)],
            events: [(1, Say.message("a1", .agent, "we open at 9am"))])
        #expect(outcome.failure?.step == 1)
        #expect(outcome.failure?.reason == .wrongRole)
        #expect(outcome.failure?.message == "the message came from AGENT, not BOT: AGENT \"we open at 9am\"")
    }

    /// `from: BOT` is a bot however the service labels it: a flow's bot posts as
    /// CUSTOM_BOT, a Lex bot's answer is SYSTEM under the display name BOT; a plain SYSTEM
    /// prompt is not a bot.
    @Test func fromBotMeetsEveryKindOfBotAndNoPlainSystemMessage() async {
        func item(_ id: String, _ role: Conversation.Role, _ name: String, _ text: String, at second: Double)
            -> ConversationEvent
        {
            .item(ConversationItem(
                id: id, role: role, displayName: name, content: text, time: Say.start.addingTimeInterval(second)))
        }
        let (passed, _, _) = await Self.run(
            [Self.expect(.bot, contains: "help", within: 10), Self.expect(.bot, contains: "balance", within: 10)],
            events: [(1, item("b1", .customBot, "BOT", "How can I help?", at: 1)),
                     (2, item("l1", .system, "BOT", "Your balance is 42", at: 2))])
        #expect(passed.passed, "\(String(describing: passed.failure))")
        let (failed, _, _) = await Self.run(
            [Self.expect(.bot, contains: "help", within: 10)],
            events: [(1, item("s1", .system, "SYSTEM_MESSAGE", "How can I help?", at: 1))])
        #expect(failed.failure?.reason == .wrongRole)
    }

    @Test func failsOnTimeoutWhenNothingArrives() async {
        let (outcome, _, clock) = await Self.run([Self.expect(.bot, contains: "hi")], timeout: 45, events: [])
        #expect(outcome.failure?.reason == .timeout)
        #expect(outcome.failure?.message == "the conversation's timeout of 45s ran out; nothing arrived")
        #expect(clock.now() == Say.start.addingTimeInterval(45))
    }

    @Test func aStepsWithinCountsFromTheEndOfThePreviousStep() async {
        // The second message comes 8 s after the first: within 10s is met, within 5s is not.
        let events: [(Double, ConversationEvent)] = [
            (20, Say.message("b1", .bot, "first")), (28, Say.message("b2", .bot, "second")),
        ]
        let met = await Self.run([Self.expect(.bot, contains: "first"), Self.expect(.bot, contains: "second", within: 10)], events: events)
        #expect(met.outcome.passed)
        let missed = await Self.run([Self.expect(.bot, contains: "first"), Self.expect(.bot, contains: "second", within: 5)], events: events)
        #expect(missed.outcome.failure?.step == 2)
        #expect(missed.outcome.failure?.reason == .timeout)
        #expect(missed.outcome.failure?.message == "nothing met it within 5s; nothing arrived")
        #expect(missed.clock.now() == Say.start.addingTimeInterval(25))
    }

    @Test func theWholeTimeoutCapsAStepsWithin() async {
        let (outcome, _, clock) = await Self.run(
            [Self.expect(.bot, contains: "first"), Self.expect(.bot, contains: "late", within: 60)], timeout: 30,
            events: [(20, Say.message("b1", .bot, "first")), (40, Say.message("b2", .bot, "late"))])
        #expect(outcome.failure?.step == 2)
        #expect(outcome.failure?.message == "the conversation's timeout of 30s ran out; nothing arrived")
        #expect(clock.now() == Say.start.addingTimeInterval(30))
    }

    @Test func anExpectNeverConsumesAMessageFromBeforeThePreviousStep() async {
        // "second" arrives before "first": in script order, step 2 finds nothing after step 1.
        let (outcome, _, _) = await Self.run(
            [Self.expect(.bot, contains: "first"), Self.expect(.bot, contains: "second", within: 10)],
            events: [(1, Say.message("b2", .bot, "second")), (2, Say.message("b1", .bot, "first"))])
        #expect(outcome.failure?.step == 2)
        #expect(outcome.failure?.reason == .timeout)
    }

    @Test func aMessageMeetsOneStepOnly() async {
        let (outcome, _, _) = await Self.run(
            [Self.expect(.bot, contains: "hello"), Self.expect(.bot, contains: "hello", within: 10)],
            events: [(1, Say.message("b1", .bot, "hello"))])
        #expect(outcome.failure?.step == 2)
    }

    @Test func readsAnItemSeenTwiceOnce() async {
        // The WebSocket and a transcript catch-up both deliver b1: it must not meet two steps.
        let (outcome, _, _) = await Self.run(
            [Self.expect(.bot, contains: "hello"), Self.expect(.bot, contains: "hello", within: 10)],
            events: [(1, Say.message("b1", .bot, "hello")), (2, Say.message("b1", .bot, "hello"))])
        #expect(outcome.failure?.step == 2)
        #expect(outcome.transcript.map(\.id) == ["b1"])
    }

    @Test func matchesOnlyCompletedMessages() async {
        // A streamed answer: chunks under one id, the last one completed.
        let (outcome, _, clock) = await Self.run(
            [Self.expect(.bot, contains: "Billing", within: 30), Self.expect(.bot, contains: "9am", within: 30)],
            events: [
                (1, Say.message("b1", .bot, "Billing", complete: false)),
                (2, Say.message("b1", .bot, "Billing opens", complete: false)),
                (3, Say.message("b1", .bot, "Billing opens at 9am")),
                (4, Say.message("b2", .bot, "Anything else at 9am?")),
            ])
        #expect(outcome.passed)
        #expect(outcome.transcript.map(\.content) == ["Billing opens at 9am", "Anything else at 9am?"])
        #expect(clock.now() == Say.start.addingTimeInterval(4))
    }

    @Test func anUnfinishedMessageNeverMeetsAStep() async {
        let (outcome, _, _) = await Self.run(
            [Self.expect(.bot, contains: "Billing", within: 10)],
            events: [(1, Say.message("b1", .bot, "Billing", complete: false))])
        #expect(outcome.failure?.reason == .timeout)
    }

    @Test func failsWhenTheChatEndsEarly() async {
        let (outcome, _, clock) = await Self.run(
            [Self.expect(.system, contains: "welcome"), Self.expect(.bot, contains: "menu")],
            events: [
                (1, Say.message("s1", .system, "welcome")),
                (2, Say.event("e1", ConversationItem.participantLeftType)),
                (3, Say.event("e2", ConversationItem.chatEndedType)),
            ])
        #expect(outcome.failure?.step == 2)
        #expect(outcome.failure?.reason == .chatEndedEarly)
        #expect(outcome.failure?.message == "the chat ended; nothing arrived")
        #expect(clock.now() == Say.start.addingTimeInterval(3), "an ended chat fails at once, not at the timeout")
    }

    @Test func aSendAfterTheChatEndedFails() async {
        let (outcome, channel, _) = await Self.run(
            [.expectEvent(.chatEnded, within: 10), .send(.init(content: "still there?"))],
            events: [(1, .contact(.ended))])
        #expect(outcome.failure?.step == 2)
        #expect(outcome.failure?.reason == .chatEndedEarly)
        #expect(await channel.sent.isEmpty)
    }

    @Test func failsWhenNeverQueued() async {
        let timedOut = await Self.run(
            [.expectEvent(.queued, within: 30)], events: [(5, Say.message("b1", .bot, "Sorry, we are closed"))])
        #expect(timedOut.outcome.failure?.reason == .neverQueued)
        #expect(timedOut.outcome.failure?.message == "no queued event: nothing met it within 30s; arrived instead: BOT \"Sorry, we are closed\"")
        let ended = await Self.run(
            [.expectEvent(.queued, within: 30)], events: [(5, Say.event("e1", ConversationItem.chatEndedType))])
        #expect(ended.outcome.failure?.reason == .neverQueued)
        #expect(ended.outcome.failure?.message == "the chat ended before queued; nothing arrived")
    }

    @Test func meetsEveryEventKind() async {
        let (outcome, _, _) = await Self.run(
            [.expectEvent(.queued, within: 5), .expectEvent(.withAgent, within: 5),
             .expectEvent(.participantLeft, within: 5), .expectEvent(.chatEnded, within: 5)],
            events: [
                (1, .contact(.queued)), (2, .contact(.withAgent)),
                (3, Say.event("e1", ConversationItem.participantLeftType)), (4, Say.event("e2", ConversationItem.chatEndedType)),
            ])
        #expect(outcome.passed)
    }

    @Test func anUnqualifiedExpectIgnoresTheCustomersOwnEcho() async {
        let (outcome, _, _) = await Self.run(
            [.send(.init(content: "billing")), .expectMessage(from: nil, match: .contains("billing"), within: 10)],
            events: [], replies: ["billing": [(0, Say.message("c1", .customer, "billing")), (2, Say.message("b1", .bot, "billing?"))]])
        #expect(outcome.passed)
        #expect(outcome.transcript.count == 2)
    }

    @Test func reportsAFailedSend() async {
        let (outcome, _, _) = await Self.run(
            [.send(.init(content: "hi"))], events: [], sendFailure: ConversationChannelError(message: "AccessDeniedException"))
        #expect(outcome.failure?.reason == .channel)
        #expect(outcome.failure?.message == "the message could not be sent: AccessDeniedException")
    }

    @Test func equalsAndContainsJudgeTheWholeContent() async {
        let step = Conversation.Step.expectMessage(from: .bot, match: .equals("One moment"), within: 5)
        let partial = await Self.run([step], events: [(1, Say.message("b1", .bot, "One moment please"))])
        #expect(partial.outcome.failure?.reason == .wrongText)
        let exact = await Self.run([step], events: [(1, Say.message("b1", .bot, "One moment"))])
        #expect(exact.outcome.passed)
    }
}
