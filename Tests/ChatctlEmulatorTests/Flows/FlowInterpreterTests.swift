import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

/// Builds flows for the tests: actions in order, the first is the start.
enum TestFlows {
    static func action(
        _ id: String, _ type: String, _ parameters: [String: JSONValue] = [:], next: String? = nil,
        conditions: [(String, FlowComparison, [String])] = [], errors: [(String, String)] = []
    ) -> FlowAction {
        FlowAction(identifier: id, type: type, parameters: parameters, transitions: FlowTransitions(
            nextAction: next,
            conditions: conditions.map { FlowCondition(nextAction: $0.0, comparison: $0.1, operands: $0.2) },
            errors: errors.map { FlowErrorBranch(nextAction: $0.1, errorType: $0.0) }))
    }

    static func message(_ id: String, _ text: String, next: String? = "bye") -> FlowAction {
        action(id, "MessageParticipant", ["Text": .string(text)], next: next)
    }

    static let bye = action("bye", "DisconnectParticipant")

    static func flow(_ actions: [FlowAction]) -> FlowDocument {
        FlowDocument(file: "test.json", startAction: actions[0].identifier, actions: actions)
    }
}

/// A chat running one flow against the recording host.
struct FlowRun {
    let host: RecordingFlowHost
    let interpreter: FlowInterpreter
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    init(
        _ flow: FlowDocument, attributes: [String: String] = [:], library: [String: FlowDocument] = [:],
        fixtures: FlowFixtures = FlowFixtures(), contactId: String = "contact-1"
    ) {
        host = RecordingFlowHost(attributes: attributes)
        var flows = library
        flows["main"] = flow
        let runner = FlowRunner(library: FlowLibrary(flows: flows), fixtures: fixtures)
        let installed = runner.install(on: host, contactFlowId: "main", contactId: contactId, now: { FlowRun.start })
        interpreter = installed ?? FlowInterpreter(
            flow: flow, flowId: "main", library: FlowLibrary(), fixtures: fixtures, contactId: contactId, host: host)
        host.connect()
    }

    var transcript: [String] { host.messages.map(\.description) }
    var branches: [String] { interpreter.path.map { "\($0.action):\($0.branch)" } }
}

@Suite struct FlowInterpreterTests {
    static let lexAlias = "arn:aws:lex:us-east-1:111122223333:bot-alias/BOTID/ALIASID"
    static let queue = "arn:aws:connect:us-east-1:111122223333:instance/INSTANCE/queue/QUEUE"
    static let lexFixtures = FlowFixtures(lexBots: [lexAlias: .init(intents: [
        .init(name: "CheckBalance", utterances: ["balance"], slots: ["account": "checking"], sessionAttributes: ["balance": "42.00"]),
        .init(name: "TalkToAgent", utterances: ["agent", "human"]),
    ])])

    static func sharedFlow(_ name: String) throws -> FlowDocument {
        let result = FlowValidator().validate(try FlowFixturePaths.bytes("valid/\(name).json"), file: name + ".json")
        return try #require(result.document)
    }

    // MARK: The two flows of ../shared/testdata/flows and their README's transcripts

    @Test func minimalFlowGreetsAndAnswersBilling() throws {
        let run = FlowRun(try Self.sharedFlow("example-minimal-chat-flow"), attributes: ["firstName": "Ana", "topic": "billing"])
        #expect(run.transcript == [
            "SYSTEM: Hi Ana, thanks for contacting us.",
            "SYSTEM: Billing questions are answered 9am-5pm. Goodbye!",
        ])
        #expect(run.host.endReason == .disconnected)
        #expect(run.branches == ["greet:NextAction", "route:Conditions[0]", "billing-msg:NextAction", "bye:end"])
    }

    @Test func minimalFlowGreetsAnotherTopicAndEnds() throws {
        let run = FlowRun(try Self.sharedFlow("example-minimal-chat-flow"), attributes: ["firstName": "Ana", "topic": "returns"])
        #expect(run.transcript == ["SYSTEM: Hi Ana, thanks for contacting us."])
        #expect(run.host.endReason == .disconnected)
        #expect(run.branches == ["greet:NextAction", "route:Errors:NoMatchingCondition", "bye:end"])
    }

    @Test func lexFlowAnswersCheckBalance() throws {
        let run = FlowRun(try Self.sharedFlow("example-lex-chat-flow"), fixtures: Self.lexFixtures)
        #expect(run.transcript == ["BOT: How can I help? (balance / agent)"])
        #expect(run.host.endReason == nil)
        run.host.send("What is my balance?")
        #expect(run.transcript == [
            "BOT: How can I help? (balance / agent)", "CUSTOMER: What is my balance?", "SYSTEM: Your balance is 42.00.",
        ])
        #expect(run.host.endReason == .disconnected)
        #expect(run.branches == ["ask:waiting", "ask:Conditions[0]", "balance:NextAction", "bye:end"])
    }

    @Test func lexFlowQueuesTalkToAgentAndEndsTheFlow() throws {
        let run = FlowRun(try Self.sharedFlow("example-lex-chat-flow"), fixtures: Self.lexFixtures)
        run.host.send("an agent please")
        #expect(run.transcript == ["BOT: How can I help? (balance / agent)", "CUSTOMER: an agent please"])
        #expect(run.host.queuedIn == Self.queue)
        #expect(run.host.endReason == nil)
        #expect(run.interpreter.state == .queued(queueId: Self.queue))
        #expect(run.branches == ["ask:waiting", "ask:Conditions[1]", "set-queue:NextAction", "to-queue:end"])
        // The flow has ended: a later message runs nothing.
        run.host.send("hello?")
        #expect(run.interpreter.path.count == 4)
    }

    @Test func lexFlowSaysSorryToAnUnmatchedUtterance() throws {
        let run = FlowRun(try Self.sharedFlow("example-lex-chat-flow"), fixtures: Self.lexFixtures)
        run.host.send("I want a pizza")
        #expect(run.transcript.last == "SYSTEM: Sorry, something went wrong.")
        #expect(run.host.endReason == .disconnected)
        #expect(run.branches == ["ask:waiting", "ask:Errors:NoMatchingCondition", "sorry:NextAction", "bye:end"])
    }

    @Test func lexBotWithoutFixtureTakesTheErrorBranch() throws {
        let run = FlowRun(try Self.sharedFlow("example-lex-chat-flow"))
        #expect(run.branches.first == "ask:Errors:NoMatchingError")
        #expect(run.interpreter.path.first?.note?.contains("no Lex bot") == true)
        #expect(run.transcript == ["SYSTEM: Sorry, something went wrong."])
    }

    // MARK: Compare

    struct OperatorCase: Sendable, CustomTestStringConvertible {
        let comparison: FlowComparison
        let value: String
        let operand: String
        let holds: Bool
        var testDescription: String { "\(comparison.rawValue) \(value) \(operand) \(holds)" }
    }

    static let operatorCases: [OperatorCase] = [
        .init(comparison: .equals, value: "billing", operand: "billing", holds: true),
        .init(comparison: .equals, value: "Billing", operand: "billing", holds: false),
        .init(comparison: .textContains, value: "my billing issue", operand: "billing", holds: true),
        .init(comparison: .textContains, value: "returns", operand: "billing", holds: false),
        .init(comparison: .textStartsWith, value: "billing-eu", operand: "billing", holds: true),
        .init(comparison: .textStartsWith, value: "eu-billing", operand: "billing", holds: false),
        .init(comparison: .textEndsWith, value: "eu-billing", operand: "billing", holds: true),
        .init(comparison: .textEndsWith, value: "billing-eu", operand: "billing", holds: false),
        .init(comparison: .numberGreaterThan, value: "10", operand: "9", holds: true),
        .init(comparison: .numberGreaterThan, value: "9", operand: "9", holds: false),
        .init(comparison: .numberLessThan, value: "8.5", operand: "9", holds: true),
        .init(comparison: .numberLessThan, value: "9", operand: "9", holds: false),
        .init(comparison: .numberGreaterOrEqualTo, value: "9", operand: "9", holds: true),
        .init(comparison: .numberGreaterOrEqualTo, value: "8", operand: "9", holds: false),
        .init(comparison: .numberLessOrEqualTo, value: "9", operand: "9", holds: true),
        .init(comparison: .numberLessOrEqualTo, value: "10", operand: "9", holds: false),
        .init(comparison: .numberGreaterThan, value: "ten", operand: "9", holds: false),
    ]

    @Test(arguments: operatorCases)
    func compareTakesTheConditionOnlyWhenItsOperatorHolds(_ testCase: OperatorCase) {
        let flow = TestFlows.flow([
            TestFlows.action(
                "route", "Compare", ["ComparisonValue": "$.Attributes.value"], next: "bye",
                conditions: [("yes", testCase.comparison, [testCase.operand])], errors: [("NoMatchingCondition", "no")]),
            TestFlows.message("yes", "yes"), TestFlows.message("no", "no"), TestFlows.bye,
        ])
        let run = FlowRun(flow, attributes: ["value": testCase.value])
        #expect(run.transcript == [testCase.holds ? "SYSTEM: yes" : "SYSTEM: no"])
    }

    @Test func compareTakesTheFirstMatchingCondition() {
        let flow = TestFlows.flow([
            TestFlows.action(
                "route", "Compare", ["ComparisonValue": "$.Attributes.topic"], next: "bye",
                conditions: [("first", .textStartsWith, ["bill"]), ("second", .equals, ["billing"])]),
            TestFlows.message("first", "first"), TestFlows.message("second", "second"), TestFlows.bye,
        ])
        #expect(FlowRun(flow, attributes: ["topic": "billing"]).transcript == ["SYSTEM: first"])
    }

    @Test func compareWithoutANoMatchingConditionBranchTakesNextAction() {
        let flow = TestFlows.flow([
            TestFlows.action("route", "Compare", ["ComparisonValue": "$.Attributes.topic"], next: "other",
                             conditions: [("bye", .equals, ["x"])]),
            TestFlows.message("other", "other"), TestFlows.bye,
        ])
        #expect(FlowRun(flow, attributes: ["topic": "y"]).transcript == ["SYSTEM: other"])
    }

    // MARK: Attributes, interpolation, Lambda

    @Test func interpolatesAttributesExternalAndLex() {
        let function = "arn:aws:lambda:us-east-1:111122223333:function:lookup"
        let flow = TestFlows.flow([
            TestFlows.action("set", "UpdateContactAttributes", ["Attributes": ["tier": "$.Attributes.plan-gold"]], next: "fn"),
            TestFlows.action("fn", "InvokeLambdaFunction", ["LambdaFunctionARN": .string(function)], next: "say"),
            TestFlows.message("say", "Hi $.Attributes.name ($.Attributes.tier), vanity $.External.vanity1. $.Attributes.missing|$5 on $.Channel"),
            TestFlows.bye,
        ])
        let run = FlowRun(
            flow, attributes: ["name": "Ana", "plan-gold": "gold"],
            fixtures: FlowFixtures(lambdas: [function: .response(["vanity1": "1-800-FLOWERS"])]))
        #expect(run.transcript == ["SYSTEM: Hi Ana (gold), vanity 1-800-FLOWERS. |$5 on CHAT"])
        #expect(run.host.attributes["tier"] == "gold")
    }

    @Test func lambdaErrorsAndMissingFunctionsTakeTheErrorBranch() {
        let flow = TestFlows.flow([
            TestFlows.action("fn", "InvokeLambdaFunction", ["LambdaFunctionARN": "arn:f"], next: "ok", errors: [("NoMatchingError", "failed")]),
            TestFlows.message("ok", "ok"), TestFlows.message("failed", "failed"), TestFlows.bye,
        ])
        let failing = FlowRun(flow, fixtures: FlowFixtures(lambdas: ["arn:f": .error("timed out")]))
        #expect(failing.transcript == ["SYSTEM: failed"])
        #expect(failing.interpreter.path.first?.note == "the function failed: timed out")
        #expect(FlowRun(flow).transcript == ["SYSTEM: failed"])
        #expect(FlowRun(flow, fixtures: FlowFixtures(lambdas: ["arn:f": .response([:])])).transcript == ["SYSTEM: ok"])
    }

    // MARK: Queues, transfers, endings

    @Test func transferToQueueEndsTheFlow() {
        let flow = TestFlows.flow([
            TestFlows.action("set", "UpdateContactTargetQueue", ["QueueId": "$.Attributes.queue"], next: "to-queue"),
            TestFlows.action("to-queue", "TransferContactToQueue", next: "after"),
            TestFlows.message("after", "never"), TestFlows.bye,
        ])
        let run = FlowRun(flow, attributes: ["queue": "q-1"])
        #expect(run.host.queuedIn == "q-1")
        #expect(run.transcript.isEmpty)
        #expect(run.host.endReason == nil)
    }

    @Test func transferToQueueWithoutAQueueTakesItsErrorBranch() {
        let flow = TestFlows.flow([
            TestFlows.action("to-queue", "TransferContactToQueue", next: "bye", errors: [("QueueAtCapacity", "bye"), ("NoMatchingError", "sorry")]),
            TestFlows.message("sorry", "sorry"), TestFlows.bye,
        ])
        let run = FlowRun(flow)
        #expect(run.transcript == ["SYSTEM: sorry"])
        #expect(run.host.queuedIn == nil)
    }

    @Test func transferToFlowContinuesInTheOtherFlow() {
        let other = TestFlows.flow([TestFlows.message("hello", "from the other flow"), TestFlows.bye])
        let flow = TestFlows.flow([
            TestFlows.action("go", "TransferToFlow",
                             ["ContactFlowId": "arn:aws:connect:us-east-1:111122223333:instance/i/contact-flow/other"],
                             next: "bye", errors: [("NoMatchingError", "missing")]),
            TestFlows.message("missing", "missing"), TestFlows.bye,
        ])
        let run = FlowRun(flow, library: ["other": other])
        #expect(run.transcript == ["SYSTEM: from the other flow"])
        #expect(run.interpreter.path.map(\.flowId) == ["main", "other", "other"])
        #expect(FlowRun(flow).transcript == ["SYSTEM: missing"])
    }

    @Test func endFlowExecutionAndAMissingSuccessorEndTheChat() {
        let ended = FlowRun(TestFlows.flow([TestFlows.message("m", "hi", next: "end"), TestFlows.action("end", "EndFlowExecution")]))
        #expect(ended.host.endReason == .flowEnded)
        let dangling = FlowRun(TestFlows.flow([TestFlows.message("m", "hi", next: nil)]))
        #expect(dangling.host.endReason == .flowEnded)
    }

    @Test func settersAreRecordedAndChangeNothing() {
        let flow = TestFlows.flow([
            TestFlows.action("log", "UpdateFlowLoggingBehavior", ["FlowLoggingBehavior": "Enabled"], next: "m"),
            TestFlows.message("m", "hi"), TestFlows.bye,
        ])
        let run = FlowRun(flow, attributes: ["a": "1"])
        #expect(run.branches.first == "log:NextAction")
        #expect(run.host.attributes == ["a": "1"])
        #expect(run.interpreter.path.first?.notEmulated == false)
    }

    // MARK: What is not emulated

    @Test func unknownActionsTakeTheirErrorBranchAndAreReported() {
        let flow = TestFlows.flow([
            TestFlows.action("show", "ShowView", next: "ok", errors: [("NoMatchingError", "fallback")]),
            TestFlows.message("ok", "ok"), TestFlows.message("fallback", "fallback"), TestFlows.bye,
        ])
        let run = FlowRun(flow)
        #expect(run.transcript == ["SYSTEM: fallback"])
        #expect(run.interpreter.path.first?.notEmulated == true)
        #expect(run.interpreter.path.first?.note == "ShowView is not emulated")
    }

    @Test func anActionFailingWithoutAnErrorBranchEndsTheChat() {
        let run = FlowRun(TestFlows.flow([TestFlows.action("x", "SomethingNew", next: "m"), TestFlows.message("m", "never")]))
        #expect(run.transcript.isEmpty)
        #expect(run.host.endReason == .flowError)
        #expect(run.interpreter.path.first?.notEmulated == true)
    }

    @Test func getParticipantInputTakesItsErrorBranchOnChat() {
        let flow = TestFlows.flow([
            TestFlows.action("input", "GetParticipantInput", ["Text": "Press 1"], next: "ok", errors: [("NoMatchingError", "err")]),
            TestFlows.message("ok", "ok"), TestFlows.message("err", "err"), TestFlows.bye,
        ])
        #expect(FlowRun(flow).transcript == ["SYSTEM: err"])
    }

    @Test func anEndlessLoopIsCut() {
        let flow = TestFlows.flow([
            TestFlows.action("a", "UpdateFlowLoggingBehavior", next: "b"), TestFlows.action("b", "UpdateFlowLoggingBehavior", next: "a"),
        ])
        let run = FlowRun(flow)
        #expect(run.host.endReason == .flowError)
        #expect(run.interpreter.path.count == FlowInterpreter.maximumActionsWithoutWaiting + 1)
        #expect(run.interpreter.path.last?.note?.contains("a loop") == true)
    }

    // MARK: Fixtures: hours, percentages, Wait

    @Test func checkHoursUsesAFixedAnswerOrTheClock() {
        let flow = TestFlows.flow([
            TestFlows.action("hours", "CheckHoursOfOperation", ["HoursOfOperationId": "support"], next: "bye",
                             conditions: [("open", .equals, ["True"]), ("closed", .equals, ["False"])]),
            TestFlows.message("open", "open"), TestFlows.message("closed", "closed"), TestFlows.bye,
        ])
        #expect(FlowRun(flow, fixtures: FlowFixtures(hoursOfOperation: ["default": .fixed(true)])).transcript == ["SYSTEM: open"])
        #expect(FlowRun(flow, fixtures: FlowFixtures(hoursOfOperation: ["support": .fixed(false)])).transcript == ["SYSTEM: closed"])
        // FlowRun.start is Friday 2027-01-15 08:00 UTC.
        let nineToFive = FlowFixtures.Hours.weekly(timeZone: "UTC", ranges: [.init(weekday: 6, start: 9 * 60, end: 17 * 60)])
        let earlyBird = FlowFixtures.Hours.weekly(timeZone: "UTC", ranges: [.init(weekday: 6, start: 7 * 60, end: 9 * 60)])
        #expect(FlowRun(flow, fixtures: FlowFixtures(hoursOfOperation: ["support": nineToFive])).transcript == ["SYSTEM: closed"])
        #expect(FlowRun(flow, fixtures: FlowFixtures(hoursOfOperation: ["support": earlyBird])).transcript == ["SYSTEM: open"])
        #expect(FlowRun(flow).branches == ["hours:Errors:NoMatchingError"])
    }

    static let split = TestFlows.flow([
        TestFlows.action("split", "DistributeByPercentage", next: "bye",
                         conditions: [("a", .numberLessThan, ["30"]), ("b", .numberLessThan, ["100"])]),
        TestFlows.message("a", "a"), TestFlows.message("b", "b"), TestFlows.bye,
    ])

    @Test func distributeByPercentageIsSeededPerContact() {
        func branch(_ contact: String, seed: UInt64) -> [String] {
            FlowRun(Self.split, fixtures: FlowFixtures(seed: seed), contactId: contact).transcript
        }
        #expect(branch("c-7", seed: 1) == branch("c-7", seed: 1))
        let outcomes = (0..<200).map { branch("c-\($0)", seed: 1) }
        let shareA = outcomes.filter { $0 == ["SYSTEM: a"] }.count
        // 30 % of 200 contacts, within a wide margin; and every contact got one branch.
        #expect((35...85).contains(shareA))
        #expect(outcomes.allSatisfy { $0 == ["SYSTEM: a"] || $0 == ["SYSTEM: b"] })
        #expect((0..<200).map { branch("c-\($0)", seed: 2) } != outcomes)
    }

    static let waiting = TestFlows.flow([
        TestFlows.action("wait", "Wait", ["TimeoutSeconds": "60", "Events": ["CustomerReturned"]], next: "bye",
                         conditions: [("back", .equals, ["CustomerReturned"]), ("late", .equals, ["WaitCompleted"])]),
        TestFlows.message("back", "welcome back"), TestFlows.message("late", "time is up"), TestFlows.bye,
    ])

    @Test func waitEndsWithTheCustomersNextMessage() {
        let run = FlowRun(Self.waiting)
        #expect(run.interpreter.nextDeadline == FlowRun.start.addingTimeInterval(60))
        run.host.send("I am back")
        #expect(run.transcript == ["CUSTOMER: I am back", "SYSTEM: welcome back"])
    }

    @Test func waitCompletesOnVirtualTime() {
        let run = FlowRun(Self.waiting)
        run.interpreter.advance(to: FlowRun.start.addingTimeInterval(59))
        #expect(run.transcript.isEmpty)
        run.interpreter.advance(to: FlowRun.start.addingTimeInterval(60))
        #expect(run.transcript == ["SYSTEM: time is up"])
        #expect(run.host.endReason == .disconnected)
    }

    @Test func waitWithoutCustomerReturnedIgnoresMessages() {
        let flow = TestFlows.flow([
            TestFlows.action("wait", "Wait", ["TimeoutSeconds": "30", "Events": ["BotParticipantDisconnected"]], next: "bye",
                             conditions: [("back", .equals, ["CustomerReturned"]), ("late", .equals, ["WaitCompleted"])]),
            TestFlows.message("back", "welcome back"), TestFlows.message("late", "time is up"), TestFlows.bye,
        ])
        let run = FlowRun(flow)
        run.host.send("hello")
        #expect(run.transcript == ["CUSTOMER: hello"])
        run.interpreter.advance(to: FlowRun.start.addingTimeInterval(30))
        #expect(run.transcript == ["CUSTOMER: hello", "SYSTEM: time is up"])
    }

    @Test func aLexBotThatGetsNoAnswerInTimeTakesInputTimeLimitExceeded() throws {
        let shared = try Self.sharedFlow("example-lex-chat-flow")
        var actions = shared.actions
        actions[0].parameters["LexTimeoutSeconds"] = ["Text": "120"]
        actions[0].transitions.errors.insert(FlowErrorBranch(nextAction: "bye", errorType: "InputTimeLimitExceeded"), at: 0)
        let flow = FlowDocument(file: shared.file, startAction: shared.startAction, actions: actions)
        let run = FlowRun(flow, fixtures: Self.lexFixtures)
        #expect(run.interpreter.nextDeadline == FlowRun.start.addingTimeInterval(120))
        run.interpreter.advance(to: FlowRun.start.addingTimeInterval(120))
        #expect(run.branches == ["ask:waiting", "ask:Errors:InputTimeLimitExceeded", "bye:end"])
        #expect(run.host.endReason == .disconnected)
    }

    @Test func attributesOverThirtyTwoKilobytesTakeTheErrorBranch() {
        let flow = TestFlows.flow([
            TestFlows.action("set", "UpdateContactAttributes", ["Attributes": ["big": .string(String(repeating: "x", count: 33_000))]],
                             next: "bye", errors: [("NoMatchingError", "failed")]),
            TestFlows.message("failed", "failed"), TestFlows.bye,
        ])
        let run = FlowRun(flow, attributes: ["keep": "1"])
        #expect(run.transcript == ["SYSTEM: failed"])
        #expect(run.host.attributes == ["keep": "1"])
    }

    @Test func thePathAsTheAdminAPIShowsItHoldsNoAttributeValue() throws {
        let run = FlowRun(try Self.sharedFlow("example-minimal-chat-flow"), attributes: ["firstName": "Ana", "topic": "billing"])
        let route = try #require(run.interpreter.path.dropFirst().first)
        #expect(route.json == .object([
            "flowId": "main", "action": "route", "type": "Compare", "branch": "Conditions[0]", "next": "billing-msg",
            "notEmulated": .bool(false), "at": "2027-01-15T08:00:00.000Z",
        ]))
        let everything = run.interpreter.path.map { JSONWriter.compact.string($0.json) }.joined()
        #expect(!everything.contains("billing\"") && !everything.contains("Ana"))
    }

    @Test func aChatWhoseFlowIsNotLoadedIsLeftAlone() {
        let host = RecordingFlowHost()
        let runner = FlowRunner(library: FlowLibrary(flows: ["main": Self.split]))
        #expect(runner.install(on: host, contactFlowId: "other", contactId: "c", now: { FlowRun.start }) == nil)
        host.connect()
        #expect(host.messages.isEmpty)
    }
}

/// Literals for the flows these tests build.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
