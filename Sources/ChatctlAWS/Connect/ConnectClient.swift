/// The signing name of Amazon Connect, from the API model (`signingName`).
public let connectSigningName = "connect"

/// The Amazon Connect operations chatctl calls, over an ``AWSServiceClient`` signing with
/// SigV4 for `connect`.
///
/// `StartChatContact` without a `ClientToken` gets one from ``IdempotencyToken`` before the
/// first attempt; every attempt sends the same bytes, so the service can deduplicate.
/// Retries, rate limiting (one bucket per region and operation), clock-skew correction and
/// attempt reports are the service client's.
public final class ConnectClient: Sendable {
    /// The attempt loop every operation goes through.
    public let service: AWSServiceClient
    private let authentication: RequestAuthentication

    /// Creates a client over an existing service client.
    ///
    /// - Parameters:
    ///   - service: the attempt loop, for Amazon Connect's endpoint and region.
    ///   - credentialProvider: where credentials come from, asked before every attempt.
    public init(service: AWSServiceClient, credentialProvider: any CredentialProvider) {
        self.service = service
        self.authentication = .sigV4(service: connectSigningName, credentials: credentialProvider)
    }

    /// Creates a client and its service client.
    ///
    /// - Parameters:
    ///   - region: the signing region, for example `us-east-1`.
    ///   - endpoint: the base URL (see ``EndpointResolver``).
    ///   - credentialProvider: where credentials come from, asked before every attempt.
    ///   - transport: how requests are sent (``CurlTransport`` in production).
    ///   - retryStrategy: retry decisions and the shared quota (default: standard mode).
    ///   - rateLimiters: the client-side limiters (default ``RateLimiterTable/connectDefaults(clock:)``).
    ///   - account: the account the calls are charged to, for the limiters (default
    ///     ``RateLimiterTable/callerAccount``: the account of `credentialProvider`).
    ///   - clock: the signing time and the sleeps (default the system clock).
    ///   - timeouts: each attempt's connect and total limits (default ``HTTPTimeouts/standard``).
    ///   - observer: told about every attempt, for progress and `--verbose` logging.
    ///   - keyCache: where derived signing keys are kept (default the shared cache).
    public convenience init(
        region: String, endpoint: ServiceEndpoint, credentialProvider: any CredentialProvider,
        transport: any HTTPTransport, retryStrategy: RetryStrategy = RetryStrategy(),
        rateLimiters: RateLimiterTable = .connectDefaults(), account: String = RateLimiterTable.callerAccount,
        clock: any AWSClock = SystemAWSClock(), timeouts: HTTPTimeouts = .standard,
        observer: (any AWSAttemptObserver)? = nil, keyCache: SigningKeyCache = .shared
    ) {
        self.init(
            service: AWSServiceClient(
                region: region, endpoint: endpoint, transport: transport, retryStrategy: retryStrategy,
                rateLimiters: rateLimiters, account: account, clock: clock, timeouts: timeouts, observer: observer, keyCache: keyCache),
            credentialProvider: credentialProvider)
    }

    /// The region requests are signed for.
    public var region: String { service.region }
    /// The retry strategy, with its shared quota and learnt clock offset.
    public var retryStrategy: RetryStrategy { service.retryStrategy }

    /// Calls `StartChatContact` (`PUT /contact/chat`).
    ///
    /// - Parameter request: the input; a missing `ClientToken` is generated once and sent
    ///   unchanged on every attempt.
    /// - Returns: the new contact's ids and the participant token, checked against the model.
    /// - Throws: ``AWSCallError``.
    public func startChatContact(
        _ request: StartChatContactRequest
    ) async throws(AWSCallError) -> StartChatContactResponse {
        try await send(Self.withClientToken(request))
    }

    /// Calls `StopContact` (`POST /contact/stop`).
    ///
    /// - Parameter request: the input.
    /// - Returns: the (empty) output.
    /// - Throws: ``AWSCallError``.
    public func stopContact(_ request: StopContactRequest) async throws(AWSCallError) -> StopContactResponse {
        try await send(request)
    }

    /// Calls `DescribeContact` (`GET /contacts/{InstanceId}/{ContactId}`).
    ///
    /// - Parameter request: the input.
    /// - Returns: the contact, as far as drift detection needs it.
    /// - Throws: ``AWSCallError``.
    public func describeContact(
        _ request: DescribeContactRequest
    ) async throws(AWSCallError) -> DescribeContactResponse {
        try await send(request)
    }

    /// Sends any Connect operation, signed with SigV4 for `connect`.
    ///
    /// - Parameter operation: the input.
    /// - Returns: the decoded output.
    /// - Throws: ``AWSCallError``.
    public func send<Operation: AWSOperation>(_ operation: Operation) async throws(AWSCallError) -> Operation.Response {
        try await service.send(operation, authentication: authentication)
    }

    /// `request` with a generated `ClientToken` when it has none.
    ///
    /// - Throws: ``AWSCallError`` with reason ``AWSCallError/Reason/idempotencyToken(_:)``.
    public static func withClientToken(
        _ request: StartChatContactRequest
    ) throws(AWSCallError) -> StartChatContactRequest {
        guard request.clientToken == nil else { return request }
        var request = request
        do {
            request.clientToken = try IdempotencyToken.generate()
        } catch {
            throw AWSCallError(
                operation: StartChatContactRequest.operationName, reason: .idempotencyToken(error), attempts: 0)
        }
        return request
    }
}
