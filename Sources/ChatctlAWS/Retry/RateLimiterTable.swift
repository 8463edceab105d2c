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
///
/// The Participant Service counts its quotas per instance: its calls name the instance as
/// their scope (empty for every other service).
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
        /// What else the quota is counted per (the Participant Service's instance id), or
        /// empty when it is counted per region only.
        public var scope: String

        /// Creates a key.
        public init(
            account: String = RateLimiterTable.callerAccount, region: String, operation: String, scope: String = ""
        ) {
            self.account = account
            self.region = region
            self.operation = operation
            self.scope = scope
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

    /// The limiter of `operation` in `account` and `region` (and `scope`), made on first use;
    /// `nil` when the operation is not limited.
    public func limiter(account: String = callerAccount, region: String, operation: String, scope: String = "")
        -> RateLimiter?
    {
        guard let configuration = configurations[operation] else { return nil }
        return limiters.withLock { limiters in
            let key = Key(account: account, region: region, operation: operation, scope: scope)
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

    /// chatctl's rates for the Amazon Connect Participant Service, at its documented quotas
    /// per instance (research §1.4, the admin guide's "Amazon Connect Participant Service API
    /// throttling quotas"): `CreateParticipantConnection` 6 per second with a burst of 9,
    /// `SendMessage` and `SendEvent` 10 with 15 (the quota is shared, but each gets its own
    /// bucket here, as the emulator counts them), `GetTranscript` 8 with 12,
    /// `DisconnectParticipant` 3 with 5. Calls pass the instance id as their scope.
    ///
    /// - Parameter clock: the limiters' time source.
    public static func participantDefaults(clock: any MonotonicClock = SystemMonotonicClock()) -> RateLimiterTable {
        RateLimiterTable(
            [
                "CreateParticipantConnection": .init(ratePerSecond: 6, burst: 9),
                "SendMessage": .init(ratePerSecond: 10, burst: 15),
                "SendEvent": .init(ratePerSecond: 10, burst: 15),
                "GetTranscript": .init(ratePerSecond: 8, burst: 12),
                "DisconnectParticipant": .init(ratePerSecond: 3, burst: 5),
            ], clock: clock)
    }

    /// No client-side limits.
    public static var unlimited: RateLimiterTable {
        RateLimiterTable([:])
    }
}
