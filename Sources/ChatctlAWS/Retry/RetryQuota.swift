/// The retry quota of the AWS SDKs' standard retry mode: a bucket of tokens shared by all
/// calls of a client. Each retry takes tokens; successes give some back. When a service is
/// failing broadly the bucket empties and calls stop retrying, so retries cannot pile load
/// on an outage.
///
/// Values are the SDKs' (botocore `retries/quota.py` and `retries/standard.py`, AWS SDK for
/// JavaScript v3 `INITIAL_RETRY_TOKENS`, `RETRY_COST`, `TIMEOUT_RETRY_COST`,
/// `NO_RETRY_INCREMENT`): 500 tokens, 5 per retry, 10 per retry after a timeout, 1 back
/// per success without retries, the cost of the last retry back per success after retries.
/// See [Retry behavior](https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
public final class RetryQuota: Sendable {
    /// The tokens a full bucket holds: 500.
    public static let defaultCapacity = 500
    /// The tokens a retry costs: 5.
    public static let retryCost = 5
    /// The tokens a retry after a timeout costs: 10.
    public static let timeoutRetryCost = 10
    /// The tokens a success without retries gives back: 1.
    public static let noRetryIncrement = 1

    /// The tokens a full bucket holds.
    public let capacity: Int
    private let tokens: Locked<Int>

    /// Creates a full bucket.
    ///
    /// - Parameter capacity: the tokens when full (default 500).
    public init(capacity: Int = RetryQuota.defaultCapacity) {
        self.capacity = max(0, capacity)
        self.tokens = Locked(max(0, capacity))
    }

    /// The tokens left now.
    public var available: Int {
        tokens.withLock { $0 }
    }

    /// Takes `cost` tokens if that many are left.
    ///
    /// - Parameter cost: the tokens a retry needs.
    /// - Returns: `true` when they were taken, `false` (taking none) when too few are left.
    public func acquire(_ cost: Int) -> Bool {
        tokens.withLock { tokens in
            guard cost <= tokens else { return false }
            tokens -= cost
            return true
        }
    }

    /// Gives `amount` tokens back, never beyond ``capacity``.
    public func release(_ amount: Int) {
        tokens.withLock { tokens in
            tokens = min(capacity, tokens + max(0, amount))
        }
    }
}
