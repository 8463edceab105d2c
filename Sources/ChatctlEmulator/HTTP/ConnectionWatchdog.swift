import ChatctlAWS

/// Closes a connection whose current wait outlasts its deadline: a client that never
/// finishes its request, or never reads its answer, is cut off. One sleeping task per
/// connection, woken when a deadline passes or is moved earlier.
final class ConnectionWatchdog: Sendable {
    private struct State {
        var deadline: ContinuousClock.Instant?
        var expired = false
        /// The current sleep and when it ends, so an earlier deadline can cut it short.
        var sleeper: (task: Task<Void, Never>, wake: ContinuousClock.Instant)?
    }

    private let state = Locked(State())

    /// Sets the deadline `seconds` from now.
    func arm(seconds: Double) {
        let deadline = ContinuousClock.now + .milliseconds(Int64((seconds * 1000).rounded()))
        state.withLock { state in
            state.deadline = deadline
            if let sleeper = state.sleeper, deadline < sleeper.wake {
                sleeper.task.cancel()
            }
        }
    }

    /// No deadline (while the emulator itself works on a request).
    func disarm() {
        state.withLock { $0.deadline = nil }
    }

    /// Whether a deadline passed and the connection was cut off.
    var expired: Bool {
        state.withLock { $0.expired }
    }

    /// Sleeps until the deadline passes with the deadline still armed, then cancels `task`.
    ///
    /// - Parameter idleCheck: how long to sleep, in seconds, while no deadline is armed.
    func watch(_ task: Task<Void, Never>, idleCheck: Double) async {
        while !Task.isCancelled {
            let sleeper: Task<Void, Never> = state.withLock { state in
                let wake = state.deadline ?? .now + .milliseconds(Int64(idleCheck * 1000))
                let sleeper = Task { _ = try? await Task.sleep(until: wake, clock: .continuous) }
                state.sleeper = (sleeper, wake)
                return sleeper
            }
            await withTaskCancellationHandler {
                await sleeper.value
            } onCancel: {
                sleeper.cancel()
            }
            let fired = state.withLock { state in
                state.sleeper = nil
                guard let deadline = state.deadline, deadline <= .now else { return false }
                state.expired = true
                return true
            }
            if fired {
                task.cancel()
                return
            }
        }
    }
}
