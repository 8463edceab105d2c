/// Bounds how many transfers run at once (each holds a thread blocked in
/// `curl_easy_perform`). Waiters queue in order and are resumed as slots free up; a task
/// cancelled while it waits leaves the queue at once. Waiting suspends the task, it never
/// blocks a thread of the cooperative pool.
final class CurlRequestGate: Sendable {
    private struct State {
        var available: Int
        var nextID: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        /// Waiters cancelled before they got into ``waiters``.
        var cancelledEarly: Set<UInt64> = []
    }

    private let state: Locked<State>

    /// Creates a gate.
    ///
    /// - Parameter slots: how many transfers may run at once (at least 1).
    init(slots: Int) {
        self.state = Locked(State(available: max(1, slots)))
    }

    /// Waits for a slot.
    ///
    /// - Returns: `true` with a slot held (give it back with ``release()``), or `false` when
    ///   the task was cancelled first (no slot held).
    func acquire() async -> Bool {
        guard !Task.isCancelled else { return false }
        let id = state.withLock { state in
            defer { state.nextID &+= 1 }
            return state.nextID
        }
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil {
                        return false
                    }
                    if state.available > 0 {
                        state.available -= 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelledEarly.insert(id)
                return nil
            }
            waiter?.resume(returning: false)
        }
        // The cancellation handler may have run after the slot was granted: forget its mark.
        state.withLock { _ = $0.cancelledEarly.remove(id) }
        return granted
    }

    /// Gives a slot back, handing it straight to the first waiter if there is one.
    func release() {
        let next: CheckedContinuation<Bool, Never>? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
