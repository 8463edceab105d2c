import ChatctlAWS
import Testing
@testable import ChatctlCore

@Suite struct ConnectChatLauncherTests {
    @Test func aCancellationBeforeTheFirstAttemptIsNotSent() {
        let failure = ConnectChatLauncher.failure(ConnectClientError(operation: "StartChatContact", reason: .cancelled, attempts: 0))
        #expect(failure.kind == .notSent)
    }

    @Test func aCancellationAfterAnAttemptLeftIsAnUnknownOutcome() {
        let failure = ConnectChatLauncher.failure(ConnectClientError(operation: "StartChatContact", reason: .cancelled, attempts: 1))
        #expect(failure.kind == .ambiguous)
        #expect(ConnectChatLauncher.cancelled(CancellationError(), attempts: 0).kind == .notSent)
        #expect(ConnectChatLauncher.cancelled(CancellationError(), attempts: 2).kind == .ambiguous)
    }
}
