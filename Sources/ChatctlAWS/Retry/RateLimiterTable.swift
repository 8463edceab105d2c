/// The client-side rate limiters of every AWS call: one configuration per operation, and one
/// ``RateLimiter`` per (account, region, operation), made the first time it is asked for.
///
/// Amazon Connect counts its API quotas per account and region: two regions, or two
/// accounts, never share a bucket, while every call of one operation in one account and
/// region does, whatever instance it names. A table is shared by the clients of every
/// region (and account) of a run.
///
/// The account is the one whose credentials sign the call: that is the account the quota
/// is charged to (Amazon Connect has no cross-account StartChatContact, so a call on an
/// instance of another account cannot succeed). A client that does not know the account
/// number passes any label that is the same for every client signing with the same
/// credentials; ``callerAccount`` is that label for a run that has one set of credentials.
public final class RateLimiterTable: Sendable {
    /// The account of a run's one set of credentials, when its number is not known.
    public static let callerAccount = "caller"

    /// A limiter's key.
    public struct Key: Hashable, Sendable {
        /// The account the calls are charged to (a 12-digit id, or ``callerAccount``).
        public var account: String
        /// The region, for example `us-east-1`.
        public var region: String
        /// The operation, for example `StartChatContact`.
        public var operation: String

        /// Creates a key.
        public init(account: String = RateLimiterTable.callerAccount, region: String, operation: String) {
            self.account = account
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

    /// The limiter of `operation` in `account` and `region`, made on first use; `nil` when
    /// the operation is not limited.
    public func limiter(account: String = callerAccount, region: String, operation: String) -> RateLimiter? {
        guard let configuration = configurations[operation] else { return nil }
        return limiters.withLock { limiters in
            let key = Key(account: account, region: region, operation: operation)
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
