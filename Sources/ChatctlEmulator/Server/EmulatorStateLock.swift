import ChatctlAWS
import Foundation

/// Everything the emulator's behaviours change, behind one lock: the one ``ContactStore``
/// and the behaviours that work on it (Connect and the Participant Service).
struct EmulatorState: Sendable {
    var store: ContactStore
    var connect: ConnectBehaviour
    var participant: ParticipantBehaviour

    init(configuration: EmulatorConfiguration, seed: UInt64) {
        connect = ConnectBehaviour(configuration: configuration, seed: seed)
        participant = ParticipantBehaviour(quotas: configuration.participantQuotas, seed: seed)
        store = connect.makeStore()
    }
}

/// The lock around ``EmulatorState``, and the only way in: every change runs through
/// ``withState(_:)``, which hands the store's new events to the ``ContactEventHub`` before
/// the lock is released, so subscribers get them in the order they happened.
final class EmulatorStateLock: Sendable {
    let time: EmulatedTime
    let events: ContactEventHub
    private let configuration: EmulatorConfiguration
    private let seed: UInt64
    private let state: Locked<EmulatorState>

    init(configuration: EmulatorConfiguration, seed: UInt64, time: EmulatedTime, events: ContactEventHub) {
        self.configuration = configuration
        self.seed = seed
        self.time = time
        self.events = events
        state = Locked(EmulatorState(configuration: configuration, seed: seed))
    }

    /// Runs `body` on the state at the emulated time `now` (read inside the lock, so that
    /// an advance and a request never interleave), then publishes the store's events.
    func withState<Result>(_ body: (inout EmulatorState, _ now: Date) -> Result) -> Result {
        state.withLock { state in
            let result = body(&state, time.now)
            events.publish(state.store.takeEvents())
            return result
        }
    }

    /// Reads the state without changing it.
    func read<Result>(_ body: (EmulatorState) -> Result) -> Result {
        state.withLock { body($0) }
    }

    /// Moves the emulated time forward and ends (and publishes) the chats whose duration
    /// passed meanwhile.
    ///
    /// - Returns: the total offset, in seconds.
    @discardableResult
    func advance(by seconds: TimeInterval) -> TimeInterval {
        withState { state, _ in
            let offset = time.advance(by: seconds)
            state.store.endExpiredChats(now: time.now)
            return offset
        }
    }

    /// Forgets every contact and ClientToken, refills the buckets, restarts the random
    /// sequence and puts the emulated time back on the clock.
    func reset() {
        state.withLock { state in
            state = EmulatorState(configuration: configuration, seed: seed)
            time.reset()
        }
    }
}
