import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

@Suite struct ContactStoreTests {
    @Test func publishesEachChangeOnTheEmulatedClock() throws {
        let driver = BehaviourDriver()
        let first = try driver.startedContactID(extra: #""ChatDurationInMinutes":60"#)
        let second = try driver.startedContactID()
        driver.advance(minutes: 5)
        _ = try driver.stop(second).get()
        driver.advance(minutes: 120)
        _ = driver.store.activeChatCount(now: driver.now)
        let events = driver.store.takeEvents().filter { $0.kind != .transcriptItem }
        #expect(events.map(\.kind) == [.started, .started, .stopped, .expired])
        #expect(events.map(\.contactID) == [first, second, second, first])
        // Transcript items (joined, left, ended) take the sequence numbers in between.
        #expect(events.map(\.sequence) == [1, 3, 7, 10])
        let origin = BehaviourDriver.origin
        // The expiry is dated when the duration ran out, not when it was noticed.
        #expect(events.map(\.at) == [origin, origin, origin.addingTimeInterval(300), origin.addingTimeInterval(3600)])
        #expect(driver.store.takeEvents().isEmpty)
    }

    @Test func connectionAndWebSocketTablesForgetWhatCanNoLongerBeUsed() throws {
        let driver = BehaviourDriver()
        let ended = try driver.startedContactID()
        let active = try driver.startedContactID()
        func record(_ contactID: String, lifetime: TimeInterval) -> ContactStore.ParticipantConnection {
            .init(contactID: contactID, participantID: "p", expiresAt: driver.now.addingTimeInterval(lifetime))
        }
        for index in 0..<500 {
            driver.store.rememberConnection("ended-\(index)", record(ended, lifetime: 86_400), now: driver.now)
            driver.store.rememberConnection("expiring-\(index)", record(active, lifetime: 10), now: driver.now)
        }
        for index in 0..<600 {
            driver.store.rememberWebSocket("socket-\(index)", record(active, lifetime: 100), now: driver.now)
        }
        _ = try driver.stop(ended).get()
        driver.advance(minutes: 2)
        for index in 0..<424 {
            driver.store.rememberConnection("kept-\(index)", record(active, lifetime: 86_400), now: driver.now)
            driver.store.rememberWebSocket("fresh-\(index)", record(active, lifetime: 100), now: driver.now)
        }
        // The 1,024th record pruned the tables: what is left can still be used.
        #expect(driver.store.connections.count == 424)
        #expect(driver.store.connections.keys.allSatisfy { $0.hasPrefix("kept-") })
        #expect(driver.store.webSockets.count == 424)
    }

    @Test func aReplayedClientTokenPublishesNothing() throws {
        let driver = BehaviourDriver()
        _ = try driver.start(token: "t").get()
        _ = driver.store.takeEvents()
        _ = try driver.start(token: "t").get()
        #expect(driver.store.takeEvents().isEmpty)
        #expect(driver.store.contactCount == 1)
    }

    @Test func remembersClientTokensWithTheirBody() {
        var store = ContactStore(idempotencyWindow: 60)
        let now = BehaviourDriver.origin
        let body = JSONValue.object(["InstanceId": .string("i")])
        #expect(store.lookUp(clientToken: "t", body: body, now: now) == .unknown)
        store.remember(clientToken: "t", body: body, answer: .object(["ContactId": .string("c")]), now: now)
        #expect(store.lookUp(clientToken: "t", body: body, now: now) == .replay(.object(["ContactId": .string("c")])))
        #expect(store.lookUp(clientToken: "t", body: .object([:]), now: now) == .mismatch)
        #expect(store.lookUp(clientToken: "t", body: body, now: now.addingTimeInterval(60)) == .unknown)
    }

    @Test func importsPublishOnceAndKeepKnownContacts() {
        var store = ContactStore(idempotencyWindow: 60)
        let now = BehaviourDriver.origin
        let contact = EmulatedContact(contactID: "c", instanceID: "i", createdAt: now, expiresAt: now.addingTimeInterval(60))
        store.importContacts([contact, contact], now: now)
        #expect(store.takeEvents().map(\.kind) == [.imported])
        #expect(store.contactCount == 1)
    }
}

@Suite struct ContactEventHubTests {
    static func event(_ sequence: Int, _ contactID: String) -> ContactEvent {
        ContactEvent(sequence: sequence, kind: .started, contactID: contactID, instanceID: "i", at: Date(timeIntervalSince1970: 0))
    }

    @Test func deliversInOrderToEverySubscriberAndPerContact() async {
        let hub = ContactEventHub()
        let all = hub.subscribe()
        let onlyB = hub.subscribe(contactID: "b")
        hub.publish([Self.event(1, "a"), Self.event(2, "b"), Self.event(3, "a")])
        hub.finishAll()
        var received: [Int] = []
        for await event in all { received.append(event.sequence) }
        var receivedB: [Int] = []
        for await event in onlyB { receivedB.append(event.sequence) }
        #expect(received == [1, 2, 3])
        #expect(receivedB == [2])
    }

    @Test func aSubscriberThatDoesNotReadKeepsOnlyTheNewest() async {
        let hub = ContactEventHub(bufferLimit: 2)
        let stream = hub.subscribe()
        hub.publish((1...5).map { Self.event($0, "a") })
        hub.finishAll()
        var received: [Int] = []
        for await event in stream { received.append(event.sequence) }
        #expect(received == [4, 5])
    }

    @Test func aSubscriptionEndsWhenItsReaderStops() async {
        let hub = ContactEventHub()
        let reader = Task {
            for await _ in hub.subscribe(contactID: "a") {}
        }
        while hub.subscriberCount == 0 {
            await Task.yield()
        }
        reader.cancel()
        await reader.value
        #expect(hub.subscriberCount == 0)
    }

    /// A subscription can end (its reader cancelled) while events are handed over: the
    /// end takes the subscribers' lock under the Swift runtime's lock of the reading task,
    /// which a `yield` takes too, so events are handed over with the subscribers' lock
    /// released. Here another thread takes that lock in the middle of a delivery; were it
    /// held, the thread would wait until the delivery ends, which itself waits for it.
    @Test func eventsAreHandedOverWithTheSubscribersLockReleased() async {
        let reached = DispatchSemaphore(value: 0)
        let hub = Locked<ContactEventHub?>(nil)
        let delivering = ContactEventHub(whileDelivering: {
            Thread.detachNewThread {
                _ = hub.withLock { $0 }?.subscriberCount
                reached.signal()
            }
            // Bounded: a lock held here fails the test rather than hang it.
            if reached.wait(timeout: .now() + 10) == .timedOut {
                Issue.record("the subscribers' lock was held while events were handed over")
            }
        })
        hub.withLock { $0 = delivering }
        let stream = delivering.subscribe()
        delivering.publish([Self.event(1, "a")])
        delivering.finishAll()
        var received: [Int] = []
        for await event in stream { received.append(event.sequence) }
        #expect(received == [1])
    }
}
