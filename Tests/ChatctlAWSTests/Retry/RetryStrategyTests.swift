import ChatctlAWS
import Foundation
import Testing

@Suite struct RetryStrategyTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    static func error(_ code: String?, status: Int, message: String? = nil, serverDate: Date? = nil, retryAfter: Int? = nil)
        -> AttemptOutcome
    {
        .serviceError(
            AWSServiceError(
                code: code, message: message, httpStatus: status, serverDate: serverDate, retryAfterMilliseconds: retryAfter))
    }

    struct BackoffCase: CustomTestStringConvertible, Sendable {
        var attempt: Int
        var random: Double
        var retryAfter: Double?
        var expected: Double
        var testDescription: String { "attempt \(attempt), random \(random), retry-after \(retryAfter.map { "\($0)" } ?? "none")" }
    }

    static let backoffCases: [BackoffCase] = [
        BackoffCase(attempt: 1, random: 0.5, expected: 0.5),
        BackoffCase(attempt: 2, random: 0.5, expected: 1),
        BackoffCase(attempt: 3, random: 0.25, expected: 1),
        BackoffCase(attempt: 5, random: 0.5, expected: 8),
        BackoffCase(attempt: 6, random: 0.5, expected: 10),  // 32 s capped at 20 s
        BackoffCase(attempt: 40, random: 0.999, expected: 19.98),
        BackoffCase(attempt: 1, random: 0, expected: 0),
        BackoffCase(attempt: 1, random: 0.5, retryAfter: 3, expected: 3),
        BackoffCase(attempt: 1, random: 0.5, retryAfter: 10, expected: 5.5),  // at most 5 s above the backoff
        BackoffCase(attempt: 1, random: 0.5, retryAfter: 0.1, expected: 0.5),  // never below the backoff
    ]

    @Test(arguments: backoffCases)
    func backsOffExponentiallyWithFullJitterCappedAtTwentySeconds(_ testCase: BackoffCase) {
        let strategy = RetryStrategy(random: FixedRandomSource([testCase.random]))
        let delay = strategy.backoff(afterAttempt: testCase.attempt, retryAfter: testCase.retryAfter)
        #expect(abs(delay - testCase.expected) < 1e-9)
    }

    struct DecisionCase: CustomTestStringConvertible, Sendable {
        var name: String
        var outcome: AttemptOutcome
        var decision: RetryDecision
        var quotaAfter: Int
        var testDescription: String { name }
    }

    static let decisionCases: [DecisionCase] = [
        DecisionCase(name: "throttling", outcome: error("ThrottlingException", status: 400), decision: .retry(afterSeconds: 0.5), quotaAfter: 495),
        DecisionCase(name: "too many requests", outcome: error("TooManyRequestsException", status: 429), decision: .retry(afterSeconds: 0.5), quotaAfter: 495),
        DecisionCase(name: "500", outcome: error("InternalServiceException", status: 500), decision: .retry(afterSeconds: 0.5), quotaAfter: 495),
        DecisionCase(name: "bare 502", outcome: error(nil, status: 502), decision: .retry(afterSeconds: 0.5), quotaAfter: 495),
        DecisionCase(name: "503", outcome: error(nil, status: 503), decision: .retry(afterSeconds: 0.5), quotaAfter: 495),
        DecisionCase(name: "504", outcome: error(nil, status: 504), decision: .retry(afterSeconds: 0.5), quotaAfter: 495),
        DecisionCase(name: "timeout", outcome: .transportFailure(.timeout), decision: .retry(afterSeconds: 0.5), quotaAfter: 490),
        DecisionCase(name: "connection reset", outcome: .transportFailure(.connection), decision: .retry(afterSeconds: 0.5), quotaAfter: 495),
        DecisionCase(name: "tls failure", outcome: .transportFailure(.permanent), decision: .stop(.notRetryable), quotaAfter: 500),
        DecisionCase(name: "active chat quota", outcome: error("LimitExceededException", status: 429), decision: .stop(.notRetryable), quotaAfter: 500),
        DecisionCase(name: "validation", outcome: error("InvalidParameterException", status: 400), decision: .stop(.notRetryable), quotaAfter: 500),
        DecisionCase(name: "access denied", outcome: error("AccessDeniedException", status: 403), decision: .stop(.notRetryable), quotaAfter: 500),
        DecisionCase(name: "retry-after honoured", outcome: error("ThrottlingException", status: 400, retryAfter: 2500), decision: .retry(afterSeconds: 2.5), quotaAfter: 495),
    ]

    @Test(arguments: decisionCases)
    func retriesOnlyThrottlesTransientsAndTransportFailures(_ testCase: DecisionCase) {
        let strategy = RetryStrategy(random: FixedRandomSource([0.5]))
        var token = strategy.beginCall()
        #expect(strategy.decide(after: testCase.outcome, token: &token, now: Self.now) == testCase.decision)
        #expect(strategy.quota.available == testCase.quotaAfter)
        if case .retry = testCase.decision {
            #expect(token.attempt == 2)
        } else {
            #expect(token.attempt == 1)
        }
    }

    @Test func stopsAfterMaxAttempts() {
        let strategy = RetryStrategy(random: FixedRandomSource([0.5]))
        var token = strategy.beginCall()
        let throttle = Self.error("ThrottlingException", status: 400)
        #expect(strategy.decide(after: throttle, token: &token, now: Self.now) == .retry(afterSeconds: 0.5))
        #expect(strategy.decide(after: throttle, token: &token, now: Self.now) == .retry(afterSeconds: 1))
        #expect(strategy.decide(after: throttle, token: &token, now: Self.now) == .stop(.maxAttemptsReached(3)))
        #expect(token.attempt == 3)
        #expect(strategy.quota.available == 490)
    }

    @Test func stopsWhenTheSharedQuotaIsEmpty() {
        let quota = RetryQuota(capacity: 12)
        let strategy = RetryStrategy(configuration: .init(maxAttempts: 10), quota: quota, random: FixedRandomSource([0]))
        var first = strategy.beginCall()
        var second = strategy.beginCall()
        #expect(strategy.decide(after: .transportFailure(.timeout), token: &first, now: Self.now) == .retry(afterSeconds: 0))
        #expect(quota.available == 2)
        #expect(strategy.decide(after: .transportFailure(.connection), token: &second, now: Self.now) == .stop(.quotaExhausted))
        #expect(quota.available == 2)
    }

    @Test func successRefundsTheLastRetryCostOrOneToken() {
        let quota = RetryQuota()
        let strategy = RetryStrategy(quota: quota, random: FixedRandomSource([0]))
        var retried = strategy.beginCall()
        _ = strategy.decide(after: .transportFailure(.connection), token: &retried, now: Self.now)
        _ = strategy.decide(after: .transportFailure(.timeout), token: &retried, now: Self.now)
        #expect(quota.available == 485)
        strategy.recordSuccess(retried)
        #expect(quota.available == 495)
        strategy.recordSuccess(strategy.beginCall())
        #expect(quota.available == 496)
        for _ in 0..<10 {
            strategy.recordSuccess(strategy.beginCall())
        }
        #expect(quota.available == 500)
    }

    @Test func correctsAClockSkewOnceWithTheServersDate() {
        let strategy = RetryStrategy(random: FixedRandomSource([0.5]))
        var token = strategy.beginCall()
        let serverDate = Self.now.addingTimeInterval(600)
        let skewed = Self.error("InvalidSignatureException", status: 403, message: "Signature expired", serverDate: serverDate)
        #expect(strategy.decide(after: skewed, token: &token, now: Self.now) == .retryWithClockCorrection(offsetSeconds: 600))
        #expect(strategy.clockOffset == 600)
        #expect(token.attempt == 1)
        #expect(strategy.quota.available == 500)
        #expect(strategy.decide(after: skewed, token: &token, now: Self.now) == .stop(.notRetryable))
    }

    @Test(arguments: ["RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException"])
    func correctsSkewForEachSkewCode(_ code: String) {
        let strategy = RetryStrategy()
        var token = strategy.beginCall()
        let outcome = Self.error(code, status: 403, serverDate: Self.now.addingTimeInterval(-900))
        #expect(strategy.decide(after: outcome, token: &token, now: Self.now) == .retryWithClockCorrection(offsetSeconds: -900))
    }

    @Test func ignoresASmallClockDifference() {
        let strategy = RetryStrategy()
        var token = strategy.beginCall()
        let outcome = Self.error("InvalidSignatureException", status: 403, serverDate: Self.now.addingTimeInterval(30))
        #expect(strategy.decide(after: outcome, token: &token, now: Self.now) == .stop(.notRetryable))
        #expect(strategy.clockOffset == 0)
    }

    @Test func doesNotCorrectSkewForOtherErrors() {
        let strategy = RetryStrategy()
        var token = strategy.beginCall()
        let outcome = Self.error("AccessDeniedException", status: 403, serverDate: Self.now.addingTimeInterval(900))
        #expect(strategy.decide(after: outcome, token: &token, now: Self.now) == .stop(.notRetryable))
    }

    struct ConfigurationCase: CustomTestStringConvertible, Sendable {
        var flag: Int?
        var environment: [String: String]
        var configFile: String?
        var expected: Result<Int, RetryConfigurationError>
        var testDescription: String { "flag \(flag.map(String.init) ?? "-"), env \(environment), file \(configFile ?? "-")" }
    }

    static let configurationCases: [ConfigurationCase] = [
        ConfigurationCase(flag: nil, environment: [:], configFile: nil, expected: .success(3)),
        ConfigurationCase(flag: 5, environment: ["AWS_MAX_ATTEMPTS": "2"], configFile: "4", expected: .success(5)),
        ConfigurationCase(flag: nil, environment: ["AWS_MAX_ATTEMPTS": "2"], configFile: "4", expected: .success(2)),
        ConfigurationCase(flag: nil, environment: [:], configFile: "4", expected: .success(4)),
        ConfigurationCase(flag: nil, environment: ["AWS_MAX_ATTEMPTS": " 1 "], configFile: nil, expected: .success(1)),
        ConfigurationCase(
            flag: nil, environment: ["AWS_MAX_ATTEMPTS": "zero"], configFile: nil,
            expected: .failure(RetryConfigurationError(source: "AWS_MAX_ATTEMPTS", value: "zero"))),
        ConfigurationCase(
            flag: nil, environment: [:], configFile: "0",
            expected: .failure(RetryConfigurationError(source: "max_attempts", value: "0"))),
        ConfigurationCase(
            flag: 0, environment: [:], configFile: nil,
            expected: .failure(RetryConfigurationError(source: "--max-attempts", value: "0"))),
    ]

    @Test(arguments: configurationCases)
    func readsMaxAttemptsFromFlagEnvironmentThenConfigFile(_ testCase: ConfigurationCase) {
        let result = Result { () throws(RetryConfigurationError) -> Int in
            try RetryStrategy.Configuration(
                maxAttemptsFlag: testCase.flag, environment: testCase.environment,
                configFileMaxAttempts: testCase.configFile
            ).maxAttempts
        }
        #expect(result == testCase.expected)
    }

    @Test func describesABadMaxAttemptsValue() {
        #expect(
            RetryConfigurationError(source: "AWS_MAX_ATTEMPTS", value: "zero").description
                == #"AWS_MAX_ATTEMPTS must be a whole number of attempts of at least 1, not "zero""#)
    }
}

@Suite struct RetryQuotaTests {
    @Test func takesTokensOnlyWhenEnoughAreLeft() {
        let quota = RetryQuota(capacity: 12)
        #expect(quota.acquire(10))
        #expect(!quota.acquire(5))
        #expect(quota.available == 2)
        quota.release(100)
        #expect(quota.available == 12)
    }

    @Test func usesTheSDKValues() {
        #expect(RetryQuota().available == 500)
        #expect(RetryQuota.retryCost == 5)
        #expect(RetryQuota.timeoutRetryCost == 10)
        #expect(RetryQuota.noRetryIncrement == 1)
    }

    @Test func staysConsistentUnderConcurrentUse() async {
        let quota = RetryQuota(capacity: 500)
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask { quota.acquire(5) }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 100)
        #expect(quota.available == 0)
    }
}

@Suite struct SeededRandomSourceTests {
    @Test func repeatsTheSameSequenceForTheSameSeed() {
        let first = SeededRandomSource(seed: 42)
        let second = SeededRandomSource(seed: 42)
        let a = (0..<100).map { _ in first.nextUnitInterval() }
        let b = (0..<100).map { _ in second.nextUnitInterval() }
        #expect(a == b)
        #expect(a.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(Set(a).count == 100)
        #expect(SeededRandomSource(seed: 43).nextUnitInterval() != a[0])
    }

    @Test func matchesTheSplitMix64ReferenceOutput() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        let source = SeededRandomSource(seed: 0)
        #expect(source.next() == 0xE220_A839_7B1D_CDAF)
        #expect(source.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}
