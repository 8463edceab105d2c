/// A clock that only moves forward, in seconds from an arbitrary origin; injected into the
/// rate limiter so tests can move time by hand.
public protocol MonotonicClock: Sendable {
    /// Seconds since the clock's origin.
    func now() -> Double
}

/// The system's monotonic clock (`ContinuousClock`), counted from when the value was created.
public struct SystemMonotonicClock: MonotonicClock {
    private let origin = ContinuousClock.now

    /// Creates a clock whose origin is now.
    public init() {}

    /// Seconds since creation.
    public func now() -> Double {
        let elapsed = origin.duration(to: ContinuousClock.now)
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
