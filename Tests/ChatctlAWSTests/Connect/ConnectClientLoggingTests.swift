import ChatctlAWS
import Foundation
import Testing

/// Sends every attempt to several observers.
struct FanOutObserver: AWSAttemptObserver {
    var observers: [any AWSAttemptObserver]

    func attemptWillSend(operation: String, attempt: Int, request: HTTPRequest) {
        for observer in observers {
            observer.attemptWillSend(operation: operation, attempt: attempt, request: request)
        }
    }

    func attemptDidFinish(_ report: AWSAttemptReport) {
        for observer in observers {
            observer.attemptDidFinish(report)
        }
    }
}

/// `--verbose` logging of ``ConnectClient`` exchanges through ``HTTPExchangeLogger``: a real
/// exchange over loopback must show the request and response but none of the secrets.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ConnectClientLoggingTests {
    static let sessionCredentials = AWSCredentials(
        accessKeyId: "ASIALOGGINGEXAMPLE", secretAccessKey: "logging/SECRETKEY/do-not-print",
        sessionToken: "SESSIONTOKEN-do-not-print-0123456789")

    @Test func theVerboseLogOfARealExchangeHoldsNoSecret() async throws {
        let server = try await LoopbackServer.start(credentials: Self.sessionCredentials)
        let sink = TextSink()
        let recorder = AttemptRecorder()
        let observer = FanOutObserver(observers: [HTTPExchangeLogger(write: sink.write), recorder])
        let client = ConnectClient(
            region: server.region, endpoint: server.endpoint,
            credentialProvider: StaticCredentialProvider(Self.sessionCredentials),
            transport: CurlTransport(environment: [:]), rateLimiters: .unlimited, clock: RecordingAWSClock(),
            timeouts: HTTPTimeouts(connect: 3, total: 10), observer: observer)
        let request = StartChatContactRequest(
            instanceId: "instance-1", contactFlowId: "flow-1", participantDetails: .init(displayName: "Loopback"),
            clientToken: "log-token-1", customerId: "CUSTOMER-do-not-print-42")
        let response = try await client.startChatContact(request)
        let participantToken = try #require(response.participantToken?.value)
        let signed = try #require(recorder.reports.first?.request)
        let authorization = try #require(signed.headers["authorization"])
        let signature = try #require(authorization.components(separatedBy: "Signature=").last)

        let log = sink.text
        for secret in [
            Self.sessionCredentials.secretAccessKey, try #require(Self.sessionCredentials.sessionToken),
            "CUSTOMER-do-not-print-42", participantToken, signature,
        ] {
            #expect(!log.contains(secret), "the log shows a secret")
        }
        #expect(log.contains("* StartChatContact attempt 1\n> PUT http://127.0.0.1:\(server.port)/contact/chat\n"))
        #expect(log.contains("Signature=(redacted)"))
        #expect(log.contains("Credential=ASIALOGGINGEXAMPLE/"))
        #expect(log.contains("> X-Amz-Security-Token: (redacted)"))
        // The logged body is exactly the request's own redacted body.
        #expect(log.contains("> " + String(decoding: request.redactedJSONBody(), as: UTF8.self)))
        #expect(log.contains(#""CustomerId":"(sensitive)""#))
        #expect(log.contains("< HTTP 200"))
        #expect(log.contains(#""ParticipantToken": "(sensitive)""#))
        #expect(log.contains(#""ContactId": ""#))
        #expect(log.contains("* StartChatContact attempt 1: HTTP 200 in "))
    }

    @Test func logsFailedAttemptsAndWhatComesNext() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.error(500, "InternalServiceException", message: "boom")])
        let sink = TextSink()
        let client = ConnectClient(
            region: server.region, endpoint: server.endpoint,
            credentialProvider: StaticCredentialProvider(server.credentials),
            transport: CurlTransport(environment: [:]),
            retryStrategy: RetryStrategy(random: ConstantRandomSource(value: 0.25)), rateLimiters: .unlimited,
            clock: RecordingAWSClock(), observer: HTTPExchangeLogger(write: sink.write))
        _ = try await client.stopContact(StopContactRequest(contactId: "contact-1", instanceId: "instance-1"))
        let log = sink.text
        #expect(log.contains("< HTTP 500"))
        #expect(log.contains(#"< {"message": "boom"}"#))
        #expect(log.contains("* StopContact attempt 1: HTTP 500 InternalServiceException in "))
        #expect(log.contains(", retrying in 0.250 s"))
        #expect(log.contains("* StopContact attempt 2\n> POST "))
        #expect(log.contains("* StopContact attempt 2: HTTP 200 in "))
    }

    @Test func redactsPresignedQueryParameters() {
        let signer = SigV4Signer(
            credentials: Self.sessionCredentials, region: "us-east-1", service: connectSigningName)
        let request = HTTPRequest(method: "GET", authority: "connect.us-east-1.amazonaws.com", path: "/x", query: "a=1")
        let presigned = signer.presign(request, at: Date(timeIntervalSince1970: 1_700_000_000), expiresIn: 60)
        let text = HTTPExchangeLogger.render(presigned)
        let query = presigned.query ?? ""
        let signature = query.components(separatedBy: "X-Amz-Signature=").last ?? "missing"
        #expect(!text.contains(signature))
        #expect(!text.contains("SESSIONTOKEN"))
        #expect(!text.contains("ASIALOGGINGEXAMPLE"))
        #expect(text.contains("X-Amz-Signature=(redacted)"))
        #expect(text.contains("X-Amz-Credential=(redacted)"))
        #expect(text.contains("X-Amz-Security-Token=(redacted)"))
        #expect(text.contains("a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256"))
    }

    struct BodyCase: CustomTestStringConvertible, Sendable {
        var name: String
        var contentType: String?
        var body: String
        var expected: String
        var testDescription: String { name }
    }

    static let bodyCases: [BodyCase] = [
        BodyCase(
            name: "Connect response", contentType: "application/json",
            body: #"{"ContactId":"c-1","ParticipantToken":"tok\"en","ParticipantId":"p-1"}"#,
            expected: #"{"ContactId":"c-1","ParticipantToken":"(sensitive)","ParticipantId":"p-1"}"#),
        BodyCase(
            name: "nested credentials, any case, spacing kept", contentType: "application/x-amz-json-1.1",
            body: "{\"Credentials\": {\"AccessKeyId\": \"AKID\", \"secretAccessKey\" : \"s3cr3t\", \"SessionToken\":\"t\"}}",
            expected: "{\"Credentials\": {\"AccessKeyId\": \"AKID\", \"secretAccessKey\" : \"(sensitive)\", \"SessionToken\":\"(sensitive)\"}}"),
        BodyCase(
            name: "non-string value and array", contentType: "application/json",
            body: #"[{"Token":12345,"x":[1,2]},{"CustomerId":null}]"#,
            expected: #"[{"Token":"(sensitive)","x":[1,2]},{"CustomerId":"(sensitive)"}]"#),
        BodyCase(
            name: "value named like a secret is not a key", contentType: "application/json",
            body: #"{"Name":"SessionToken","CustomerId":"x"}"#,
            expected: #"{"Name":"SessionToken","CustomerId":"(sensitive)"}"#),
        BodyCase(
            name: "JSON sniffed without a content type", contentType: nil,
            body: #" {"ParticipantToken":"abc"}"#, expected: #" {"ParticipantToken":"(sensitive)"}"#),
        BodyCase(
            name: "STS XML", contentType: "text/xml",
            body: "<Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>"
                + "<SessionToken>tok</SessionToken></Credentials>",
            expected: "<Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>(sensitive)</SecretAccessKey>"
                + "<SessionToken>(sensitive)</SessionToken></Credentials>"),
        BodyCase(
            name: "STS form", contentType: "application/x-www-form-urlencoded",
            body: "Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJ.abc&RoleArn=arn",
            expected: "Action=AssumeRoleWithWebIdentity&WebIdentityToken=(sensitive)&RoleArn=arn"),
        BodyCase(
            name: "plain text is shown", contentType: "text/plain", body: "Bad Gateway", expected: "Bad Gateway"),
        BodyCase(
            name: "binary is not shown", contentType: "application/octet-stream", body: "abc",
            expected: "(3 bytes of application/octet-stream, not shown)"),
    ]

    @Test(arguments: bodyCases)
    func redactsBodies(_ example: BodyCase) {
        let text = HTTPLogRedactor.redactedBody(Array(example.body.utf8), contentType: example.contentType)
        #expect(text == example.expected)
    }

    @Test func truncatesLongBodies() {
        let text = HTTPLogRedactor.redactedBody(Array(repeating: UInt8(ascii: "a"), count: 50), contentType: "text/plain", limit: 10)
        #expect(text == "aaaaaaaaaa… (40 more characters)")
    }

    @Test func anAttemptReportDescriptionHoldsNoSecret() {
        let signer = SigV4Signer(credentials: Self.sessionCredentials, region: "us-east-1", service: connectSigningName)
        let request = StartChatContactRequest(
            instanceId: "i", contactFlowId: "f", participantDetails: .init(displayName: "d"),
            customerId: "CUSTOMER-do-not-print-42")
        let signed = signer.sign(
            request.httpRequest(endpoint: ServiceEndpoint(authority: "connect.us-east-1.amazonaws.com")), at: Date())
        let report = AWSAttemptReport(
            operation: "StartChatContact", attempt: 2, request: signed,
            response: HTTPResponse(status: 200, body: Array(#"{"ParticipantToken":"PT-secret"}"#.utf8)),
            outcome: .success, duration: 0.0123, nextStep: .finish)
        #expect(report.description == "StartChatContact attempt 2: HTTP 200 in 0.012 s")
        var dumped = ""
        dump(report, to: &dumped)
        let everything = "\(report) \(String(reflecting: report)) \(dumped)"
        for secret in ["PT-secret", "do-not-print", "SECRETKEY", "SESSIONTOKEN"] {
            #expect(!everything.contains(secret), "a report shows a secret")
        }
        #expect(dumped.contains("StartChatContact"))
    }
}
