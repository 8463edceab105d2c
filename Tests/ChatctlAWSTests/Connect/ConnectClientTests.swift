import ChatctlAWS
import Foundation
import Testing

/// ``ConnectClient`` end to end over loopback: the real libcurl transport, the real signer,
/// and `fake_connect_server.py` checking every signature with botocore. Sleeps go through a
/// ``RecordingAWSClock`` (recorded, not waited), so retry delays are observed exactly.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ConnectClientTests {
    static let fast = HTTPTimeouts(connect: 3, total: 10)

    static let startRequest = StartChatContactRequest(
        instanceId: "instance-1", contactFlowId: "flow-1", participantDetails: .init(displayName: "Loopback"))

    static func client(
        _ server: LoopbackServer, credentials: AWSCredentials? = nil, clock: RecordingAWSClock = .init(),
        random: Double = 0.5, rateLimiters: RateLimiterTable = .unlimited,
        observer: (any AWSAttemptObserver)? = nil, timeouts: HTTPTimeouts = fast,
        transport: CurlTransport = CurlTransport(environment: [:])
    ) -> ConnectClient {
        ConnectClient(
            region: server.region, endpoint: server.endpoint,
            credentialProvider: StaticCredentialProvider(credentials ?? server.credentials), transport: transport,
            retryStrategy: RetryStrategy(random: ConstantRandomSource(value: random)), rateLimiters: rateLimiters,
            clock: clock, timeouts: timeouts, observer: observer)
    }

    // MARK: - Success

    @Test func startsDescribesAndStopsAChat() async throws {
        let server = try await LoopbackServer.start()
        let client = Self.client(server)
        let started = try await client.startChatContact(Self.startRequest)
        let contactId = try #require(started.contactId)
        #expect(started.participantToken?.value.hasPrefix("participant-token-") == true)
        let described = try await client.describeContact(
            DescribeContactRequest(instanceId: "instance-1", contactId: contactId))
        #expect(described.contact?.id == contactId)
        #expect(described.contact?.channel == "CHAT")
        _ = try await client.stopContact(StopContactRequest(contactId: contactId, instanceId: "instance-1"))

        let seen = try await server.stats().requests
        #expect(seen.map(\.signature) == ["valid", "valid", "valid"])
        #expect(seen.map(\.method) == ["PUT", "GET", "POST"])
        // A generated ClientToken: a lowercase version 4 UUID.
        let token = try #require(seen.first?.clientToken)
        #expect(token.count == 36)
        #expect(Array(token)[14] == "4")
        #expect(token == token.lowercased())
    }

    @Test func keepsTheCallersClientToken() async throws {
        let server = try await LoopbackServer.start()
        var request = Self.startRequest
        request.clientToken = "caller-token"
        _ = try await Self.client(server).startChatContact(request)
        #expect(try await server.stats().requests.map(\.clientToken) == ["caller-token"])
    }

    @Test func signsSessionCredentialsWithTheSecurityToken() async throws {
        let credentials = AWSCredentials(
            accessKeyId: "ASIALOOPBACKEXAMPLE", secretAccessKey: "session/secret/EXAMPLE",
            sessionToken: "session-token-EXAMPLE")
        let server = try await LoopbackServer.start(credentials: credentials)
        _ = try await Self.client(server).startChatContact(Self.startRequest)
        let seen = try #require(try await server.stats().requests.first)
        #expect(seen.signature == "valid")
        #expect(seen.securityToken)
    }

    @Test func runsSixteenConcurrentCalls() async throws {
        let server = try await LoopbackServer.start()
        let client = Self.client(server)
        let contactIds = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<16 {
                group.addTask { try await client.startChatContact(Self.startRequest).contactId }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(Set(contactIds.compactMap { $0 }).count == 16)
        let seen = try await server.stats().requests
        #expect(seen.count == 16)
        #expect(seen.allSatisfy { $0.signature == "valid" })
        #expect(Set(seen.compactMap(\.clientToken)).count == 16)
    }

    // MARK: - Retries

    @Test func retriesServerErrorsWithTheSameClientToken() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.error(500, "InternalServiceException"), .error(503, "ServiceUnavailableException")])
        let clock = RecordingAWSClock()
        let recorder = AttemptRecorder()
        let response = try await Self.client(server, clock: clock, random: 0.5, observer: recorder)
            .startChatContact(Self.startRequest)
        #expect(response.contactId != nil)

        let seen = try await server.stats().requests
        #expect(seen.count == 3)
        #expect(seen.allSatisfy { $0.signature == "valid" })
        let tokens = Set(seen.map(\.clientToken))
        #expect(tokens.count == 1)
        #expect(tokens.first.flatMap { $0 } != nil)
        // Full jitter with random 0.5: 0.5 × 1 s, then 0.5 × 2 s.
        #expect(clock.sleeps == [0.5, 1.0])

        let reports = recorder.reports
        #expect(recorder.sentAttempts == [1, 2, 3])
        #expect(reports.map(\.attempt) == [1, 2, 3])
        #expect(reports.map(\.status) == [500, 503, 200])
        #expect(reports.map(\.nextStep) == [.retry(afterSeconds: 0.5), .retry(afterSeconds: 1.0), .finish])
        #expect(reports.allSatisfy { $0.duration > 0 })
        #expect(reports.allSatisfy { $0.operation == "StartChatContact" })
    }

    @Test func givesUpAfterTheMaximumAttempts() async throws {
        let server = try await LoopbackServer.start()
        try await server.script(Array(repeating: .error(500, "InternalServiceException", message: "boom"), count: 3))
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server).startChatContact(Self.startRequest)
        }
        #expect(error?.attempts == 3)
        #expect(error?.stopReason == .maxAttemptsReached(3))
        #expect(error?.serviceError?.kind == .internalService)
        #expect(error?.description.hasPrefix("StartChatContact failed after 3 attempts: InternalServiceException: boom (HTTP 500, request id ") == true)
        #expect(error?.description.hasSuffix("(hint: a temporary failure on the AWS side; try again later)") == true)
    }

    @Test func honoursRetryAfterAndTellsTheRateLimiter() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.error(429, "TooManyRequestsException", message: "Rate exceeded", retryAfterMs: 1500)])
        let clock = RecordingAWSClock()
        let limiters = RateLimiterTable.connectDefaults()
        let before = try #require(limiters.limiter(region: server.region, operation: "StartChatContact")?.currentRate)
        _ = try await Self.client(server, clock: clock, random: 0, rateLimiters: limiters)
            .startChatContact(Self.startRequest)
        // Backoff with random 0 is 0 s; x-amz-retry-after raises it to 1.5 s. The throttle
        // also dropped the limiter's saved burst (a lone throttle keeps the rate; a repeated
        // one halves it, see RateLimiterTests), so the retry then waits for a token at the
        // rate (1 / 5 s): the recording clock does not really sleep, so the 1.5 s did not
        // refill the bucket.
        let sleeps = clock.sleeps
        #expect(sleeps.count == 2)
        #expect(sleeps.first == 1.5)
        #expect(sleeps.last.map { $0 > 0.1 && $0 <= 0.2 } == true)
        #expect(limiters.limiter(region: server.region, operation: "StartChatContact")?.currentRate == before)
        #expect(limiters.limiter(region: server.region, operation: "StopContact")?.currentRate == 10)
        #expect(try await server.stats().requests.count == 2)
    }

    @Test func clientsShareTheBucketOfTheirAccountAndRegionWhateverTheInstance() async throws {
        let server = try await LoopbackServer.start()
        let limiters = RateLimiterTable(["StartChatContact": .init(ratePerSecond: 5, burst: 8)], clock: FrozenMonotonicClock())
        func client(account: String, clock: RecordingAWSClock) -> ConnectClient {
            ConnectClient(
                region: server.region, endpoint: server.endpoint, credentialProvider: StaticCredentialProvider(server.credentials),
                transport: CurlTransport(environment: [:]), rateLimiters: limiters, account: account, clock: clock, timeouts: Self.fast)
        }
        let first = RecordingAWSClock()
        let second = RecordingAWSClock()
        let other = RecordingAWSClock()
        // Eight calls on one instance spend the burst; a ninth on another instance of the same
        // account and region waits one token (1 / 5 s); another account's call does not.
        for _ in 0..<8 { _ = try await client(account: "111122223333", clock: first).startChatContact(Self.startRequest) }
        var elsewhere = Self.startRequest
        elsewhere.instanceId = "instance-2"
        _ = try await client(account: "111122223333", clock: second).startChatContact(elsewhere)
        _ = try await client(account: "444455556666", clock: other).startChatContact(elsewhere)
        #expect(first.sleeps.isEmpty)
        #expect(second.sleeps.count == 1 && abs((second.sleeps.first ?? 0) - 0.2) < 1e-9)
        #expect(other.sleeps.isEmpty)
    }

    @Test func doesNotRetryLimitExceeded() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.error(429, "LimitExceededException", message: "The allowed limit was exceeded")])
        let clock = RecordingAWSClock()
        let limiters = RateLimiterTable.connectDefaults()
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server, clock: clock, rateLimiters: limiters).startChatContact(Self.startRequest)
        }
        #expect(error?.attempts == 1)
        #expect(error?.stopReason == .notRetryable)
        #expect(error?.serviceError?.kind == .limitExceeded)
        #expect(error?.serviceError?.httpStatus == 429)
        #expect(error?.hint?.contains("concurrent active chats (500 by default)") == true)
        #expect(clock.sleeps.isEmpty)
        // A quota is not a rate throttle: the limiter keeps its rate.
        #expect(limiters.limiter(region: server.region, operation: "StartChatContact")?.currentRate == 5)
        #expect(try await server.stats().requests.count == 1)
    }

    @Test func retriesAResetConnection() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.drop])
        let recorder = AttemptRecorder()
        _ = try await Self.client(server, observer: recorder).startChatContact(Self.startRequest)
        let seen = try await server.stats().requests
        #expect(seen.count == 2)
        #expect(Set(seen.map(\.clientToken)).count == 1)
        guard case .transportError(let error) = recorder.reports.first?.outcome else {
            Issue.record("the first attempt should have failed in the transport")
            return
        }
        #expect(error.kind == .reset)
    }

    @Test func retriesATimeout() async throws {
        let server = try await LoopbackServer.start()
        // The first answer is held until released, so only the timeout ends that attempt.
        try await server.script([.hold])
        let recorder = AttemptRecorder()
        _ = try await Self.client(
            server, observer: recorder, timeouts: HTTPTimeouts(connect: 2, total: 1)
        ).startChatContact(Self.startRequest)
        try await server.release()
        #expect(recorder.reports.map(\.status) == [nil, 200])
        guard case .transportError(let error) = recorder.reports.first?.outcome else {
            Issue.record("the first attempt should have timed out")
            return
        }
        #expect(error.kind == .timeout)
        #expect(Set(try await server.stats().requests.map(\.clientToken)).count == 1)
    }

    @Test func correctsClockSkewThenSucceeds() async throws {
        // The server's clock is an hour ahead: the first signature has "expired".
        let server = try await LoopbackServer.start(clockOffset: 3600)
        let recorder = AttemptRecorder()
        let client = Self.client(server, observer: recorder)
        _ = try await client.startChatContact(Self.startRequest)

        let seen = try await server.stats().requests
        #expect(seen.map(\.signature) == ["InvalidSignatureException", "valid"])
        #expect(abs(client.retryStrategy.clockOffset - 3600) < 10)
        guard case .retryWithClockCorrection(let offset) = recorder.reports.first?.nextStep else {
            Issue.record("the first attempt should have been retried with a corrected clock")
            return
        }
        #expect(abs(offset - 3600) < 10)
        // Later calls sign with the learnt offset from the start.
        _ = try await client.stopContact(StopContactRequest(contactId: "c", instanceId: "i"))
        #expect(try await server.stats().requests.last?.signature == "valid")
    }

    // MARK: - Failures

    @Test func aWrongSecretIsAnInvalidSignature() async throws {
        let server = try await LoopbackServer.start()
        let wrong = AWSCredentials(
            accessKeyId: server.credentials.accessKeyId, secretAccessKey: "wrong/secret/NOTTHEKEY")
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server, credentials: wrong).startChatContact(Self.startRequest)
        }
        let service = try #require(error?.serviceError)
        #expect(service.kind == .invalidSignature)
        #expect(service.httpStatus == 403)
        #expect(service.message?.hasPrefix("The request signature we calculated does not match") == true)
        #expect(service.requestId != nil)
        #expect(error?.attempts == 1)
        // The hint names what was signed for: a wrong region is the usual cause.
        #expect(
            error?.hint == "the request was signed for service connect in region us-east-1: a region (or --endpoint-url) "
                + "that differs from the one the endpoint serves is the usual cause; otherwise the secret access key "
                + "does not match the access key id, or the system clock is off")
        #expect(error?.description.contains("NOTTHEKEY") == false)
        #expect(try await server.stats().requests.map(\.signature) == ["InvalidSignatureException"])
    }

    @Test func reportsCredentialFailuresWithoutSending() async throws {
        let client = ConnectClient(
            region: "us-east-1", endpoint: ServiceEndpoint(scheme: "http", authority: "127.0.0.1:1"),
            credentialProvider: FailingCredentialProvider(), transport: CurlTransport(environment: [:]),
            rateLimiters: .unlimited, clock: RecordingAWSClock())
        let error = await #expect(throws: AWSCallError.self) {
            try await client.startChatContact(Self.startRequest)
        }
        #expect(error?.attempts == 0)
        #expect(error?.reason == .credentials(.failed("test source", "the token file is unreadable")))
        #expect(error?.message == "StartChatContact failed: no credentials: test source: the token file is unreadable")
    }

    @Test func reportsAMalformedSuccessfulResponse() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.body(bytes: 10)])
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server).startChatContact(Self.startRequest)
        }
        guard case .malformedResponse(let detail) = error?.reason else {
            Issue.record("expected a malformed response, got \(String(describing: error))")
            return
        }
        #expect(detail.status == 200)
        #expect(detail.detail == "the body is not valid JSON")
    }

    @Test func reportsAConnectionFailureAfterRetries() async throws {
        let clock = RecordingAWSClock()
        let client = ConnectClient(
            region: "us-east-1", endpoint: ServiceEndpoint(scheme: "http", authority: "127.0.0.1:1"),
            credentialProvider: StaticCredentialProvider(LoopbackServer.testCredentials),
            transport: CurlTransport(environment: [:]),
            retryStrategy: RetryStrategy(random: ConstantRandomSource(value: 0)), rateLimiters: .unlimited,
            clock: clock, timeouts: Self.fast)
        let error = await #expect(throws: AWSCallError.self) {
            try await client.stopContact(StopContactRequest(contactId: "c", instanceId: "i"))
        }
        #expect(error?.attempts == 3)
        #expect(error?.transportError?.kind == .connect)
        #expect(error?.hint?.hasPrefix("nothing accepted the connection") == true)
        #expect(clock.sleeps.count == 2)
        // Refused on every attempt: nothing was ever sent, so nothing can have happened.
        #expect(error?.mayHaveTakenEffect == false)
    }

    // MARK: - Outcomes that prove nothing

    @Test(arguments: ["garbage", "http09", "truncated"])
    func anAnswerThatIsNotHTTPLeavesTheOutcomeUnknown(_ raw: String) async throws {
        let server = try await LoopbackServer.start()
        try await server.script(Array(repeating: .raw(raw), count: 3))
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server).startChatContact(Self.startRequest)
        }
        #expect(error?.attempts == 3)
        #expect(error?.transportError?.requestMayHaveBeenSent == true)
        #expect(error?.mayHaveTakenEffect == true)
        // Every attempt carried the one token, so a resume finds the chat the server made.
        let seen = try await server.stats().requests
        #expect(seen.count == 3)
        #expect(Set(seen.map(\.clientToken)).count == 1)
    }

    @Test func aRefusalAfterAnAnswerThatIsNotHTTPStillLeavesTheOutcomeUnknown() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.raw("garbage"), .error(400, "InvalidParameterException", message: "bad")])
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server).startChatContact(Self.startRequest)
        }
        #expect(error?.serviceError?.httpStatus == 400)
        #expect(error?.anEarlierAttemptMayHaveTakenEffect == true)
        #expect(error?.mayHaveTakenEffect == true)
    }

    struct MalformedSuccessCase: CustomTestStringConvertible, Sendable {
        var name: String
        var action: LoopbackServer.Action
        var detail: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        MalformedSuccessCase(name: "{}", action: .json([:]), detail: "ContactId is missing"),
        MalformedSuccessCase(
            name: "no ParticipantId", action: .json(["ContactId": "c-1"]), detail: "ParticipantId is missing"),
        MalformedSuccessCase(
            name: "empty ContactId", action: .json(["ContactId": "", "ParticipantId": "p"]),
            detail: "ContactId is 0 characters long; the model allows 1 to 256"),
        MalformedSuccessCase(
            name: "257 characters", action: LoopbackServer.Action(contactIdLength: 257),
            detail: "ContactId is 257 characters long; the model allows 1 to 256"),
        MalformedSuccessCase(
            name: "10 MB ContactId", action: LoopbackServer.Action(contactIdLength: 10 * 1024 * 1024),
            detail: "ContactId is 10485760 characters long; the model allows 1 to 256"),
    ])
    func aSuccessAnswerOutsideTheModelIsRefusedAsMalformed(_ testCase: MalformedSuccessCase) async throws {
        let server = try await LoopbackServer.start()
        try await server.script([testCase.action])
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server).startChatContact(Self.startRequest)
        }
        guard case .malformedResponse(let malformed) = error?.reason else {
            Issue.record("expected a malformed response, got \(String(describing: error))")
            return
        }
        #expect(malformed.status == 200)
        #expect(malformed.detail == testCase.detail)
        #expect(error?.mayHaveTakenEffect == true)
        #expect((error?.description.count ?? .max) < 1000)
    }

    @Test func aServerMessageQuotingTheSessionTokenIsRedacted() async throws {
        let credentials = AWSCredentials(
            accessKeyId: "ASIALOOPBACKEXAMPLE", secretAccessKey: "session/secret/EXAMPLE",
            sessionToken: "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN+/=")
        let server = try await LoopbackServer.start(credentials: credentials)
        // What AWS answers to a signature it cannot match: the canonical request it computed.
        let quoted = "The request signature we calculated does not match the signature you provided. "
            + "The Canonical String for this request should have been\n'PUT\n/contact/chat\n\n"
            + "content-type:application/json\nhost:127.0.0.1\nx-amz-date:20260101T000000Z\n"
            + "x-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN+/=\n\n"
            + "content-type;host;x-amz-date;x-amz-security-token\nabc'"
        try await server.script([.error(403, "InvalidSignatureException", message: quoted)])
        let error = await #expect(throws: AWSCallError.self) {
            try await Self.client(server, credentials: credentials).startChatContact(Self.startRequest)
        }
        let message = try #require(error?.serviceError?.message)
        #expect(message.contains("x-amz-security-token:(redacted)\n"))
        #expect(message.hasPrefix("The request signature we calculated does not match"))
        for text in [message, error?.description ?? "", error?.hint ?? ""] {
            #expect(!text.contains("EXAMPLESESSIONTOKEN"), "\(text)")
        }
        #expect(error?.hint?.hasPrefix("the request was signed for service connect in region us-east-1") == true)
    }

    @Test func waitsOnTheSharedRateLimiter() async throws {
        let server = try await LoopbackServer.start()
        let clock = RecordingAWSClock()
        // A monotonic clock that never moves: the bucket never refills, so waits add up.
        let limiters = RateLimiterTable.connectDefaults(clock: FrozenMonotonicClock())
        let client = Self.client(server, clock: clock, rateLimiters: limiters)
        for _ in 0..<10 {
            _ = try await client.startChatContact(Self.startRequest)
        }
        // A burst of 8 goes at once; then one request per 1/5 s, owed in turn.
        #expect(clock.sleeps.count == 2)
        #expect(abs(clock.sleeps[0] - 0.2) < 1e-9)
        #expect(abs(clock.sleeps[1] - 0.4) < 1e-9)
    }

    @Test func aCancelledCallSendsNothing() async throws {
        let client = ConnectClient(
            region: "us-east-1", endpoint: ServiceEndpoint(scheme: "http", authority: "127.0.0.1:1"),
            credentialProvider: StaticCredentialProvider(LoopbackServer.testCredentials),
            transport: CurlTransport(environment: [:]), rateLimiters: .unlimited, clock: RecordingAWSClock())
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.startChatContact(Self.startRequest)
        }
        let result = await task.result
        guard case .failure(let error as AWSCallError) = result else {
            Issue.record("expected a AWSCallError, got \(result)")
            return
        }
        #expect(error.reason == .cancelled)
        #expect(error.attempts == 0)
    }
}
