import ChatctlAWS
import Foundation
import Testing

@testable import ChatctlEmulator

/// The hooks a flow interpreter installs (``ChatSessions/onChatStarted``,
/// ``ChatSession/onCustomerEvent``) are read once per chat and once per customer event, for
/// the emulator's whole life: reading them must hand back the closure installed, not a
/// wrapper of it that each read deepens. `Locked<Function?>` once stored every read back as a
/// new reabstraction thunk around the last, so the 14,000th StartChatContact of one emulator
/// called its hook through 28,000 nested thunks and overflowed the stack (a segmentation
/// fault, docs/robustness.md "Reports found").
@Suite struct ChatSessionHookTests {
    /// More reads than the emulator that crashed had made when it crashed.
    static let reads = 200_000

    static func state() -> EmulatorStateLock {
        let configuration = EmulatorConfiguration(tps: 0, seed: 1)
        let time = EmulatedTime(clock: ManualEmulatorClock(Date(timeIntervalSince1970: 1_767_225_600)))
        return EmulatorStateLock(configuration: configuration, seed: 1, time: time, events: ContactEventHub())
    }

    @Test func theChatStartedHookStaysOneCallDeepHoweverOftenItIsRead() throws {
        let state = Self.state()
        let sessions = ChatSessions(state: state)
        let calls = Locked(0)
        sessions.onChatStarted = { _, _ in calls.withLock { $0 += 1 } }
        for _ in 0..<Self.reads {
            _ = sessions.onChatStarted
        }
        let hook = try #require(sessions.onChatStarted)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let contact = EmulatedContact(contactID: "c", instanceID: "i", createdAt: start, expiresAt: start + 60)
        hook(ChatSession(contactID: "c", state: state), contact)
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func theCustomerEventHookStaysOneCallDeepHoweverOftenItIsRead() {
        let session = ChatSession(contactID: "c", state: Self.state())
        let calls = Locked(0)
        session.onCustomerEvent = { _ in calls.withLock { $0 += 1 } }
        for _ in 0..<Self.reads {
            _ = session.onCustomerEvent
        }
        session.deliver(.connected)
        #expect(calls.withLock { $0 } == 1)
    }
}
