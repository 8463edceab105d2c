import Foundation

/// Pauses new launches while the instance's active-chat quota is full: the first launch
/// that meets LimitExceededException closes the gate for a while, and every launch waits
/// at the gate before it sends. Time is the injected ``ApplyClock``'s.
actor CapacityGate {
    private let clock: any ApplyClock
    private var closedUntil: Date?

    init(clock: any ApplyClock) {
        self.clock = clock
    }

    /// Keeps the gate closed until at least `deadline`.
    func close(until deadline: Date) {
        if closedUntil.map({ $0 < deadline }) ?? true { closedUntil = deadline }
    }

    /// Returns once the gate is open.
    /// - Throws: `CancellationError` when the task is cancelled: the caller sends nothing.
    func waitUntilOpen() async throws {
        try Task.checkCancellation()
        // A later close while this one sleeps moves the deadline: look again after waking.
        while let until = closedUntil, until > clock.now() {
            try await clock.sleep(until: until)
        }
        closedUntil = nil
    }
}
