import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

@Suite struct EmulatorServerTests {
    typealias Client = EmulatorTestClient

    // MARK: - Start and stop

    @Test func listensOnAFreeLoopbackPortAndStops() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(seed: 1))
        #expect(emulator.port > 0)
        #expect(emulator.endpointURL == "http://127.0.0.1:\(emulator.port)")
        #expect(emulator.endpoint == ServiceEndpoint(scheme: "http", authority: "127.0.0.1:\(emulator.port)"))
        #expect(emulator.credentials == .standard)
        #expect(emulator.region == "us-east-1")
        #expect(emulator.seed == 1)
        await emulator.stop()
        await emulator.stop()
        let transport = CurlTransport()
        await #expect(throws: TransportError.self) {
            try await transport.send(
                HTTPRequest(method: "GET", scheme: "http", authority: "127.0.0.1:\(emulator.port)", path: "/_emulator/stats"),
                timeouts: HTTPTimeouts(connect: 2, total: 5))
        }
    }

    @Test func refusesAPortInUseAndABadConfiguration() async throws {
        try await Client.with { client in
            await #expect {
                _ = try await EmulatorServer.start(EmulatorConfiguration(port: client.emulator.port))
            } throws: { error in
                guard case .cannotListen(_, let port, _)? = error as? EmulatorStartError else { return false }
                return port == client.emulator.port
            }
        }
        await #expect(throws: EmulatorStartError.invalidConfiguration(["fault rate must be between 0 and 1, not 2.0"])) {
            _ = try await EmulatorServer.start(EmulatorConfiguration(faultRate: 2))
        }
        await #expect(throws: EmulatorStartError.self) {
            _ = try await EmulatorServer.start(EmulatorConfiguration(host: "not-an-address"))
        }
    }

    // MARK: - Operations

    @Test func startsAndStopsAChat() async throws {
        try await Client.with { client in
            let started = try await client.start(token: "t-1")
            #expect(started.status == 200)
            #expect(started.headers["content-type"] == "application/json")
            #expect(started.headers["x-amzn-requestid"]?.count == 36)
            #expect(started.headers["date"] == "Thu, 01 Jan 2026 00:00:00 GMT")
            let answer = try started.json
            let contactID = try #require(answer["ContactId"]?.stringValue)
            #expect(answer["ParticipantToken"]?.stringValue?.count == 400)
            let decoded = try StartChatContactRequest.decodeResponse(started)
            #expect(decoded.contactId == contactID)

            let stopped = try await client.stop(contactID)
            #expect(stopped.status == 200)
            #expect(stopped.bodyText == "{}")
            let again = try await client.stop(contactID)
            #expect(again.status == 410)
            #expect(again.errorType == "ContactNotFoundException")
            let error = AWSServiceError(response: again)
            #expect(error.kind == .contactNotFound)
            #expect(error.requestId == again.headers["x-amzn-requestid"])
        }
    }

    @Test func answersModelErrorsAsRestJSON() async throws {
        try await Client.with { client in
            let response = try await client.start(extra: #""ChatDurationInMinutes":30"#)
            #expect(response.status == 400)
            #expect(response.errorType == "InvalidParameterException")
            #expect(
                response.message
                    == "1 validation error detected: Value at 'ChatDurationInMinutes' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 60")
            let error = AWSServiceError(response: response)
            #expect(error.kind == .invalidParameter)
            #expect(error.hint?.contains("ChatDurationInMinutes") == true)
        }
    }

    @Test func answersInvalidJSONWithASerializationException() async throws {
        try await Client.with { client in
            let response = try await client.send(
                client.signed(client.request("PUT", "/contact/chat", body: #"{"InstanceId":"a","InstanceId":"b"}"#)))
            #expect(response.status == 400)
            #expect(response.errorType == "SerializationException")
            #expect(response.message == "The request body is not valid JSON: 1:19: duplicate key \"InstanceId\".")
        }
    }

    @Test func answersUnknownRoutesWithUnknownOperation() async throws {
        try await Client.with { client in
            let response = try await client.send(client.signed(client.request("GET", "/contact/chat")))
            #expect(response.status == 404)
            #expect(response.errorType == "UnknownOperationException")
        }
    }

    @Test func refusesBodiesOverTheLimit() async throws {
        try await Client.with(EmulatorConfiguration(seed: 1, maxBodyBytes: 1000)) { client in
            let response = try await client.send(
                client.signed(client.request("PUT", "/contact/chat", body: String(repeating: " ", count: 5000))))
            #expect(response.status == 413)
            #expect(response.errorType == "RequestEntityTooLargeException")
        }
    }

    @Test func unknownInstancesAndFlowsAreNotFound() async throws {
        let configuration = EmulatorConfiguration(tps: 0, instances: ["i-1"], flows: ["f-1"], seed: 1)
        try await Client.with(configuration) { client in
            #expect(try await client.start().status == 200)
            let response = try await client.start(instance: "i-2")
            #expect(response.status == 404)
            #expect(response.errorType == "ResourceNotFoundException")
            #expect(response.message == "Instance 'i-2' was not found.")
        }
    }

    // MARK: - Signatures

    @Test func refusesAWrongSecretShowingTheCanonicalRequest() async throws {
        try await Client.with { client in
            let wrong = AWSCredentials(accessKeyId: "AKIDCHATCTLEMULATOR", secretAccessKey: "wrong")
            let request = client.signed(
                client.request("PUT", "/contact/chat", body: #"{"InstanceId":"i"}"#), credentials: wrong)
            let response = try await client.send(request)
            #expect(response.status == 403)
            #expect(response.errorType == "InvalidSignatureException")
            let message = try #require(response.message)
            #expect(message.hasPrefix("The request signature we calculated does not match the signature you provided."))
            #expect(message.contains("'PUT\n/contact/chat\n\ncontent-type:application/json\nhost:127.0.0.1:\(client.emulator.port)\n"))
            #expect(message.contains("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/connect/aws4_request\n"))
            #expect(client.emulator.contacts.isEmpty)
        }
    }

    struct SignatureCase: CustomTestStringConvertible, Sendable {
        var id: String
        var status: Int
        var code: String
        var messagePrefix: String
        var testDescription: String { id }
    }

    static let signatureCases: [SignatureCase] = [
        SignatureCase(id: "unsigned", status: 403, code: "MissingAuthenticationTokenException", messagePrefix: "Missing Authentication Token"),
        SignatureCase(id: "unknown key", status: 403, code: "UnrecognizedClientException", messagePrefix: "The security token included in the request is invalid."),
        SignatureCase(id: "other region", status: 403, code: "InvalidSignatureException", messagePrefix: "Credential should be scoped to a valid region."),
        SignatureCase(id: "other service", status: 403, code: "InvalidSignatureException", messagePrefix: "Credential should be scoped to correct service: 'connect'."),
        SignatureCase(id: "six minutes old", status: 403, code: "InvalidSignatureException", messagePrefix: "Signature expired: 20251231T235400Z is now earlier than 20260101T000000Z minus 300 seconds"),
        SignatureCase(id: "date not signed", status: 400, code: "IncompleteSignatureException", messagePrefix: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."),
        SignatureCase(id: "host not signed", status: 400, code: "IncompleteSignatureException", messagePrefix: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."),
        SignatureCase(id: "body changed after signing", status: 403, code: "InvalidSignatureException", messagePrefix: "The request signature we calculated does not match"),
    ]

    @Test(arguments: signatureCases)
    func refusesBadSignatures(_ testCase: SignatureCase) async throws {
        try await Client.with { client in
            let plain = client.request("PUT", "/contact/chat", body: #"{"InstanceId":"i"}"#)
            var request: HTTPRequest
            switch testCase.id {
            case "unsigned": request = plain
            case "unknown key":
                request = client.signed(plain, credentials: AWSCredentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x"))
            case "other region": request = client.signed(plain, region: "eu-west-1")
            case "other service": request = client.signed(plain, service: "s3")
            case "six minutes old": request = client.signed(plain, date: Client.origin.addingTimeInterval(-360))
            case "date not signed", "host not signed":
                var options = SigV4Signer.Options()
                options.unsignedHeaders.insert(testCase.id == "host not signed" ? "host" : "x-amz-date")
                request = client.signed(plain, options: options)
            default:
                request = client.signed(plain)
                request.body = Array(#"{"InstanceId":"j"}"#.utf8)
            }
            let response = try await client.send(request)
            #expect(response.status == testCase.status)
            #expect(response.errorType == testCase.code)
            #expect(response.message?.hasPrefix(testCase.messagePrefix) == true, "\(response.message ?? "")")
            #expect(client.emulator.stats.count("StartChatContact", testCase.code) == 1)
        }
    }

    @Test func acceptsASignatureWithinFiveMinutes() async throws {
        try await Client.with { client in
            let request = client.signed(
                client.request("PUT", "/contact/chat", body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"}}"#),
                date: Client.origin.addingTimeInterval(-290))
            let response = try await client.send(request)
            #expect(response.status == 200)
        }
    }

    // MARK: - Idempotency and quotas over HTTP

    @Test func concurrentRequestsWithOneTokenCreateOneContact() async throws {
        try await Client.with { client in
            let answers = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await client.start(token: "same-token") }
                }
                var answers: [HTTPResponse] = []
                for try await answer in group {
                    answers.append(answer)
                }
                return answers
            }
            #expect(answers.allSatisfy { $0.status == 200 })
            let ids = Set(try answers.map { try #require(try $0.json["ContactId"]?.stringValue) })
            #expect(ids.count == 1)
            #expect(client.emulator.contacts(clientToken: "same-token").count == 1)
        }
    }

    @Test func throttlesBeyondTheBurst() async throws {
        try await Client.with(EmulatorConfiguration(tps: 1, burst: 2, seed: 1)) { client in
            #expect(try await client.start().status == 200)
            #expect(try await client.start().status == 200)
            let throttled = try await client.start()
            #expect(throttled.status == 429)
            #expect(throttled.errorType == "TooManyRequestsException")
            #expect(AWSServiceError(response: throttled).isThrottling)
            client.clock.advance(by: 1)
            #expect(try await client.start().status == 200)
        }
    }

    @Test func refusesChatsBeyondTheActiveQuota() async throws {
        try await Client.with(EmulatorConfiguration(tps: 0, maxActive: 1, seed: 1)) { client in
            #expect(try await client.start().status == 200)
            let refused = try await client.start()
            #expect(refused.status == 429)
            #expect(refused.errorType == "LimitExceededException")
            #expect(AWSServiceError(response: refused).isCapacity)
            client.emulator.advanceTime(by: 25 * 3600)
            #expect(try await client.start().status == 200)
            #expect(client.emulator.activeChatCount == 1)
        }
    }

    // MARK: - Faults and latency

    @Test func anInternalErrorFaultCreatesNothing() async throws {
        try await Client.with(EmulatorConfiguration(tps: 0, faultRate: 1, faults: [.internalError], seed: 1)) { client in
            let response = try await client.start(token: "t")
            #expect(response.status == 500)
            #expect(response.errorType == "InternalServiceException")
            #expect(AWSServiceError(response: response).isTransient)
            #expect(client.emulator.contacts.isEmpty)
            #expect(client.emulator.stats.faults == ["500": 1])
        }
    }

    @Test func aDroppedConnectionAnswersNothingAndCreatesNothing() async throws {
        try await Client.with(EmulatorConfiguration(tps: 0, faultRate: 1, faults: [.drop], seed: 1)) { client in
            await #expect(throws: TransportError.self) { _ = try await client.start(token: "t") }
            #expect(client.emulator.contacts.isEmpty)
            #expect(client.emulator.stats.count("StartChatContact", "ConnectionDropped") == 1)
        }
    }

    @Test func logsEachRequestWithoutHeadersOrBodies() async throws {
        let records = Locked<[EmulatorRequestRecord]>([])
        let configuration = EmulatorConfiguration(tps: 0, faultRate: 1, faults: [.drop], seed: 1)
        try await Client.with(configuration, requestLog: { record in records.withLock { $0.append(record) } }) { client in
            _ = try await client.send(client.signed(client.request("GET", "/contact/chat", query: "secret=1")))
            await #expect(throws: TransportError.self) { _ = try await client.start(token: "t") }
        }
        let logged = records.withLock { $0 }
        // The dropped PUT may be logged twice: libcurl resends once on a reused connection
        // that closes without an answer.
        #expect(logged.first?.method == "GET" && logged.first?.status == 404)
        #expect(logged.first?.errorType == "UnknownOperationException")
        #expect(logged.count >= 2 && logged.dropFirst().allSatisfy { $0.method == "PUT" && $0.status == nil })
        #expect(logged.allSatisfy { $0.path == "/contact/chat" }, "no query")
        #expect(logged.allSatisfy { $0.milliseconds >= 0 })
        #expect(EmulatorRequestRecord(method: "PUT", path: "/contact/chat", status: 429, errorType: "TooManyRequestsException",
                                      milliseconds: 0.24).description == "PUT /contact/chat 429 TooManyRequestsException 0.2 ms")
        #expect(EmulatorRequestRecord(method: "PUT", path: "/contact/chat", status: nil, errorType: nil,
                                      milliseconds: 15).description == "PUT /contact/chat closed without an answer 15.0 ms")
    }

    @Test func aLostAnswerCreatesTheContactAndARetryGetsItBack() async throws {
        // Find a seed whose first request loses its answer and whose second gets no fault.
        let seed = try #require((UInt64(0)..<10_000).first { seed in
            var probe = FaultInjector(rate: 0.5, kinds: [.lost], seed: seed)
            return probe.next() == .lost && probe.next() == nil
        })
        let configuration = EmulatorConfiguration(tps: 0, faultRate: 0.5, faults: [.lost], seed: seed)
        try await Client.with(configuration) { client in
            await #expect(throws: TransportError.self) { _ = try await client.start(token: "t") }
            let created = try #require(client.emulator.contacts.first)
            #expect(created.clientToken == "t")
            let retry = try await client.start(token: "t")
            #expect(retry.status == 200)
            #expect(try retry.json["ContactId"]?.stringValue == created.contactID)
            #expect(client.emulator.contacts(clientToken: "t").count == 1)
        }
    }

    @Test func theSameSeedMeetsTheSameFaults() async throws {
        func run() async throws -> [String] {
            try await Client.with(EmulatorConfiguration(tps: 0, faultRate: 0.5, seed: 77)) { client in
                var outcomes: [String] = []
                for index in 0..<12 {
                    do {
                        let response = try await client.start(token: "t-\(index)")
                        outcomes.append("\(response.status) \(try response.json["ContactId"]?.stringValue ?? "")")
                    } catch {
                        outcomes.append("no answer")
                    }
                }
                outcomes.append("\(client.emulator.contacts.map(\.contactID))")
                return outcomes
            }
        }
        let first = try await run()
        #expect(try await run() == first)
        #expect(first.contains { $0.hasPrefix("500") })
        #expect(first.contains { $0.hasPrefix("200") })
    }

    @Test func latencyDelaysEveryAnswer() async throws {
        try await Client.with(EmulatorConfiguration(tps: 0, latencyMilliseconds: 150, seed: 1)) { client in
            let clock = ContinuousClock()
            let started = clock.now
            _ = try await client.start()
            _ = try await client.send(client.request("PUT", "/contact/chat"))
            #expect(clock.now - started >= .milliseconds(300))
        }
    }

    // MARK: - Admin API

    @Test func adminListsContactsWithoutTokensAndCountsOutcomes() async throws {
        try await Client.with { client in
            let first = try await client.start(token: "a").json
            _ = try await client.start(token: "a")
            _ = try await client.start(token: "b")
            _ = try await client.start(extra: #""ChatDurationInMinutes":1"#)
            let contactID = try #require(first["ContactId"]?.stringValue)
            _ = try await client.stop(contactID)

            let listing = try await client.admin("GET", "/_emulator/contacts", query: "clientToken=a")
            #expect(listing["count"] == .integer(1))
            let contact = try #require(listing["contacts"]?.arrayValue?.first)
            #expect(contact["contactId"] == .string(contactID))
            #expect(contact["state"] == .string("stopped"))
            #expect(contact["createdAt"] == .string("2026-01-01T00:00:00.000Z"))
            #expect(contact["endedAt"] == .string("2026-01-01T00:00:00.000Z"))
            #expect(contact["expiresAt"] == .string("2026-01-02T01:00:00.000Z"))
            let token = try #require(first["ParticipantToken"]?.stringValue)
            #expect(contact["participantTokenSha256"] == .string(SHA256.hexDigest(token)))
            #expect(!(String(decoding: JSONWriter.compact.bytes(listing), as: UTF8.self)).contains(token))
            #expect(try await client.admin("GET", "/_emulator/contacts", query: "state=active")["count"] == .integer(1))

            let stats = try await client.admin("GET", "/_emulator/stats")
            #expect(stats["requests"] == .integer(5))
            #expect(stats["outcomes"]?["StartChatContact"]?["OK"] == .integer(3))
            #expect(stats["outcomes"]?["StartChatContact"]?["InvalidParameterException"] == .integer(1))
            #expect(stats["outcomes"]?["StopContact"]?["OK"] == .integer(1))
            #expect(stats["contacts"] == .integer(2))
            #expect(stats["activeChats"] == .integer(1))
            #expect(stats["seed"] == .string("1"))

            let advanced = try await client.admin("POST", "/_emulator/advance", query: "seconds=90000")
            #expect(advanced["timeOffsetSeconds"] == .double(90_000))
            #expect(try await client.admin("GET", "/_emulator/stats")["activeChats"] == .integer(0))

            _ = try await client.admin("POST", "/_emulator/reset")
            #expect(client.emulator.contacts.isEmpty)
            #expect(client.emulator.stats == EmulatorStats())
            let notFound = try await client.send(client.request("GET", "/_emulator/nothing"))
            #expect(notFound.status == 404)
            let wrongMethod = try await client.send(client.request("DELETE", "/_emulator/stats"))
            #expect(wrongMethod.status == 405)
        }
    }

    @Test func keepsTheConnectionAliveAcrossRequests() async throws {
        try await Client.with { client in
            for _ in 0..<20 {
                let response = try await client.start()
                #expect(response.status == 200)
            }
            #expect(client.emulator.contacts.count == 20)
            #expect(client.emulator.stats.connections == 1)
        }
    }
}
