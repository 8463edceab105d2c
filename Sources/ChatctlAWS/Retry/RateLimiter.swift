/// A client-side token bucket shared by every worker, so that all of them together stay
/// under a request rate. Told of a throttle, it drops any saved-up burst; told of another
/// within ``Configuration/recoveryInterval``, it halves its rate, then doubles it back step
/// by step while no throttles come.
///
/// A lone throttle does not cut the rate: when the client paces at the service's own rate,
/// clock jitter between the two buckets tips a request over now and then, and halving for
/// 10 s then cost far more than the throttle itself (a 300-launch run at 50/s took 11 s
/// instead of 6). Throttles that repeat mean the quota is really contended (it is shared by
/// the whole account), and then the rate backs off.
///
/// The bucket refills at the current rate up to ``Configuration/burst`` tokens. Each request
/// reserves a token with ``reserve()``, which returns how long to wait before sending; the
/// bucket may go into debt, so concurrent callers are spaced `1 / rate` seconds apart rather
/// than all waking at once. Time comes from an injected ``MonotonicClock``.
public final class RateLimiter: Sendable {
    /// Rates and timings.
    public struct Configuration: Sendable, Equatable {
        /// The target rate in requests per second (for example the account's API rate).
        public var ratePerSecond: Double
        /// The most requests that may go at once after an idle spell.
        public var burst: Double
        /// The rate is never halved below this, in requests per second.
        public var minimumRate: Double
        /// Throttle reports within this many seconds of the last one counted are the same
        /// event, so one burst of throttled workers counts once.
        public var decreaseCooldown: Double
        /// Seconds without a throttle after which a reduced rate doubles (up to the target);
        /// also how close two throttle events must be for the second to halve the rate.
        public var recoveryInterval: Double

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - ratePerSecond: the target rate, above 0.
        ///   - burst: the bucket size, at least 1 (default: one second's worth, at least 1).
        ///   - minimumRate: the floor of the rate (default the smaller of 0.5/s and the target).
        ///   - decreaseCooldown: seconds between halvings (default 1).
        ///   - recoveryInterval: seconds per doubling back (default 10).
        public init(
            ratePerSecond: Double, burst: Double? = nil, minimumRate: Double? = nil, decreaseCooldown: Double = 1,
            recoveryInterval: Double = 10
        ) {
            let rate = max(ratePerSecond, 0.001)
            self.ratePerSecond = rate
            self.burst = max(1, burst ?? rate)
            self.minimumRate = min(rate, max(0.001, minimumRate ?? 0.5))
            self.decreaseCooldown = max(0, decreaseCooldown)
            self.recoveryInterval = max(0.001, recoveryInterval)
        }
    }

    private struct State {
        var tokens: Double
        var rate: Double
        var lastRefill: Double
        var lastRateChange: Double
        /// When the last throttle event was counted.
        var lastThrottle: Double?
    }

    /// The configuration.
    public let configuration: Configuration
    private let clock: any MonotonicClock
    private let state: Locked<State>

    /// Creates a full bucket at the target rate.
    ///
    /// - Parameters:
    ///   - configuration: rates and timings.
    ///   - clock: the time source (default the system's monotonic clock).
    public init(configuration: Configuration, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.configuration = configuration
        self.clock = clock
        let now = clock.now()
        self.state = Locked(
            State(
                tokens: configuration.burst, rate: configuration.ratePerSecond, lastRefill: now, lastRateChange: now,
                lastThrottle: nil))
    }

    /// Reserves a token for one request.
    ///
    /// - Returns: the seconds to wait before sending (0 when a token was available).
    public func reserve() -> Double {
        let now = clock.now()
        return state.withLock { state in
            advance(&state, to: now)
            state.tokens -= 1
            return state.tokens >= 0 ? 0 : -state.tokens / state.rate
        }
    }

    /// Reserves a token and sleeps until it is due.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        let wait = reserve()
        if wait > 0 {
            try await Task.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up))))
        }
    }

    /// Reports a throttling error: drops any saved-up burst and, when the previous throttle
    /// event was less than ``Configuration/recoveryInterval`` ago, halves the rate (not below
    /// the minimum). Reports within the cooldown of the last event are part of it.
    public func recordThrottle() {
        let now = clock.now()
        state.withLock { state in
            advance(&state, to: now)
            if let last = state.lastThrottle, now - last < configuration.decreaseCooldown {
                return
            }
            let repeated = state.lastThrottle.map { now - $0 < configuration.recoveryInterval } ?? false
            state.tokens = min(state.tokens, 0)
            state.lastThrottle = now
            if repeated {
                state.rate = max(configuration.minimumRate, state.rate / 2)
                state.lastRateChange = now
            }
        }
    }

    /// The current rate in requests per second.
    public var currentRate: Double {
        let now = clock.now()
        return state.withLock { state in
            advance(&state, to: now)
            return state.rate
        }
    }

    /// Refills the bucket up to `now` at the current rate, then doubles a reduced rate once
    /// per full recovery interval since it last changed.
    private func advance(_ state: inout State, to now: Double) {
        let elapsed = max(0, now - state.lastRefill)
        state.tokens = min(configuration.burst, state.tokens + elapsed * state.rate)
        state.lastRefill = max(state.lastRefill, now)
        while state.rate < configuration.ratePerSecond,
            now - state.lastRateChange >= configuration.recoveryInterval
        {
            state.rate = min(configuration.ratePerSecond, state.rate * 2)
            state.lastRateChange += configuration.recoveryInterval
        }
    }
}
