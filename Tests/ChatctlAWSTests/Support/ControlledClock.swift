import ChatctlAWS
import Foundation

/// An ``AWSClock`` whose sleeps wait for the test: each sleep stays suspended until
/// ``fire(seconds:)`` names its duration (or its task is cancelled). Tests wait for a sleep
/// to begin with ``waitForSleeper(seconds:)``, so timeouts and heartbeats happen exactly
/// when the test says, never on the wall clock.
final class ControlledClock: AWSClock, @unchecked Sendable {
    private struct Sleeper {
        var id: UUID
        var seconds: Double
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var sleepers: [Sleeper] = []
    private var watchers: [(id: UUID, seconds: Double, continuation: CheckedContinuation<Void, Never>)] = []
    private var begun: [Double] = []
    private let fixedNow = Date(timeIntervalSince1970: 1_767_225_600)

    func now() -> Date { fixedNow }

    func sleep(seconds: Double) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                guard !Task.isCancelled else {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                sleepers.append(Sleeper(id: id, seconds: seconds, continuation: continuation))
                begun.append(seconds)
                let ready = watchers.filter { $0.seconds == seconds }
                watchers.removeAll { $0.seconds == seconds }
                lock.unlock()
                for watcher in ready { watcher.continuation.resume() }
            }
        } onCancel: {
            lock.lock()
            let index = sleepers.firstIndex { $0.id == id }
            let sleeper = index.map { sleepers.remove(at: $0) }
            lock.unlock()
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Ends every sleep of `seconds` now waiting; returns how many.
    @discardableResult
    func fire(seconds: Double) -> Int {
        lock.lock()
        let due = sleepers.filter { $0.seconds == seconds }
        sleepers.removeAll { $0.seconds == seconds }
        lock.unlock()
        for sleeper in due { sleeper.continuation.resume() }
        return due.count
    }

    /// Returns once a sleep of `seconds` is waiting, or when the task is cancelled (a test's
    /// time limit then ends the test instead of leaving it waiting for good).
    func waitForSleeper(seconds: Double) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.lock()
                if Task.isCancelled || sleepers.contains(where: { $0.seconds == seconds }) {
                    lock.unlock()
                    continuation.resume()
                    return
                }
                watchers.append((id, seconds, continuation))
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let index = watchers.firstIndex { $0.id == id }
            let watcher = index.map { watchers.remove(at: $0) }
            lock.unlock()
            watcher?.continuation.resume()
        }
    }

    /// Waits for a sleep of `seconds`, then ends it.
    func advance(past seconds: Double) async {
        await waitForSleeper(seconds: seconds)
        fire(seconds: seconds)
    }

    /// Every sleep begun so far, in seconds, in order.
    var sleepsBegun: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return begun
    }
}
