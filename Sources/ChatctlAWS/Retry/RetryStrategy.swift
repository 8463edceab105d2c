public import Foundation

/// The state of one logical call across its attempts; create it with
/// ``RetryStrategy/beginCall()`` and pass it to every ``RetryStrategy/decide(after:token:now:)``.
///
/// The request itself (and its `ClientToken`) must stay the same on every attempt; only the
/// signature is renewed.
public struct RetryToken: Sendable, Equatable {
    /// The 1-based number of the attempt being made or just made.
    public internal(set) var attempt = 1
    /// The quota tokens the last retry took, given back if the call then succeeds.
    public internal(set) var lastRetryCost: Int?
    /// Whether the call already retried once to correct clock skew.
    public internal(set) var correctedClockSkew = false
}

/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Sign the request again and send it after waiting this many seconds.
    case retry(afterSeconds: Double)
    /// The server's clock differs from ours: sign again with the local clock plus
    /// `offsetSeconds` (also kept in ``RetryStrategy/clockOffset`` for later calls) and send
    /// now. Happens at most once per call and does not count against the attempts or quota.
    case retryWithClockCorrection(offsetSeconds: Double)
    /// Give up and report the failure.
    case stop(RetryStopReason)
}

/// Why the strategy gave up.
public enum RetryStopReason: Sendable, Equatable {
    /// The failure is not one that retrying fixes (a validation error, a quota, …).
    case notRetryable
    /// The call made its maximum number of attempts.
    case maxAttemptsReached(Int)
    /// The shared retry quota is empty: the service is failing broadly.
    case quotaExhausted
}

/// Thrown by ``RetryStrategy/Configuration/init(maxAttemptsFlag:environment:configFileMaxAttempts:)``
/// for a max-attempts setting that is not a positive integer.
public struct RetryConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the value came from, for example `AWS_MAX_ATTEMPTS`.
    public var source: String
    /// The value as given.
    public var value: String

    /// Creates an error.
    public init(source: String, value: String) {
        self.source = source
        self.value = value
    }

    /// `AWS_MAX_ATTEMPTS must be a whole number of attempts of at least 1, not "zero"`.
    public var description: String {
        "\(source) must be a whole number of attempts of at least 1, not \"\(value)\""
    }
}

/// The AWS SDKs' "standard" retry mode: which failures to retry, how long to wait, and the
/// shared retry quota; plus one retry with a corrected clock on clock-skew errors.
///
/// - Retryable: throttles (`ThrottlingException`, `TooManyRequestsException`, …), HTTP 500,
///   502, 503 and 504, timeout codes, and transport failures. `LimitExceededException` is
///   *not* retried, unlike in the SDKs: on StartChatContact it reports the active-chat
///   quota, which does not free up within the seconds a backoff waits.
/// - At most ``Configuration/maxAttempts`` attempts (3 by default), all with the same request.
/// - Backoff with full jitter, truncated exponential, as botocore `ExponentialBackoff`
///   computes it: `random(0, 1) × min(base × 2^(n−1), 20 s)` after the n-th attempt
///   (1-based), with base 1 s. A valid `x-amz-retry-after` (milliseconds) raises the wait to
///   that value, but at most 5 s above the computed one (botocore standard mode 2.1).
/// - Each retry takes quota tokens from a shared ``RetryQuota``.
///
/// See [Retry behavior](https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
/// The strategy never sleeps: it returns how long to wait, so it is deterministic under an
/// injected ``RandomSource``.
public final class RetryStrategy: Sendable {
    /// Tunable values; the defaults are the SDKs'.
    public struct Configuration: Sendable, Equatable {
        /// Attempts per call, the first included (default 3, as `max_attempts` in standard mode).
        public var maxAttempts: Int
        /// The largest backoff before jitter, in seconds (default 20).
        public var maxBackoff: Double
        /// The backoff base, in seconds, that doubles with each attempt (default 1).
        public var baseDelay: Double
        /// How far above the computed backoff an `x-amz-retry-after` may push the wait, in
        /// seconds (default 5).
        public var maxRetryAfterExtra: Double
        /// The smallest difference between the server's `Date` and the local clock, in
        /// seconds, that counts as skew (default 240: below the 5-minute window SigV4 allows,
        /// above any ordinary drift).
        public var clockSkewThreshold: Double

        /// Creates a configuration.
        public init(
            maxAttempts: Int = 3, maxBackoff: Double = 20, baseDelay: Double = 1, maxRetryAfterExtra: Double = 5,
            clockSkewThreshold: Double = 240
        ) {
            self.maxAttempts = max(1, maxAttempts)
            self.maxBackoff = maxBackoff
            self.baseDelay = baseDelay
            self.maxRetryAfterExtra = maxRetryAfterExtra
            self.clockSkewThreshold = clockSkewThreshold
        }

        /// The default configuration with `maxAttempts` taken, in order of precedence, from
        /// the `--max-attempts` flag, `AWS_MAX_ATTEMPTS`, or the config file's `max_attempts`.
        ///
        /// - Parameters:
        ///   - maxAttemptsFlag: the command-line value, if given.
        ///   - environment: the process environment.
        ///   - configFileMaxAttempts: the profile's `max_attempts` text, if any.
        /// - Throws: ``RetryConfigurationError`` for a value that is not an integer of 1 or more.
        public init(
            maxAttemptsFlag: Int?, environment: [String: String], configFileMaxAttempts: String? = nil
        ) throws(RetryConfigurationError) {
            func parse(_ text: String, source: String) throws(RetryConfigurationError) -> Int {
                guard let value = Int(text.trimmingASCIIWhitespace()), value >= 1 else {
                    throw RetryConfigurationError(source: source, value: text)
                }
                return value
            }
            var attempts = 3
            if let maxAttemptsFlag {
                guard maxAttemptsFlag >= 1 else {
                    throw RetryConfigurationError(source: "--max-attempts", value: String(maxAttemptsFlag))
                }
                attempts = maxAttemptsFlag
            } else if let text = environment["AWS_MAX_ATTEMPTS"], !text.isEmpty {
                attempts = try parse(text, source: "AWS_MAX_ATTEMPTS")
            } else if let text = configFileMaxAttempts, !text.isEmpty {
                attempts = try parse(text, source: "max_attempts")
            }
            self.init(maxAttempts: attempts)
        }
    }

    /// The configuration.
    public let configuration: Configuration
    /// The retry quota shared by every call that uses this strategy.
    public let quota: RetryQuota
    private let random: any RandomSource
    private let offset = Locked<Double>(0)

    /// Creates a strategy.
    ///
    /// - Parameters:
    ///   - configuration: attempts, backoff and skew settings.
    ///   - quota: the shared retry quota.
    ///   - random: the jitter source.
    public init(
        configuration: Configuration = Configuration(), quota: RetryQuota = RetryQuota(),
        random: any RandomSource = SystemRandomSource()
    ) {
        self.configuration = configuration
        self.quota = quota
        self.random = random
    }

    /// The correction, in seconds, to add to the local clock when signing, learnt from the
    /// last clock-skew error (0 until then).
    public var clockOffset: Double {
        offset.withLock { $0 }
    }

    /// Starts a call: attempt 1, no retries yet.
    public func beginCall() -> RetryToken {
        RetryToken()
    }

    /// Decides what follows a failed attempt and, for a retry, takes its quota tokens and
    /// advances `token` to the next attempt.
    ///
    /// - Parameters:
    ///   - outcome: how the attempt failed.
    ///   - token: the call's state; updated.
    ///   - now: the local clock (UTC instant), compared with the server's `Date`.
    /// - Returns: retry after a delay, retry at once with a corrected clock, or stop.
    public func decide(after outcome: AttemptOutcome, token: inout RetryToken, now: Date) -> RetryDecision {
        if case .serviceError(let error) = outcome, !token.correctedClockSkew, error.mayBeClockSkew,
            let serverDate = error.serverDate
        {
            let skew = serverDate.timeIntervalSince(now)
            if abs(skew) >= configuration.clockSkewThreshold {
                token.correctedClockSkew = true
                offset.withLock { $0 = skew }
                return .retryWithClockCorrection(offsetSeconds: skew)
            }
        }

        let cost: Int
        var retryAfter: Double?
        switch outcome {
        case .serviceError(let error):
            guard error.isRetryable else { return .stop(.notRetryable) }
            cost = RetryQuota.retryCost
            retryAfter = error.retryAfterMilliseconds.map { Double($0) / 1000 }
        case .transportFailure(.timeout):
            cost = RetryQuota.timeoutRetryCost
        case .transportFailure(.connection):
            cost = RetryQuota.retryCost
        case .transportFailure(.permanent):
            return .stop(.notRetryable)
        }
        guard token.attempt < configuration.maxAttempts else {
            return .stop(.maxAttemptsReached(configuration.maxAttempts))
        }
        guard quota.acquire(cost) else {
            return .stop(.quotaExhausted)
        }
        let delay = backoff(afterAttempt: token.attempt, retryAfter: retryAfter)
        token.attempt += 1
        token.lastRetryCost = cost
        return .retry(afterSeconds: delay)
    }

    /// Records that the call succeeded, giving quota back: the cost of its last retry, or
    /// 1 token when it needed none.
    public func recordSuccess(_ token: RetryToken) {
        quota.release(token.lastRetryCost ?? RetryQuota.noRetryIncrement)
    }

    /// The wait in seconds after the `attempt`-th attempt (1-based) failed:
    /// `random(0, 1) × min(base × 2^(attempt−1), maxBackoff)`, then, with a retry-after of
    /// `r` seconds, `max(t, min(r, t + maxRetryAfterExtra))`.
    public func backoff(afterAttempt attempt: Int, retryAfter: Double? = nil) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        let ceiling = min(configuration.baseDelay * pow(2, exponent), configuration.maxBackoff)
        let delay = random.nextUnitInterval() * ceiling
        guard let retryAfter, retryAfter.isFinite, retryAfter >= 0 else { return delay }
        return max(delay, min(retryAfter, delay + configuration.maxRetryAfterExtra))
    }
}
