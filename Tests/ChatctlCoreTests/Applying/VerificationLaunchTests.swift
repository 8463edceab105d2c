import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

/// A verify run's launch, resent with its token while the outcome is unknown.
@Suite struct VerificationLaunchTests {
    static func request(_ name: String) -> StartChatContactRequest {
        var request = StartChatContactRequest(
            instanceId: "12345678-1234-1234-1234-123456789012", contactFlowId: "846ec553-a005-41c0-8341-0123456789ab",
            participantDetails: .init(displayName: name))
        request.clientToken = "verify-token-\(name)"
        return request
    }

    /// Two lost answers, then one: the conversation gets the chat the first request started,
    /// and no second chat exists.
    @Test func aLostAnswerIsResentWithTheSameTokenAndGetsTheChatItStarted() async throws {
        let launcher = InMemoryChatLauncher(["smoke": .loseAnswers(times: 2)])
        let pauses = PauseLog()
        let response = try await VerificationLaunch.start(
            Self.request("smoke"), region: nil, launcher: launcher, pause: { await pauses.note($0) })
        #expect(response.contactId == "contact-1")
        #expect(launcher.started == ["smoke", "smoke", "smoke"])
        #expect(launcher.chatCount == 1)
        #expect(await pauses.resends == [1, 2])
    }

    /// Every answer lost: the error says a chat may exist, after the resends and no more.
    @Test func anOutcomeStillUnknownAfterTheResendsSaysAChatMayHaveStarted() async throws {
        let launcher = InMemoryChatLauncher(["smoke": .loseAnswers(times: 100)])
        await #expect {
            _ = try await VerificationLaunch.start(Self.request("smoke"), region: nil, launcher: launcher, pause: { _ in })
        } throws: { error in
            let failure = error as? LaunchFailure
            return failure?.kind == .ambiguous && failure?.code == "malformed-response"
                && failure?.message.contains("still unknown after 4 requests with the same client token") == true
        }
        #expect(launcher.started.count == VerificationLaunch.resends + 1)
        #expect(launcher.chatCount == 1)
    }

    /// A refusal is definite: nothing was created, nothing is resent.
    @Test func aRefusalIsNotResent() async throws {
        let refusal = LaunchFailure(kind: .refused, code: "InvalidParameterException", message: "no such flow", attempts: 1)
        let launcher = InMemoryChatLauncher(["smoke": .fail(refusal)])
        await #expect(throws: refusal) {
            _ = try await VerificationLaunch.start(Self.request("smoke"), region: nil, launcher: launcher, pause: { _ in })
        }
        #expect(launcher.started == ["smoke"])
    }
}

/// The resends a launch paused before, in order.
private actor PauseLog {
    var resends: [Int] = []
    func note(_ resend: Int) { resends.append(resend) }
}
