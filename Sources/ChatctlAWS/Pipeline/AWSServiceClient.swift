public import Foundation

/// The one attempt loop of every AWS call chatctl makes, whatever the service: it builds the
/// operation's request once, then for each attempt waits for the (account, region, operation) rate
/// limiter, authenticates the request (``RequestAuthentication``), sends it through an
/// ``HTTPTransport``, decodes an error answer with the operation's own protocol, asks the
/// ``RetryStrategy`` what to do, and tells the ``AWSAttemptObserver``.
///
/// Service clients (``ConnectClient``, the STS client) are thin sets of operations over it.
/// Every attempt of a call sends the same bytes (only the signature and `X-Amz-Date`
/// change), so an idempotency token in the body protects every retry.
///
/// Safe to use from many tasks at once; the retry quota, the learnt clock offset and the
/// rate limiters are shared by every call of the client.
public final class AWSServiceClient: Sendable {
    /// The region requests are signed for and rate-limited in, for example `us-east-1`.
    public let region: String
    /// The service's base URL.
    public let endpoint: ServiceEndpoint
    /// The retry strategy, with its shared quota and learnt clock offset.
    public let retryStrategy: RetryStrategy
    /// The client-side rate limiters, looked up by (``account``, ``region``, operation).
    public let rateLimiters: RateLimiterTable
    /// The account whose quota the calls spend (see ``RateLimiterTable``).
    public let account: String
    /// The time limits of each attempt.
    public let timeouts: HTTPTimeouts
    private let transport: any HTTPTransport
    private let clock: any AWSClock
    private let observer: (any AWSAttemptObserver)?
    private let keyCache: SigningKeyCache

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - region: the signing region, for example `us-east-1`.
    ///   - endpoint: the base URL.
    ///   - transport: how requests are sent (``CurlTransport`` in production).
    ///   - retryStrategy: retry decisions and the shared quota (default: standard mode).
    ///   - rateLimiters: the client-side limiters (default none).
    ///   - account: the account the calls are charged to: its id, or the same label for every
    ///     client signing with the same credentials (default ``RateLimiterTable/callerAccount``).
    ///   - clock: the signing time and the sleeps (default the system clock).
    ///   - timeouts: each attempt's connect and total limits (default ``HTTPTimeouts/standard``).
    ///   - observer: told about every attempt, for progress and `--verbose` logging.
    ///   - keyCache: where derived signing keys are kept (default the shared cache).
    public init(
        region: String, endpoint: ServiceEndpoint, transport: any HTTPTransport,
        retryStrategy: RetryStrategy = RetryStrategy(), rateLimiters: RateLimiterTable = .unlimited,
        account: String = RateLimiterTable.callerAccount,
        clock: any AWSClock = SystemAWSClock(), timeouts: HTTPTimeouts = .standard,
        observer: (any AWSAttemptObserver)? = nil, keyCache: SigningKeyCache = .shared
    ) {
        self.account = account
        self.region = region
        self.endpoint = endpoint
        self.transport = transport
        self.retryStrategy = retryStrategy
        self.rateLimiters = rateLimiters
        self.clock = clock
        self.timeouts = timeouts
        self.observer = observer
        self.keyCache = keyCache
    }

    /// Sends `operation` with retries, rate limiting, authentication and reporting.
    ///
    /// - Parameters:
    ///   - operation: the input.
    ///   - authentication: how each attempt is authenticated.
    ///   - rateLimitScope: what the service counts its quota per besides the region (the
    ///     Participant Service's instance id), or `nil`.
    /// - Returns: the decoded output.
    /// - Throws: ``AWSCallError``.
    public func send<Operation: AWSOperation>(
        _ operation: Operation, authentication: RequestAuthentication, rateLimitScope: String? = nil
    ) async throws(AWSCallError) -> Operation.Response {
        let name = Operation.operationName
        let unsigned = operation.httpRequest(endpoint: endpoint)
        let rateLimiter = rateLimiters.limiter(
            account: account, region: region, operation: name, scope: rateLimitScope ?? "")
        var token = retryStrategy.beginCall()
        var attempts = 0
        // Whether an attempt before the current one may have been acted on (a 5xx, or a
        // transport failure after the request left): then no later answer proves that
        // nothing happened.
        var earlierMayHaveTakenEffect = false

        func failure(_ reason: AWSCallError.Reason, stop: RetryStopReason? = nil) -> AWSCallError {
            AWSCallError(
                operation: name, reason: reason, attempts: attempts, stopReason: stop,
                anEarlierAttemptMayHaveTakenEffect: earlierMayHaveTakenEffect)
        }

        while true {
            guard !Task.isCancelled else { throw failure(.cancelled) }
            if let rateLimiter {
                let wait = rateLimiter.reserve()
                if wait > 0 {
                    do {
                        try await clock.sleep(seconds: wait)
                    } catch {
                        throw failure(.cancelled)
                    }
                }
            }
            let signingTime = clock.now().addingTimeInterval(retryStrategy.clockOffset)
            let signed: HTTPRequest
            do {
                signed = try await authentication.authorize(unsigned, region: region, at: signingTime, keyCache: keyCache)
            } catch {
                throw failure(.credentials(error))
            }
            attempts += 1
            observer?.attemptWillSend(operation: name, attempt: attempts, request: signed)

            let started = ContinuousClock.now
            let sent: Result<HTTPResponse, TransportError>
            do {
                sent = .success(try await transport.send(signed, timeouts: timeouts))
            } catch {
                sent = .failure(error)
            }

            let outcome: AttemptOutcome
            let lastFailure: AWSCallError.Reason
            let reportedOutcome: AWSAttemptReport.Outcome
            let mayHaveTakenEffect: Bool
            var received: HTTPResponse?
            switch sent {
            case .success(let response) where response.isSuccess:
                report(name, attempts, signed, response, .success, started, .finish)
                retryStrategy.recordSuccess(token)
                do {
                    return try Operation.decodeResponse(response)
                } catch {
                    throw failure(.malformedResponse(error))
                }
            case .success(let response):
                received = response
                var error = Operation.decodeError(response)
                error.operation = name
                error.signingRegion = authentication.signingService == nil ? nil : region
                error.signingService = authentication.signingService
                if error.isThrottling {
                    rateLimiter?.recordThrottle()
                }
                outcome = .serviceError(error)
                lastFailure = .service(error)
                reportedOutcome = .serviceError(error)
                mayHaveTakenEffect = error.httpStatus >= 500
            case .failure(let error):
                if Task.isCancelled {
                    report(name, attempts, signed, nil, .transportError(error), started, .finish)
                    earlierMayHaveTakenEffect = earlierMayHaveTakenEffect || error.requestMayHaveBeenSent
                    throw failure(.cancelled)
                }
                outcome = .transportFailure(error.retryKind)
                lastFailure = .transport(error)
                reportedOutcome = .transportError(error)
                mayHaveTakenEffect = error.requestMayHaveBeenSent
            }

            let decision = retryStrategy.decide(after: outcome, token: &token, now: clock.now())
            switch decision {
            case .retry(let delay):
                report(name, attempts, signed, received, reportedOutcome, started, .retry(afterSeconds: delay))
                earlierMayHaveTakenEffect = earlierMayHaveTakenEffect || mayHaveTakenEffect
                do {
                    try await clock.sleep(seconds: delay)
                } catch {
                    throw failure(.cancelled)
                }
            case .retryWithClockCorrection(let offset):
                report(
                    name, attempts, signed, received, reportedOutcome, started,
                    .retryWithClockCorrection(offsetSeconds: offset))
                earlierMayHaveTakenEffect = earlierMayHaveTakenEffect || mayHaveTakenEffect
            case .stop(let reason):
                report(name, attempts, signed, received, reportedOutcome, started, .finish)
                throw failure(lastFailure, stop: reason)
            }
        }
    }

    /// Tells the observer about a finished attempt.
    private func report(
        _ operation: String, _ attempt: Int, _ request: HTTPRequest, _ response: HTTPResponse?,
        _ outcome: AWSAttemptReport.Outcome, _ started: ContinuousClock.Instant,
        _ nextStep: AWSAttemptReport.NextStep
    ) {
        guard let observer else { return }
        let (seconds, attoseconds) = started.duration(to: ContinuousClock.now).components
        observer.attemptDidFinish(
            AWSAttemptReport(
                operation: operation, attempt: attempt, request: request, response: response, outcome: outcome,
                duration: Double(seconds) + Double(attoseconds) / 1e18, nextStep: nextStep))
    }
}
