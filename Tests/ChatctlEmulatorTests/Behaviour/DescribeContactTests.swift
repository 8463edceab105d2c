import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlEmulator

/// The emulator's DescribeContact, from the store: in-flow until stopped or expired, the
/// flow's queue and agent through the store's hooks.
@Suite struct DescribeContactTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func followsTheContactThroughItsLife() throws {
        let behaviour = ConnectBehaviour(configuration: EmulatorConfiguration(), seed: 1)
        var store = behaviour.makeStore()
        store.importContacts(
            [EmulatedContact(contactID: "c-1", instanceID: "i-1", createdAt: Self.t0, expiresAt: Self.t0.addingTimeInterval(3600))],
            now: Self.t0)
        func contact(at now: Date) throws -> JSONValue {
            guard case .success(let answer) = behaviour.describeContact(instanceID: "i-1", contactID: "c-1", store: store, now: now),
                  let contact = answer["Contact"] else { throw DescribeFailure() }
            return contact
        }
        let running = try contact(at: Self.t0.addingTimeInterval(60))
        #expect(running["DisconnectTimestamp"] == nil && running["QueueInfo"] == nil)
        #expect(running["InitiationTimestamp"] == .double(Self.t0.timeIntervalSince1970))

        let enqueued = store.enqueue("c-1", queueID: "q-1", at: Self.t0.addingTimeInterval(100))
        #expect(enqueued)
        #expect(try contact(at: Self.t0.addingTimeInterval(120))["QueueInfo"]
            == .object(["Id": .string("q-1"), "EnqueueTimestamp": .double(Self.t0.timeIntervalSince1970 + 100)]))
        let connected = store.connectToAgent("c-1", at: Self.t0.addingTimeInterval(200))
        #expect(connected)
        #expect(try contact(at: Self.t0.addingTimeInterval(220))["AgentInfo"]?["ConnectedToAgentTimestamp"]
            == .double(Self.t0.timeIntervalSince1970 + 200))

        let expired = try contact(at: Self.t0.addingTimeInterval(4000))
        #expect(expired["DisconnectTimestamp"] == .double(Self.t0.timeIntervalSince1970 + 3600))
        #expect(expired["DisconnectReason"] == .string("EXPIRED"))
    }

    /// A flow that queues its chat (the chat session's `markQueued`) is what DescribeContact,
    /// and so `chatctl refresh`, reports as queued: one record, not two that can disagree.
    @Test func aChatQueuedByItsFlowIsDescribedAsQueued() throws {
        let driver = BehaviourDriver()
        let contactID = try driver.startedContactID(extra: #""ChatDurationInMinutes":60"#)
        driver.advance(minutes: 1)
        let queued = driver.store.markQueued(contactID, queueID: "q-7", now: driver.now)
        #expect(queued)
        guard case .success(let answer) = driver.behaviour.describeContact(
            instanceID: "i-1", contactID: contactID, store: driver.store, now: driver.now.addingTimeInterval(5))
        else { throw DescribeFailure() }
        #expect(answer["Contact"]?["QueueInfo"]?["Id"] == .string("q-7"))
        #expect(answer["Contact"]?["QueueInfo"]?["EnqueueTimestamp"] == .double(driver.now.timeIntervalSince1970))
    }

    @Test func anUnknownContactOrAnotherInstanceIsNotFound() {
        let behaviour = ConnectBehaviour(configuration: EmulatorConfiguration(), seed: 1)
        var store = behaviour.makeStore()
        store.importContacts(
            [EmulatedContact(contactID: "c-1", instanceID: "i-1", createdAt: Self.t0, expiresAt: Self.t0.addingTimeInterval(3600))],
            now: Self.t0)
        for (instance, contact) in [("i-1", "c-2"), ("i-2", "c-1")] {
            guard case .failure(let error) = behaviour.describeContact(instanceID: instance, contactID: contact, store: store, now: Self.t0) else {
                Issue.record("\(instance)/\(contact) was described")
                continue
            }
            #expect(error.code == "ResourceNotFoundException" && error.httpStatus == 404)
        }
        let unknown = store.enqueue("c-9", queueID: "q", at: Self.t0)
        #expect(!unknown)
    }

    struct DescribeFailure: Error {}
}
