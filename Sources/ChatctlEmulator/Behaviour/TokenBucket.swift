import Foundation

/// A token bucket: up to `burst` requests at once, refilled at `rate` per second; how AWS
/// throttles an account's API calls per operation.
struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second; 0 turns throttling off.
    var rate: Double
    /// The bucket's size: how many requests may come at once after a quiet spell.
    var burst: Double
    /// The tokens in the bucket at ``lastRefill``.
    private(set) var tokens: Double
    /// When ``tokens`` was last brought up to date.
    private(set) var lastRefill: Date?

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - rate: tokens per second (0 for no throttling).
    ///   - burst: the capacity (at least 1 when `rate` is positive).
    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(burst, 1)
        self.tokens = max(burst, 1)
    }

    /// Takes one token if there is one.
    ///
    /// - Parameter now: the current time; a clock going backwards adds nothing.
    /// - Returns: `true` when the request may go ahead, `false` when it is throttled.
    mutating func take(now: Date) -> Bool {
        guard rate > 0 else { return true }
        if let lastRefill {
            let elapsed = max(0, now.timeIntervalSince(lastRefill))
            tokens = min(burst, tokens + elapsed * rate)
        }
        lastRefill = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Seconds until the next token, 0 when one is there now.
    func secondsUntilNextToken(now: Date) -> Double {
        guard rate > 0 else { return 0 }
        let elapsed = lastRefill.map { max(0, now.timeIntervalSince($0)) } ?? 0
        let current = min(burst, tokens + elapsed * rate)
        return current >= 1 ? 0 : (1 - current) / rate
    }

    /// Fills the bucket again.
    mutating func refill() {
        tokens = burst
        lastRefill = nil
    }
}
