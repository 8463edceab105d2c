import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

@Suite struct RefresherTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    /// DescribeContact answers from a table of contacts; unknown ids are Amazon Connect's 404.
    struct TableObserver: ContactObserver {
        var contacts: [String: DescribeContactResponse.Contact]

        func describeContact(_ request: DescribeContactRequest, region: String?) async throws(LaunchFailure)
            -> DescribeContactResponse
        {
            guard let contact = contacts[request.contactId] else {
                throw LaunchFailure(kind: .notFound, code: "ResourceNotFoundException", message: "not found", attempts: 1)
            }
            return DescribeContactResponse(contact: contact)
        }
    }

    @Test func theStateFollowsTheFirstTimestampThatIsSet() {
        let base = DescribeContactResponse.Contact(id: "c", initiationTimestamp: Self.t0)
        var queued = base
        queued.enqueueTimestamp = Self.t0.addingTimeInterval(10.7)
        queued.queueId = "q-1"
        var withAgent = queued
        withAgent.connectedToAgentTimestamp = Self.t0.addingTimeInterval(20)
        var ended = withAgent
        ended.disconnectTimestamp = Self.t0.addingTimeInterval(30)
        let now = Self.t0.addingTimeInterval(40.9)
        #expect(Refresher.observation(of: base, refreshedAt: now).state == .inFlow)
        #expect(Refresher.observation(of: queued, refreshedAt: now).state == .queued)
        #expect(Refresher.observation(of: withAgent, refreshedAt: now).state == .withAgent)
        #expect(Refresher.observation(of: ended, refreshedAt: now).state == .ended)
        #expect(Refresher.observation(of: nil, refreshedAt: now) == .init(state: .gone, refreshedAt: Self.t0.addingTimeInterval(40)))
    }

    /// Only the state and its times (in whole seconds, as the lockfile keeps them): no id,
    /// reason or other member of the answer.
    @Test func keepsNothingButTheStateAndItsTimes() {
        let contact = DescribeContactResponse.Contact(
            arn: "arn:aws:connect:us-east-1:1:instance/i/contact/c", id: "c", initialContactId: "i-1",
            previousContactId: "p-1", relatedContactId: "r-1", channel: "CHAT", initiationMethod: "API",
            initiationTimestamp: Self.t0, disconnectTimestamp: Self.t0.addingTimeInterval(30.5),
            lastUpdateTimestamp: Self.t0.addingTimeInterval(31), disconnectReason: "CUSTOMER_DISCONNECT",
            queueId: "q-1", enqueueTimestamp: Self.t0.addingTimeInterval(10), connectedToAgentTimestamp: Self.t0.addingTimeInterval(20))
        #expect(Refresher.observation(of: contact, refreshedAt: Self.t0.addingTimeInterval(40)) == .init(
            state: .ended, refreshedAt: Self.t0.addingTimeInterval(40), disconnectedAt: Self.t0.addingTimeInterval(30),
            queuedAt: Self.t0.addingTimeInterval(10), queueId: "q-1", agentConnectedAt: Self.t0.addingTimeInterval(20)))
        // In its flow: every other member set, none of them recorded.
        let inFlow = DescribeContactResponse.Contact(
            arn: "arn:aws:connect:us-east-1:1:instance/i/contact/c", id: "c", initialContactId: "i-1",
            previousContactId: "p-1", relatedContactId: "r-1", channel: "CHAT", initiationMethod: "API",
            initiationTimestamp: Self.t0, lastUpdateTimestamp: Self.t0.addingTimeInterval(31), disconnectReason: "none")
        #expect(Refresher.observation(of: inFlow, refreshedAt: Self.t0) == .init(state: .inFlow, refreshedAt: Self.t0))
    }

    @Test func refreshesEveryEntryWithAContactAndReportsChanges() async {
        func entry(_ contact: String?, observed: LockEntry.Observation? = nil) -> LockEntry {
            LockEntry(
                digest: "sha256:" + String(repeating: "a", count: 64), generation: 1, clientToken: "t", status: .started,
                contactId: contact, instance: "i", observed: observed)
        }
        let lockfile = Lockfile(serial: 1, entries: [
            "ended": entry("c-1", observed: .init(state: .inFlow, refreshedAt: Self.t0)),
            "same": entry("c-2", observed: .init(state: .inFlow, refreshedAt: Self.t0)),
            "gone": entry("c-3"),
            "never-started": entry(nil),
        ])
        let observer = TableObserver(contacts: [
            "c-1": .init(id: "c-1", disconnectTimestamp: Self.t0.addingTimeInterval(5)), "c-2": .init(id: "c-2"),
        ])
        let now = Self.t0.addingTimeInterval(60)
        let (updated, results) = await Refresher(observer: observer).refresh(lockfile, now: { now })
        #expect(results.map(\.profile) == ["ended", "gone", "same"])
        #expect(results.map(\.changed) == [true, true, false])
        #expect(updated.entries["ended"]?.observed?.state == .ended)
        #expect(updated.entries["gone"]?.observed?.state == .gone)
        #expect(updated.entries["same"]?.observed?.refreshedAt == now)
        #expect(updated.entries["never-started"]?.observed == nil)
    }
}
