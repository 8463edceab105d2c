public import Foundation

/// The time source of apply: when a chat started (for `startedAt` and `expiresAt`) and the
/// waits of a full active-chat quota. Injected so tests fix the time and skip the waits.
public protocol ApplyClock: Sendable {
    /// The current time (UTC instant).
    func now() -> Date

    /// Suspends the task until `deadline`; returns at once when it has passed.
    /// - Throws: `CancellationError` when the task is cancelled, before or while waiting.
    func sleep(until deadline: Date) async throws
}

/// The wall clock (`Date()`) and `Task.sleep`.
public struct SystemApplyClock: ApplyClock {
    /// Creates the clock.
    public init() {}

    /// `Date()`.
    public func now() -> Date { Date() }

    /// `Task.sleep` until `deadline`, rounded up to whole milliseconds.
    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(for: .milliseconds(Int64((min(seconds, 86_400) * 1000).rounded(.up))))
    }
}
