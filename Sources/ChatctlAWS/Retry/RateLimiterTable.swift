/// The client-side rate limiters of every AWS call: one configuration per operation, and one
/// ``RateLimiter`` per (region, operation), made the first time that pair is asked for.
///
/// Amazon Connect counts its API quotas per account and region, so two regions never share
/// a bucket, while every worker calling one operation in one region does. A table can be
/// shared by the clients of several regions.
public final class RateLimiterTable: Sendable {
    /// A limiter's key.
    public struct Key: Hashable, Sendable {
        /// The region, for example `us-east-1`.
        public var region: String
        /// The operation, for example `StartChatContact`.
        public var operation: String

        /// Creates a key.
        public init(region: String, operation: String) {
            self.region = region
            self.operation = operation
        }
    }

    /// The rate of each limited operation; operations not listed are not limited.
    public let configurations: [String: RateLimiter.Configuration]
    private let clock: any MonotonicClock
    private let limiters = Locked<[Key: RateLimiter]>([:])

    /// Creates a table.
    ///
    /// - Parameters:
    ///   - configurations: the rate of each limited operation, by operation name.
    ///   - clock: the limiters' time source.
    public init(_ configurations: [String: RateLimiter.Configuration], clock: any MonotonicClock = SystemMonotonicClock()) {
        self.configurations = configurations
        self.clock = clock
    }

    /// The limiter of `operation` in `region`, made on first use; `nil` when the operation is
    /// not limited.
    public func limiter(region: String, operation: String) -> RateLimiter? {
        guard let configuration = configurations[operation] else { return nil }
        return limiters.withLock { limiters in
            let key = Key(region: region, operation: operation)
            if let limiter = limiters[key] { return limiter }
            let limiter = RateLimiter(configuration: configuration, clock: clock)
            limiters[key] = limiter
            return limiter
        }
    }

    /// chatctl's default rates for Amazon Connect, below its default API quotas:
    /// `StartChatContact` 5 per second with a burst of 8, `StopContact` 10 per second with a
    /// burst of 15, `DescribeContact` 5 per second with a burst of 8.
    ///
    /// - Parameter clock: the limiters' time source.
    public static func connectDefaults(clock: any MonotonicClock = SystemMonotonicClock()) -> RateLimiterTable {
        RateLimiterTable(
            [
                "StartChatContact": .init(ratePerSecond: 5, burst: 8),
                "StopContact": .init(ratePerSecond: 10, burst: 15),
                "DescribeContact": .init(ratePerSecond: 5, burst: 8),
            ], clock: clock)
    }

    /// No client-side limits.
    public static var unlimited: RateLimiterTable {
        RateLimiterTable([:])
    }
}
