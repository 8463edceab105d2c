import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

@Suite struct ChatStopperTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    /// StopContact answered from a set of active contacts; others are ContactNotFound.
    final class ActiveContacts: ChatLauncher, @unchecked Sendable {
        private let lock = NSLock()
        private var active: Set<String>
        init(_ active: Set<String>) { self.active = active }

        func startChat(_ request: StartChatContactRequest, region: String?) async throws(LaunchFailure)
            -> (response: StartChatContactResponse, attempts: Int)
        {
            throw LaunchFailure(kind: .refused, code: "unused", message: "stop never starts a chat", attempts: 0)
        }

        func stopChat(_ request: StopContactRequest, region: String?) async throws(LaunchFailure) -> Int {
            let removed = lock.withLock { active.remove(request.contactId) }
            guard removed != nil else {
                throw LaunchFailure(kind: .notFound, code: "ContactNotFoundException", message: "gone", attempts: 1)
            }
            return 1
        }
    }

    @Test func marksEachStoppedChatAndLeavesTheRestAlone() async {
        func entry(_ contact: String?, _ status: LockEntry.Status = .started) -> LockEntry {
            LockEntry(
                digest: "sha256:" + String(repeating: "a", count: 64), generation: 1, clientToken: "t", status: status,
                contactId: contact, instance: "i", expiresAt: Self.t0.addingTimeInterval(3600))
        }
        let lockfile = Lockfile(serial: 1, entries: [
            "running": entry("c-1"), "ended-elsewhere": entry("c-2"), "pending": entry(nil, .pending),
        ])
        let now = Self.t0.addingTimeInterval(10.5)
        let (updated, results) = await ChatStopper(launcher: ActiveContacts(["c-1"]))
            .stop(["running", "ended-elsewhere", "pending", "ghost"], in: lockfile, now: { now })
        #expect(results.map(\.outcome) == [.stopped, .alreadyEnded, .notRunning, .unknown])
        #expect(updated.entries["running"]?.status == .stopped)
        #expect(updated.entries["running"]?.stoppedAt == Self.t0.addingTimeInterval(10))
        #expect(updated.entries["ended-elsewhere"]?.status == .stopped)
        #expect(updated.entries["pending"] == lockfile.entries["pending"])
        #expect(updated.entries["ghost"] == nil)
    }
}
