/// The header that carries the Participant Service's tokens.
public let participantBearerHeader = "X-Amz-Bearer"

/// The Amazon Connect Participant Service operations a customer makes, over an
/// ``AWSServiceClient``: no SigV4 (the service's documentation says its APIs do not use it),
/// the `ParticipantToken` in `X-Amz-Bearer` for CreateParticipantConnection and the
/// `ConnectionToken` for the rest (research §1.2).
///
/// Retries, error decoding, hints, attempt reports (and `--verbose` logging, which redacts
/// both tokens) are the service client's. Rate limits are counted per instance, as the
/// service counts its quotas: give each client the instance its chats belong to, and share
/// one ``AWSServiceClient`` (with ``RateLimiterTable/participantDefaults(clock:)``) between
/// the clients of one region. SendMessage, SendEvent and DisconnectParticipant without a
/// `ClientToken` get one before the first attempt, sent unchanged on every retry.
public final class ParticipantClient: Sendable {
    /// The attempt loop every operation goes through.
    public let service: AWSServiceClient
    /// The Amazon Connect instance of the chats, the scope of the rate limits; `nil` counts
    /// every chat of the region together.
    public let instanceID: String?

    /// Creates a client over an existing service client.
    ///
    /// - Parameters:
    ///   - service: the attempt loop, for the Participant Service's endpoint and region.
    ///   - instanceID: the instance whose quotas the calls count against.
    public init(service: AWSServiceClient, instanceID: String?) {
        self.service = service
        self.instanceID = instanceID
    }

    /// Creates a client and its service client.
    ///
    /// - Parameters:
    ///   - region: the region, for example `us-east-1`.
    ///   - endpoint: the base URL (``EndpointResolver`` with ``EndpointResolver/Service/connectParticipant``).
    ///   - instanceID: the instance whose quotas the calls count against.
    ///   - transport: how requests are sent (``CurlTransport`` in production).
    ///   - retryStrategy: retry decisions and the shared quota (default: standard mode).
    ///   - rateLimiters: the client-side limiters (default ``RateLimiterTable/participantDefaults(clock:)``).
    ///   - clock: the sleeps (default the system clock).
    ///   - timeouts: each attempt's connect and total limits (default ``HTTPTimeouts/standard``).
    ///   - observer: told about every attempt, for progress and `--verbose` logging.
    public convenience init(
        region: String, endpoint: ServiceEndpoint, instanceID: String?, transport: any HTTPTransport,
        retryStrategy: RetryStrategy = RetryStrategy(), rateLimiters: RateLimiterTable = .participantDefaults(),
        clock: any AWSClock = SystemAWSClock(), timeouts: HTTPTimeouts = .standard,
        observer: (any AWSAttemptObserver)? = nil
    ) {
        self.init(
            service: AWSServiceClient(
                region: region, endpoint: endpoint, transport: transport, retryStrategy: retryStrategy,
                rateLimiters: rateLimiters, clock: clock, timeouts: timeouts, observer: observer),
            instanceID: instanceID)
    }

    /// The region.
    public var region: String { service.region }

    /// Calls `CreateParticipantConnection` with the `ParticipantToken`.
    ///
    /// - Parameters:
    ///   - request: the input (both connection types by default).
    ///   - participantToken: StartChatContact's `ParticipantToken`.
    /// - Returns: the WebSocket URL and the `ConnectionToken`, checked against the model.
    /// - Throws: ``AWSCallError``.
    public func createParticipantConnection(
        _ request: CreateParticipantConnectionRequest = CreateParticipantConnectionRequest(),
        participantToken: Sensitive<String>
    ) async throws(AWSCallError) -> CreateParticipantConnectionResponse {
        try await send(request, token: participantToken)
    }

    /// Calls `SendMessage`.
    ///
    /// - Parameters:
    ///   - request: the message; a missing `ClientToken` is generated once.
    ///   - connectionToken: CreateParticipantConnection's `ConnectionToken`.
    /// - Returns: the new item's id and time.
    /// - Throws: ``AWSCallError``.
    public func sendMessage(
        _ request: SendMessageRequest, connectionToken: Sensitive<String>
    ) async throws(AWSCallError) -> ParticipantItemReceipt {
        try await send(Self.withClientToken(request), token: connectionToken)
    }

    /// Calls `SendEvent`.
    ///
    /// - Parameters:
    ///   - request: the event; a missing `ClientToken` is generated once.
    ///   - connectionToken: CreateParticipantConnection's `ConnectionToken`.
    /// - Returns: the new item's id and time.
    /// - Throws: ``AWSCallError``.
    public func sendEvent(
        _ request: SendEventRequest, connectionToken: Sensitive<String>
    ) async throws(AWSCallError) -> ParticipantItemReceipt {
        try await send(Self.withClientToken(request), token: connectionToken)
    }

    /// Calls `GetTranscript` once: one page.
    ///
    /// - Parameters:
    ///   - request: the input.
    ///   - connectionToken: CreateParticipantConnection's `ConnectionToken`.
    /// - Returns: the page.
    /// - Throws: ``AWSCallError``.
    public func getTranscript(
        _ request: GetTranscriptRequest, connectionToken: Sensitive<String>
    ) async throws(AWSCallError) -> GetTranscriptResponse {
        try await send(request, token: connectionToken)
    }

    /// Calls `GetTranscript` page after page, following `NextToken`, and returns every item
    /// oldest first, whatever order the pages came in.
    ///
    /// - Parameters:
    ///   - request: the first page's input (default ``GetTranscriptRequest/everything``);
    ///     its `NextToken` is replaced page by page.
    ///   - connectionToken: CreateParticipantConnection's `ConnectionToken`.
    ///   - maxPages: the most pages read (default 100): a service answering a `NextToken`
    ///     forever cannot keep the client looping.
    /// - Returns: the items, oldest first, each `Id` once (a page may repeat an item of the
    ///   page before).
    /// - Throws: ``AWSCallError``; ``AWSProtocolError`` as its reason when a `NextToken`
    ///   repeats or the pages do not end within `maxPages`.
    public func transcript(
        _ request: GetTranscriptRequest = .everything, connectionToken: Sensitive<String>, maxPages: Int = 100
    ) async throws(AWSCallError) -> [ChatTranscriptItem] {
        var request = request
        // Each page oldest first: the service sorts DESCENDING unless told otherwise.
        let pageIsNewestFirst = request.sortOrder != .ascending
        // Pages go back in time when scanning BACKWARD (the default without a start position).
        let pagesGoBack = request.scanDirection.map { $0 == .backward } ?? (request.startPosition == nil)
        var pages: [[ChatTranscriptItem]] = []
        var tokens: Set<String> = []
        for _ in 0..<max(1, maxPages) {
            let page = try await getTranscript(request, connectionToken: connectionToken)
            pages.append(pageIsNewestFirst ? page.transcript.reversed() : page.transcript)
            guard let next = page.nextToken else {
                var seen: Set<String> = []
                return (pagesGoBack ? pages.reversed() : pages).joined().filter { seen.insert($0.id).inserted }
            }
            guard tokens.insert(next).inserted else {
                throw Self.pagingError("the service answered a NextToken it had answered before")
            }
            request.nextToken = next
        }
        throw Self.pagingError("the transcript did not end within \(max(1, maxPages)) pages")
    }

    /// Calls `DisconnectParticipant`: the customer leaves the chat.
    ///
    /// - Parameters:
    ///   - request: the input; a missing `ClientToken` is generated once.
    ///   - connectionToken: CreateParticipantConnection's `ConnectionToken`.
    /// - Throws: ``AWSCallError``.
    public func disconnectParticipant(
        _ request: DisconnectParticipantRequest = DisconnectParticipantRequest(), connectionToken: Sensitive<String>
    ) async throws(AWSCallError) {
        var request = request
        if request.clientToken == nil {
            request.clientToken = try Self.clientToken(for: DisconnectParticipantRequest.operationName)
        }
        _ = try await send(request, token: connectionToken)
    }

    /// Sends any Participant Service operation with `token` in `X-Amz-Bearer`, counted
    /// against this client's instance.
    ///
    /// - Parameters:
    ///   - operation: the input.
    ///   - token: the ParticipantToken (CreateParticipantConnection) or ConnectionToken.
    /// - Returns: the decoded output.
    /// - Throws: ``AWSCallError``.
    public func send<Operation: AWSOperation>(
        _ operation: Operation, token: Sensitive<String>
    ) async throws(AWSCallError) -> Operation.Response {
        try await service.send(
            operation, authentication: .bearer(header: participantBearerHeader, token: token),
            rateLimitScope: instanceID)
    }

    /// `request` with a generated `ClientToken` when it has none.
    ///
    /// - Throws: ``AWSCallError`` with reason ``AWSCallError/Reason/idempotencyToken(_:)``.
    public static func withClientToken<Request: ParticipantContentRequest>(
        _ request: Request
    ) throws(AWSCallError) -> Request {
        guard request.clientToken == nil else { return request }
        var request = request
        request.clientToken = try clientToken(for: Request.operationName)
        return request
    }

    private static func clientToken(for operation: String) throws(AWSCallError) -> String {
        do {
            return try IdempotencyToken.generate()
        } catch {
            throw AWSCallError(operation: operation, reason: .idempotencyToken(error), attempts: 0)
        }
    }

    private static func pagingError(_ detail: String) -> AWSCallError {
        AWSCallError(
            operation: GetTranscriptRequest.operationName,
            reason: .malformedResponse(
                AWSProtocolError(operation: GetTranscriptRequest.operationName, status: 200, detail: detail)),
            attempts: 0)
    }
}
