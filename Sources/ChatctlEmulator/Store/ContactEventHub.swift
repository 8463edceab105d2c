import ChatctlAWS
import Foundation

/// Hands the store's ``ContactEvent``s to whoever listens: a WebSocket route, a flow
/// interpreter, a test. Each subscriber gets its own `AsyncStream`, for every contact or for
/// one; publishing never waits for a subscriber.
///
/// A subscriber that does not read holds at most ``bufferLimit`` events: past that, its
/// oldest are dropped (it sees a gap in ``ContactEvent/sequence``), so one stuck reader
/// cannot grow the emulator's memory without bound.
final class ContactEventHub: Sendable {
    /// Events kept per subscriber that has not read them.
    let bufferLimit: Int
    private let subscribers = Locked(Subscribers())
    /// Held while events are handed over, so that two publishers' events reach every
    /// subscriber in one order; never taken by a subscription's end (see ``publish(_:)``).
    private let delivering = NSLock()
    /// Called before each event is handed to a subscriber (tests: no lock of the
    /// subscribers may be held then).
    let whileDelivering: (@Sendable () -> Void)?

    private struct Subscribers {
        var nextID = 0
        /// Subscribers to every contact, by id.
        var all: [Int: AsyncStream<ContactEvent>.Continuation] = [:]
        /// Subscribers to one contact, by contact id, then by id.
        var byContact: [String: [Int: AsyncStream<ContactEvent>.Continuation]] = [:]
    }

    /// Creates a hub.
    ///
    /// - Parameter bufferLimit: events kept per subscriber that has not read them.
    init(bufferLimit: Int = 4096, whileDelivering: (@Sendable () -> Void)? = nil) {
        self.bufferLimit = bufferLimit
        self.whileDelivering = whileDelivering
    }

    /// A stream of the events published from now on, for `contactID` or, when `nil`, for
    /// every contact. It ends when the caller stops iterating (the subscription is removed
    /// then) or when ``finishAll()`` runs.
    func subscribe(contactID: String? = nil) -> AsyncStream<ContactEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ContactEvent.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        let id = subscribers.withLock { subscribers in
            let id = subscribers.nextID
            subscribers.nextID += 1
            if let contactID {
                subscribers.byContact[contactID, default: [:]][id] = continuation
            } else {
                subscribers.all[id] = continuation
            }
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.unsubscribe(id: id, contactID: contactID)
        }
        return stream
    }

    /// The number of subscriptions open now.
    var subscriberCount: Int {
        subscribers.withLock { $0.all.count + $0.byContact.values.reduce(0) { $0 + $1.count } }
    }

    /// Hands `events` to their subscribers, in order.
    ///
    /// The subscribers are looked up under their lock and the events handed over after it
    /// is released: a `yield` resumes the reading task under the Swift runtime's lock of
    /// that task, and a task being cancelled holds that lock while its stream's end
    /// removes the subscription (``unsubscribe(id:contactID:)``, which takes the
    /// subscribers' lock). Handing over under the subscribers' lock deadlocked the two (seen
    /// in a ThreadSanitizer run: a WebSocket closing while a message was posted).
    func publish(_ events: [ContactEvent]) {
        guard !events.isEmpty else { return }
        delivering.lock()
        defer { delivering.unlock() }
        let targets = subscribers.withLock { subscribers in
            events.map { event in
                Array(subscribers.all.values) + (subscribers.byContact[event.contactID].map { Array($0.values) } ?? [])
            }
        }
        for (event, continuations) in zip(events, targets) {
            for continuation in continuations {
                whileDelivering?()
                continuation.yield(event)
            }
        }
    }

    /// Ends every subscription (the emulator is stopping).
    func finishAll() {
        let continuations = subscribers.withLock { subscribers in
            let all = Array(subscribers.all.values) + subscribers.byContact.values.flatMap(\.values)
            subscribers = Subscribers()
            return all
        }
        continuations.forEach { $0.finish() }
    }

    private func unsubscribe(id: Int, contactID: String?) {
        subscribers.withLock { subscribers in
            if let contactID {
                subscribers.byContact[contactID]?[id] = nil
                if subscribers.byContact[contactID]?.isEmpty == true {
                    subscribers.byContact[contactID] = nil
                }
            } else {
                subscribers.all[id] = nil
            }
        }
    }
}
