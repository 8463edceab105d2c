import Foundation

/// Calls Amazon Connect: builds each operation's restJson1 request, signs it with SigV4,
/// sends it through an ``HTTPTransport``, retries as the AWS SDKs' standard mode does, and
/// returns the typed output or a ``ConnectClientError``.
///
/// Per call:
/// 1. `StartChatContact` without a `ClientToken` gets one from ``IdempotencyToken`` before
///    the first attempt; every attempt sends the same bytes, so the service can deduplicate.
/// 2. Each attempt waits for the operation's shared ``RateLimiter`` (if any), fetches
///    credentials from the provider (which caches and refreshes them), and signs at the
///    clock's time plus the strategy's learnt clock offset.
/// 3. A non-2xx response becomes an ``AWSServiceError``; throttles slow the rate limiter
///    down; the ``RetryStrategy`` decides whether to retry, after how long (slept with the
///    injected ``ConnectClock``), or to re-sign at once with a corrected clock.
/// 4. Every attempt is reported to the optional ``ConnectAttemptObserver``.
///
/// Safe to use from many tasks at once; the retry quota, clock offset and rate limiters are
/// shared by every call of the client.
public final class ConnectClient: Sendable {
    /// The client-side rate limiters, one per operation; `nil` sends without waiting.
    /// Copies share their limiters (``RateLimiter`` is a class), so one value can be handed to
    /// several clients that must stay under one account-wide rate together.
    public struct RateLimiters: Sendable {
        /// Used by `StartChatContact`.
        public var startChatContact: RateLimiter?
        /// Used by `StopContact`.
        public var stopContact: RateLimiter?
        /// Used by `DescribeContact`.
        public var describeContact: RateLimiter?

        /// Creates a set of limiters.
        public init(startChatContact: RateLimiter?, stopContact: RateLimiter?, describeContact: RateLimiter?) {
            self.startChatContact = startChatContact
            self.stopContact = stopContact
            self.describeContact = describeContact
        }

        /// New limiters at chatctl's default rates: `StartChatContact` 5 per second with a
        /// burst of 8, `StopContact` 10 per second with a burst of 15 (below Amazon Connect's
        /// default API quotas), `DescribeContact` 5 per second with a burst of 8.
        ///
        /// - Parameter clock: the limiters' time source.
        public static func standard(clock: any MonotonicClock = SystemMonotonicClock()) -> RateLimiters {
            RateLimiters(
                startChatContact: RateLimiter(configuration: .init(ratePerSecond: 5, burst: 8), clock: clock),
                stopContact: RateLimiter(configuration: .init(ratePerSecond: 10, burst: 15), clock: clock),
                describeContact: RateLimiter(configuration: .init(ratePerSecond: 5, burst: 8), clock: clock))
        }

        /// No client-side limits.
        public static var unlimited: RateLimiters {
            RateLimiters(startChatContact: nil, stopContact: nil, describeContact: nil)
        }
    }

    /// The region requests are signed for, for example `us-east-1`.
    public let region: String
    /// The service's base URL.
    public let endpoint: ServiceEndpoint
    /// The retry strategy, with its shared quota and learnt clock offset.
    public let retryStrategy: RetryStrategy
    /// The client-side rate limiters.
    public let rateLimiters: RateLimiters
    /// The time limits of each attempt.
    public let timeouts: HTTPTimeouts
    private let credentialProvider: any CredentialProvider
    private let transport: any HTTPTransport
    private let clock: any ConnectClock
    private let observer: (any ConnectAttemptObserver)?
    private let keyCache: SigningKeyCache

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - region: the signing region, for example `us-east-1`.
    ///   - endpoint: the base URL (see ``EndpointResolver``).
    ///   - credentialProvider: where credentials come from, asked before every attempt.
    ///   - transport: how requests are sent (``CurlTransport`` in production).
    ///   - retryStrategy: retry decisions and the shared quota (default: standard mode).
    ///   - rateLimiters: the client-side limiters (default ``RateLimiters/standard(clock:)``).
    ///   - clock: the signing time and the sleeps (default the system clock).
    ///   - timeouts: each attempt's connect and total limits (default ``HTTPTimeouts/standard``).
    ///   - observer: told about every attempt, for progress and `--verbose` logging.
    ///   - keyCache: where derived signing keys are kept (default the shared cache).
    public init(
        region: String, endpoint: ServiceEndpoint, credentialProvider: any CredentialProvider,
        transport: any HTTPTransport, retryStrategy: RetryStrategy = RetryStrategy(),
        rateLimiters: RateLimiters = .standard(), clock: any ConnectClock = SystemConnectClock(),
        timeouts: HTTPTimeouts = .standard, observer: (any ConnectAttemptObserver)? = nil,
        keyCache: SigningKeyCache = .shared
    ) {
        self.region = region
        self.endpoint = endpoint
        self.credentialProvider = credentialProvider
        self.transport = transport
        self.retryStrategy = retryStrategy
        self.rateLimiters = rateLimiters
        self.clock = clock
        self.timeouts = timeouts
        self.observer = observer
        self.keyCache = keyCache
    }

    // MARK: - Operations

    /// Calls `StartChatContact` (`PUT /contact/chat`).
    ///
    /// - Parameter request: the input; a missing `ClientToken` is generated once and sent
    ///   unchanged on every attempt.
    /// - Returns: the new contact's ids and the participant token.
    /// - Throws: ``ConnectClientError``.
    public func startChatContact(
        _ request: StartChatContactRequest
    ) async throws(ConnectClientError) -> StartChatContactResponse {
        try await send(Self.withClientToken(request), rateLimiter: rateLimiters.startChatContact)
    }

    /// Calls `StopContact` (`POST /contact/stop`).
    ///
    /// - Parameter request: the input.
    /// - Returns: the (empty) output.
    /// - Throws: ``ConnectClientError``.
    public func stopContact(_ request: StopContactRequest) async throws(ConnectClientError) -> StopContactResponse {
        try await send(request, rateLimiter: rateLimiters.stopContact)
    }

    /// Calls `DescribeContact` (`GET /contacts/{InstanceId}/{ContactId}`).
    ///
    /// - Parameter request: the input.
    /// - Returns: the contact, as far as drift detection needs it.
    /// - Throws: ``ConnectClientError``.
    public func describeContact(
        _ request: DescribeContactRequest
    ) async throws(ConnectClientError) -> DescribeContactResponse {
        try await send(request, rateLimiter: rateLimiters.describeContact)
    }

    /// `request` with a generated `ClientToken` when it has none.
    ///
    /// - Throws: ``ConnectClientError`` with reason ``ConnectClientError/Reason/idempotencyToken(_:)``.
    public static func withClientToken(
        _ request: StartChatContactRequest
    ) throws(ConnectClientError) -> StartChatContactRequest {
        guard request.clientToken == nil else { return request }
        var request = request
        do {
            request.clientToken = try IdempotencyToken.generate()
        } catch {
            throw ConnectClientError(
                operation: StartChatContactRequest.operationName, reason: .idempotencyToken(error), attempts: 0)
        }
        return request
    }

    // MARK: - The attempt loop

    /// Sends any Connect operation with signing, retries, rate limiting and reporting.
    ///
    /// The request bytes are built once: every attempt sends the same body, only the
    /// signature (and `X-Amz-Date`) changes.
    ///
    /// - Parameters:
    ///   - operation: the input.
    ///   - rateLimiter: the limiter to wait on before each attempt, or `nil`.
    /// - Returns: the decoded output.
    /// - Throws: ``ConnectClientError``.
    public func send<Operation: ConnectOperation>(
        _ operation: Operation, rateLimiter: RateLimiter?
    ) async throws(ConnectClientError) -> Operation.Response {
        let name = Operation.operationName
        let unsigned = operation.httpRequest(endpoint: endpoint)
        var token = retryStrategy.beginCall()
        var attempts = 0

        func failure(_ reason: ConnectClientError.Reason, stop: RetryStopReason? = nil) -> ConnectClientError {
            ConnectClientError(operation: name, reason: reason, attempts: attempts, stopReason: stop)
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
            let credentials: AWSCredentials
            do {
                credentials = try await credentialProvider.credentials()
            } catch {
                throw failure(.credentials(error))
            }
            let signer = SigV4Signer(
                credentials: credentials, region: region, service: connectSigningName, keyCache: keyCache)
            let signingTime = clock.now().addingTimeInterval(retryStrategy.clockOffset)
            let signed = signer.sign(unsigned, at: signingTime)
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
            let lastFailure: ConnectClientError.Reason
            let reportedOutcome: ConnectAttemptReport.Outcome
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
                let error = AWSServiceError(response: response, operation: name)
                if error.isThrottling {
                    rateLimiter?.recordThrottle()
                }
                outcome = .serviceError(error)
                lastFailure = .service(error)
                reportedOutcome = .serviceError(error)
            case .failure(let error):
                if Task.isCancelled {
                    report(name, attempts, signed, nil, .transportError(error), started, .finish)
                    throw failure(.cancelled)
                }
                outcome = .transportFailure(error.retryKind)
                lastFailure = .transport(error)
                reportedOutcome = .transportError(error)
            }

            let decision = retryStrategy.decide(after: outcome, token: &token, now: clock.now())
            switch decision {
            case .retry(let delay):
                report(name, attempts, signed, received, reportedOutcome, started, .retry(afterSeconds: delay))
                do {
                    try await clock.sleep(seconds: delay)
                } catch {
                    throw failure(.cancelled)
                }
            case .retryWithClockCorrection(let offset):
                report(
                    name, attempts, signed, received, reportedOutcome, started,
                    .retryWithClockCorrection(offsetSeconds: offset))
            case .stop(let reason):
                report(name, attempts, signed, received, reportedOutcome, started, .finish)
                throw failure(lastFailure, stop: reason)
            }
        }
    }

    /// Tells the observer about a finished attempt.
    private func report(
        _ operation: String, _ attempt: Int, _ request: HTTPRequest, _ response: HTTPResponse?,
        _ outcome: ConnectAttemptReport.Outcome, _ started: ContinuousClock.Instant,
        _ nextStep: ConnectAttemptReport.NextStep
    ) {
        guard let observer else { return }
        let (seconds, attoseconds) = started.duration(to: ContinuousClock.now).components
        observer.attemptDidFinish(
            ConnectAttemptReport(
                operation: operation, attempt: attempt, request: request, response: response, outcome: outcome,
                duration: Double(seconds) + Double(attoseconds) / 1e18, nextStep: nextStep))
    }
}
