public import Foundation

/// The time source of ``AWSServiceClient``: the wall clock it signs with, and the sleep it
/// waits with between attempts and for the rate limiter. Injected so that tests can fix the
/// signing time and observe (and skip) the waits.
public protocol AWSClock: Sendable {
    /// The current time (UTC instant), before any clock-skew correction.
    func now() -> Date

    /// Suspends the task for `seconds`.
    ///
    /// - Parameter seconds: how long to wait; 0 or less returns at once.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func sleep(seconds: Double) async throws
}

/// The system clock (`Date()`) and `Task.sleep`.
public struct SystemAWSClock: AWSClock {
    /// Creates the clock.
    public init() {}

    /// `Date()`.
    public func now() -> Date {
        Date()
    }

    /// `Task.sleep` for `seconds`, rounded up to whole milliseconds.
    public func sleep(seconds: Double) async throws {
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(for: .milliseconds(Int64((min(seconds, 86_400) * 1000).rounded(.up))))
    }
}
