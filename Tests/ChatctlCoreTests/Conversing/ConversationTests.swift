import Foundation
import Testing
@testable import ChatctlCore

/// `spec.verify` read into the typed ``Conversation``, and kept out of the launch request.
@Suite struct ConversationTests {
    private static let script = """
        verify:
          timeout: 1m30s
          steps:
            - expect: {from: SYSTEM, contains: "thanks for contacting us"}
            - send: "I need help with billing"
            - expect: {from: BOT, matches: "(?i)billing.*9am", within: 20s}
            - send: {contentType: text/markdown, content: "**agent**"}
            - expect: {equals: "One moment", within: 45}
            - expect: {event: queued, within: "1m"}
          cleanup: on-success
        contentTypes: [text/plain, text/markdown]
        """

    @Test func readsEveryStepKindDurationAndCleanup() throws {
        let profile = try #require(try profiles(profileYAML("a", Self.script)).first)
        let conversation = try #require(profile.verify)
        #expect(conversation.timeoutSeconds == 90)
        #expect(conversation.cleanup == .onSuccess)
        #expect(conversation.steps.map(\.description) == [
            "expect a SYSTEM message that contains \"thanks for contacting us\"",
            "send \"I need help with billing\"",
            "expect a BOT message that matches /(?i)billing.*9am/",
            "send text/markdown \"**agent**\"",
            "expect a message that equals \"One moment\"",
            "expect event queued",
        ])
        #expect(conversation.steps.map(\.within) == [nil, nil, 20, nil, 45, 60])
        guard case .expectMessage(_, let match, _) = conversation.steps[2] else {
            Issue.record("step 3 is not a message expectation")
            return
        }
        // (?i) is honoured: the ICU dialect, not the schema's ECMA-262 one.
        #expect(match.accepts("BILLING opens at 9am"))
        #expect(!match.accepts("billing opens at 10am"))
    }

    @Test func defaultsToTwoMinutesAndAlwaysCleaningUp() throws {
        let profile = try #require(try profiles(profileYAML("a", "verify: {steps: [{send: hi}]}")).first)
        #expect(profile.verify?.timeoutSeconds == 120)
        #expect(profile.verify?.cleanup == .always)
        #expect(try profiles(profileYAML("a")).first?.verify == nil)
    }

    @Test func leavesTheRequestAndItsDigestAlone() throws {
        let plain = try #require(try profiles(profileYAML("a")).first)
        let verified = try #require(try profiles(profileYAML("a", Self.script)).first)
        let listed = try #require(try profiles(profileYAML("a", "contentTypes: [text/plain, text/markdown]")).first)
        #expect(LaunchRequest.request(for: verified).jsonBody() == LaunchRequest.request(for: listed).jsonBody())
        #expect(LaunchRequest.digest(of: verified, projectRegion: nil) == LaunchRequest.digest(of: listed, projectRegion: nil))
        #expect(LaunchRequest.digest(of: plain, projectRegion: nil) != LaunchRequest.digest(of: listed, projectRegion: nil))
    }

    @Test func aProfileGainingAScriptIsNotRelaunched() throws {
        let before = profileYAML("a")
        let after = profileYAML("a", "verify: {timeout: 30s, steps: [{send: hi}, {expect: {event: chat-ended}}]}")
        let first = try Planner().plan(try profiles(before), lockfile: Lockfile(), options: PlanOptions(), now: fixedNow)
        let call = try #require(first.calls.first)
        var lockfile = Lockfile(serial: 1)
        lockfile.entries["a"] = LockEntry(
            digest: call.digest ?? "", generation: 1, clientToken: call.clientToken ?? "", status: .started,
            contactId: "contact-a", startedAt: fixedNow.addingTimeInterval(-60), expiresAt: fixedNow.addingTimeInterval(3600))
        let second = try Planner().plan(try profiles(after), lockfile: lockfile, options: PlanOptions(), now: fixedNow)
        #expect(second.calls.map(\.action.rawValue) == ["unchanged"])
        #expect(second.calls.first?.digest == call.digest)
    }
}
