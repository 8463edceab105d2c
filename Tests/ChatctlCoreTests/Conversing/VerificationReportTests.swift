import ChatctlJSON
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ChatctlCore

/// The JUnit XML and transcript files, byte for byte against golden files, from outcomes
/// the verifier produced over in-memory chats. `CHATCTL_UPDATE_GOLDEN=1` rewrites them.
@Suite struct VerificationReportTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/verify")

    private static func outcome(_ steps: [Conversation.Step], _ events: [(Double, ConversationEvent)]) async -> VerificationOutcome {
        let clock = VirtualApplyClock(Say.start)
        let channel = InMemoryConversationChannel(clock: clock, events: events)
        return await Verifier(clock: clock).verify(Conversation(timeoutSeconds: 60, steps: steps), over: channel)
    }

    /// A pass, a wrong answer whose text needs escaping, a lost channel, a failed launch, a skip.
    private static func report() async -> VerificationReport {
        let passed = await outcome(
            [.expectMessage(from: .bot, match: .contains("help"), within: 10)],
            [(1, Say.message("s1", .system, "connected")), (2, Say.message("b1", .bot, "how can I help?"))])
        let failed = await outcome(
            [.expectMessage(from: .bot, match: .equals("Total: <5 & \"ok\">"), within: 10)],
            [(1, Say.message("b1", .bot, "Total: <6 & 'no'>\nbye\u{1}", at: 1)), (3, Say.event("e1", ConversationItem.chatEndedType, at: 3))])
        let lost = await outcome([.send(.init(content: "hi"))], [])
        let lostWithFailure = VerificationOutcome(
            startedAt: lost.startedAt, finishedAt: lost.finishedAt, transcript: [],
            failure: .init(step: 1, expected: "send \"hi\"", reason: .channel, message: "the message could not be sent: timed out"))
        return VerificationReport(cases: [
            .init(profile: "smoke-support-flow", file: "profiles/smoke.yaml", result: .ran(passed)),
            .init(profile: "smoke-billing-flow", file: "profiles/smoke.yaml", result: .ran(failed)),
            .init(profile: "smoke-lost", file: "profiles/smoke.yaml", result: .ran(lostWithFailure)),
            .init(profile: "vip", file: "profiles/vip.yaml", result: .error("StartChatContact failed: AccessDeniedException")),
            .init(profile: "vip-followup", file: "profiles/vip.yaml", result: .skipped("vip failed")),
        ], startedAt: Say.start)
    }

    private static func compare(_ actual: [UInt8], golden name: String) throws {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CHATCTL_UPDATE_GOLDEN"] == "1" { try Data(actual).write(to: url) }
        #expect(actual == Array(try Data(contentsOf: url)), "\(name) differs from its golden file")
    }

    @Test func writesJUnitXMLMatchingTheGoldenFile() async throws {
        let xml = await Self.report().junitXML()
        try Self.compare(Array(xml.utf8), golden: "report.junit.xml")
        // Well-formed XML whatever the messages held: Foundation's parser reads it.
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
    }

    @Test func writesTheTranscriptFileMatchingTheGoldenFile() async throws {
        guard case .ran(let outcome) = await Self.report().cases[1].result else {
            Issue.record("the second case has no outcome")
            return
        }
        let bytes = VerificationReport.transcriptJSON(profile: "smoke-billing-flow", outcome: outcome)
        try Self.compare(bytes, golden: "smoke-billing-flow.transcript.json")
        let items = try JSONParser.parse(bytes)["items"]?.arrayValue ?? []
        let allowed: Set<String> = ["type", "role", "displayName", "contentType", "content", "time", "completed"]
        for item in items {
            #expect(Set((item.objectValue ?? [:]).keys).isSubset(of: allowed))
        }
    }

    @Test func escapesEveryMarkupAndControlCharacter() {
        #expect(VerificationReport.escaped("a<b>&\"c\"'d'\n\t\u{0}\u{1F}é") == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;&#9;\u{FFFD}\u{FFFD}é")
    }
}
