import ChatctlAWS
import Foundation
import Testing

/// Real HTTP over loopback through libcurl, against `fake_connect_server.py`, which checks
/// each signature with botocore. Serialized so that at most one server per suite runs at a
/// time on a small machine; every wait is bounded by short timeouts.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CurlTransportTests {
    static let fast = HTTPTimeouts(connect: 3, total: 10)

    /// A signed StartChatContact for `server`.
    static func signedStartChatContact(
        _ server: LoopbackServer, clientToken: String = "token-1", credentials: AWSCredentials? = nil
    ) -> HTTPRequest {
        let operation = StartChatContactRequest(
            instanceId: "instance-1", contactFlowId: "flow-1",
            participantDetails: .init(displayName: "Loopback"), clientToken: clientToken)
        let signer = SigV4Signer(
            credentials: credentials ?? server.credentials, region: server.region, service: connectSigningName)
        return signer.sign(operation.httpRequest(endpoint: server.endpoint), at: Date())
    }

    @Test func sendsASignedRequestThatTheServerVerifies() async throws {
        let server = try await LoopbackServer.start()
        let transport = CurlTransport()
        let response = try await transport.send(Self.signedStartChatContact(server), timeouts: Self.fast)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["x-amzn-requestid"] != nil)
        let output = try StartChatContactRequest.decodeResponse(response)
        #expect(output.contactId != nil)
        #expect(output.participantToken != nil)

        let seen = try #require(try await server.stats().requests.first)
        #expect(seen.signature == "valid")
        #expect(seen.method == "PUT")
        #expect(seen.path == "/contact/chat")
        #expect(seen.clientToken == "token-1")
        #expect(seen.httpVersion == "HTTP/1.1")
        #expect(seen.userAgent == "chatctl")
        #expect(seen.contentType == "application/json")
        // libcurl's own Accept and Expect fields are suppressed: the request is what was signed.
        #expect(seen.accept == nil)
        #expect(seen.expect == nil)
    }

    @Test func sendsPostAndGetWithTheRightMethodAndBody() async throws {
        let server = try await LoopbackServer.start()
        let transport = CurlTransport()
        let signer = SigV4Signer(credentials: server.credentials, region: server.region, service: connectSigningName)
        let stop = StopContactRequest(contactId: "contact-1", instanceId: "instance-1")
        let stopped = try await transport.send(
            signer.sign(stop.httpRequest(endpoint: server.endpoint), at: Date()), timeouts: Self.fast)
        #expect(stopped.status == 200)
        let describe = DescribeContactRequest(instanceId: "instance-1", contactId: "contact/1")
        let described = try await transport.send(
            signer.sign(describe.httpRequest(endpoint: server.endpoint), at: Date()), timeouts: Self.fast)
        #expect(described.status == 200)
        #expect(try DescribeContactRequest.decodeResponse(described).contact?.id == "contact/1")

        let seen = try await server.stats().requests
        #expect(seen.map(\.method) == ["POST", "GET"])
        #expect(seen.map(\.signature) == ["valid", "valid"])
        #expect(seen.map(\.bodyLength) == [stop.jsonBody().count, 0])
    }

    @Test func reusesOneKeepAliveConnectionForSequentialRequests() async throws {
        let server = try await LoopbackServer.start()
        let transport = CurlTransport()
        for index in 0..<5 {
            let response = try await transport.send(
                Self.signedStartChatContact(server, clientToken: "token-\(index)"), timeouts: Self.fast)
            #expect(response.status == 200)
        }
        let stats = try await server.stats()
        #expect(stats.requests.count == 5)
        #expect(stats.connections == 1)
        #expect(transport.idleHandleCount == 1)
    }

    @Test func freeingTheHandlesClosesTheirConnections() async throws {
        let server = try await LoopbackServer.start()
        var transport: CurlTransport? = CurlTransport()
        for index in 0..<3 {
            _ = try await transport?.send(
                Self.signedStartChatContact(server, clientToken: "token-\(index)"), timeouts: Self.fast)
        }
        // The control connection of an earlier stats request may still be counted for a
        // moment after it closed: wait for the count to settle rather than read it once.
        #expect(try await server.waitForStats { $0.openConnections == 1 }.openConnections == 1)
        transport?.closeIdleConnections()
        #expect(transport?.idleHandleCount == 0)
        #expect(try await server.waitForStats { $0.openConnections == 0 }.openConnections == 0)

        // Releasing a transport frees its pooled handles the same way.
        _ = try await transport?.send(Self.signedStartChatContact(server, clientToken: "token-9"), timeouts: Self.fast)
        #expect(try await server.waitForStats { $0.openConnections == 1 }.openConnections == 1)
        transport = nil
        #expect(try await server.waitForStats { $0.openConnections == 0 }.openConnections == 0)
    }

    @Test func opensAConnectionPerRequestWhenReuseIsOff() async throws {
        let server = try await LoopbackServer.start()
        let transport = CurlTransport(configuration: .init(maxIdleHandles: 0))
        for index in 0..<3 {
            _ = try await transport.send(
                Self.signedStartChatContact(server, clientToken: "token-\(index)"), timeouts: Self.fast)
        }
        #expect(try await server.stats().connections == 3)
        #expect(transport.idleHandleCount == 0)
    }

    @Test func servesSixteenConcurrentRequests() async throws {
        let server = try await LoopbackServer.start()
        let transport = CurlTransport(configuration: .init(maxConcurrentRequests: 8))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await transport.send(
                        Self.signedStartChatContact(server, clientToken: "token-\(index)"), timeouts: Self.fast
                    ).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 16))
        let stats = try await server.stats()
        #expect(Set(stats.requests.compactMap(\.clientToken)).count == 16)
        #expect(stats.requests.allSatisfy { $0.signature == "valid" })
        #expect(stats.connections <= 8)
        #expect(transport.idleHandleCount <= 8)
    }

    @Test func aLateAnswerIsATimeout() async throws {
        let server = try await LoopbackServer.start()
        // The server holds its answer until released: only the timeout can end the send.
        try await server.script([.hold])
        let transport = CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(
                Self.signedStartChatContact(server), timeouts: HTTPTimeouts(connect: 2, total: 0.5))
        }
        try await server.release()
        #expect(error?.kind == .timeout)
        #expect(error?.retryKind == .timeout)
        #expect(error?.message.contains("curl error 28") == true)
        #expect(error?.requestMayHaveBeenSent == true)
    }

    @Test func aRefusedConnectionIsAConnectError() async throws {
        // Port 1 on loopback: nothing listens there, and an unprivileged test cannot bind it.
        let request = HTTPRequest(method: "GET", scheme: "http", authority: "127.0.0.1:1", path: "/")
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(request, timeouts: Self.fast)
        }
        #expect(error?.kind == .connect)
        #expect(error?.message.contains("curl error 7") == true)
        #expect(error?.url == "http://127.0.0.1:1/")
        #expect(error?.requestMayHaveBeenSent == false)
    }

    struct BrokenAnswerCase: CustomTestStringConvertible, Sendable {
        var raw: String
        var kind: TransportError.Kind
        var testDescription: String { raw }
    }

    /// Answers that are not a whole HTTP response, sent after the server processed the
    /// request: each is a failure that may have taken effect.
    @Test(arguments: [
        BrokenAnswerCase(raw: "garbage", kind: .invalidResponse),
        BrokenAnswerCase(raw: "http09", kind: .invalidResponse),
        BrokenAnswerCase(raw: "truncated", kind: .reset),
    ])
    func anAnswerThatIsNotWholeHTTPMayHaveBeenProcessed(_ testCase: BrokenAnswerCase) async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.raw(testCase.raw)])
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(Self.signedStartChatContact(server), timeouts: Self.fast)
        }
        #expect(error?.kind == testCase.kind)
        #expect(error?.requestMayHaveBeenSent == true)
        #expect(error?.retryKind == .connection)
        #expect(try await server.stats().requests.map(\.signature) == ["valid"])
    }

    @Test func anUnresolvableHostIsADNSError() async throws {
        // `.invalid` never resolves (RFC 6761); a resolver that answers at all answers at once.
        let request = HTTPRequest(method: "GET", scheme: "http", authority: "nonexistent.invalid", path: "/")
        do {
            _ = try await CurlTransport().send(request, timeouts: HTTPTimeouts(connect: 3, total: 4))
            Issue.record("nonexistent.invalid resolved")
        } catch {
            if error.kind == .timeout {
                try Test.cancel("the resolver did not answer within 3 s; DNS mapping not checked")
            }
            #expect(error.kind == .dns)
            #expect(error.message.contains("nonexistent.invalid"))
            #expect(error.message.contains("curl error 6"))
        }
    }

    @Test func aDroppedConnectionIsAReset() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.drop])
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(Self.signedStartChatContact(server), timeouts: Self.fast)
        }
        #expect(error?.kind == .reset)
        #expect(error?.retryKind == .connection)
    }

    @Test func aBodyOverTheLimitFailsTheRequest() async throws {
        let server = try await LoopbackServer.start()
        try await server.script([.body(bytes: 5000), .body(bytes: 1000)])
        let transport = CurlTransport(configuration: .init(maxResponseBodyBytes: 1000))
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(Self.signedStartChatContact(server), timeouts: Self.fast)
        }
        #expect(error?.kind == .other)
        #expect(error?.message == "the response body is larger than the limit of 1000 bytes")
        let atTheLimit = try await transport.send(Self.signedStartChatContact(server), timeouts: Self.fast)
        #expect(atTheLimit.body.count == 1000)
    }

    @Test func noProxyKeepsLoopbackDirect() async throws {
        let server = try await LoopbackServer.start()
        // Every proxy variable points at a port where nothing listens; NO_PROXY must win.
        let environment = [
            "HTTP_PROXY": "http://127.0.0.1:1", "http_proxy": "http://127.0.0.1:1",
            "HTTPS_PROXY": "http://127.0.0.1:1", "ALL_PROXY": "http://127.0.0.1:1", "NO_PROXY": "127.0.0.1",
        ]
        let transport = CurlTransport(environment: environment)
        let response = try await transport.send(Self.signedStartChatContact(server), timeouts: Self.fast)
        #expect(response.status == 200)
    }

    @Test func theEnvironmentsProxyIsUsed() async throws {
        let server = try await LoopbackServer.start()
        let transport = CurlTransport(environment: ["HTTP_PROXY": "http://127.0.0.1:1"])
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(Self.signedStartChatContact(server), timeouts: Self.fast)
        }
        #expect(error?.kind == .proxy)
        #expect(try await server.stats().requests.isEmpty)
    }

    @Test func theProcessEnvironmentIsNotReadBehindTheInjectedOne() async throws {
        // Whatever proxies this process has, an injected empty environment means none.
        let server = try await LoopbackServer.start()
        let response = try await CurlTransport(environment: [:]).send(
            Self.signedStartChatContact(server), timeouts: Self.fast)
        #expect(response.status == 200)
    }

    @Test func verifiesTLSAgainstTheSystemStoreOrAWSCABundle() async throws {
        let certificate: SelfSignedCertificate
        do {
            certificate = try await SelfSignedCertificate.make()
        } catch {
            try Test.cancel("the openssl command could not make a certificate: \(error)")
        }
        let server = try await LoopbackServer.start(tls: (certificate.certificate, certificate.key))

        // The system store does not trust a self-signed certificate: verification is on.
        let untrusted = await #expect(throws: TransportError.self) {
            try await CurlTransport(environment: [:]).send(Self.signedStartChatContact(server), timeouts: Self.fast)
        }
        #expect(untrusted?.kind == .tls)
        #expect(untrusted?.retryKind == .permanent)

        // AWS_CA_BUNDLE makes it trusted.
        let trusted = CurlTransport(environment: ["AWS_CA_BUNDLE": certificate.certificate])
        let response = try await trusted.send(Self.signedStartChatContact(server), timeouts: Self.fast)
        #expect(response.status == 200)
        #expect(try await server.stats().requests.map(\.signature) == ["valid"])
    }

    @Test func aMissingCABundleFileIsATLSError() async throws {
        let server = try await LoopbackServer.start()
        let request = HTTPRequest(method: "GET", scheme: "https", authority: "127.0.0.1:\(server.port)", path: "/")
        let transport = CurlTransport(environment: ["AWS_CA_BUNDLE": "/nonexistent/chatctl-ca.pem"])
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(request, timeouts: Self.fast)
        }
        #expect(error?.kind == .tls)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try await LoopbackServer.start()
        // The answer is held until released, and the total limit is far away: only the
        // cancellation can end the transfer.
        try await server.script([.hold])
        let transport = CurlTransport()
        let request = Self.signedStartChatContact(server)
        let task = Task { try await transport.send(request, timeouts: HTTPTimeouts(connect: 5, total: 600)) }
        // Cancel once the server has the request, so the abort happens mid-transfer.
        let arrived = try await server.waitForStats(upTo: 30) { $0.requests.count == 1 }
        #expect(arrived.requests.count == 1)
        task.cancel()
        let result = await task.result
        try await server.release()
        guard case .failure(let error as TransportError) = result else {
            Issue.record("expected a TransportError, got \(result)")
            return
        }
        #expect(error.message == "the request was cancelled")
        #expect(error.requestMayHaveBeenSent)
    }

    @Test func rejectsRequestsThatCouldSmuggleHeaders() async throws {
        let injected = HTTPRequest(
            method: "GET", scheme: "http", authority: "127.0.0.1:1", path: "/",
            headers: ["X-Test": "a\r\nX-Injected: b"])
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(injected, timeouts: Self.fast)
        }
        #expect(error?.kind == .invalidRequest)

        let ftp = HTTPRequest(method: "GET", scheme: "ftp", authority: "127.0.0.1:1", path: "/")
        let schemeError = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(ftp, timeouts: Self.fast)
        }
        #expect(schemeError?.kind == .invalidRequest)
        #expect(schemeError?.retryKind == .permanent)
    }

    @Test func reportsTheLibcurlVersion() {
        #expect(CurlTransport.libcurlVersion.hasPrefix("libcurl/"))
    }
}
