import ChatctlAWS
import Foundation
import Testing

@Suite struct SigV4VerifierTests {
    static let date = Date(timeIntervalSince1970: 1_440_938_160)
    static let credentials = AWSCredentials(accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret")

    private let verifier = SigV4Verifier(service: "connect", region: "us-east-1") { id in
        id == "AKIDEMULATOR" ? "emulator-secret" : nil
    }

    private func signed(
        _ credentials: AWSCredentials = credentials, region: String = "us-east-1", service: String = "connect",
        at date: Date = date
    ) -> HTTPRequest {
        let request = HTTPRequest(
            method: "POST", scheme: "http", authority: "127.0.0.1:9000", path: "/contact/stop",
            headers: ["Content-Type": "application/json"], body: Array(#"{"ContactId":"c"}"#.utf8))
        return SigV4Signer(credentials: credentials, region: region, service: service).sign(request, at: date)
    }

    private func failure(_ request: HTTPRequest, now: Date = date) -> SigV4VerificationError? {
        do {
            _ = try verifier.verify(request, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsARequestSignedWithTheKnownSecret() throws {
        var credentials = Self.credentials
        credentials.sessionToken = "session"
        let caller = try verifier.verify(signed(credentials), now: Self.date.addingTimeInterval(60))
        #expect(caller.accessKeyId == "AKIDEMULATOR")
        #expect(caller.sessionToken == "session")
        #expect(caller.scope == CredentialScope(dateStamp: "20150830", region: "us-east-1", service: "connect"))
    }

    @Test func reportsATamperedBodyWithTheExpectedCanonicalRequest() throws {
        var request = signed()
        request.body = Array(#"{"ContactId":"other"}"#.utf8)
        let error = try #require(failure(request))
        #expect(error.code == "InvalidSignatureException")
        #expect(error.httpStatus == 403)
        guard case .signatureMismatch(let expected) = error else {
            Issue.record("expected a signature mismatch, got \(error)")
            return
        }
        #expect(expected.canonicalRequest.payloadHash == SHA256.hexDigest(#"{"ContactId":"other"}"#))
        #expect(error.message.contains("The Canonical String for this request should have been\n'POST\n/contact/stop\n"))
    }

    @Test func rejectsAWrongSecret() {
        let request = signed(AWSCredentials(accessKeyId: "AKIDEMULATOR", secretAccessKey: "guess"))
        #expect(failure(request)?.code == "InvalidSignatureException")
    }

    struct FailureCase: CustomTestStringConvertible, Sendable {
        var name: String
        var mutate: @Sendable (inout HTTPRequest) -> Void
        var code: String
        var messageFragment: String
        var testDescription: String { name }
    }

    static let failures: [FailureCase] = [
        FailureCase(
            name: "no authorization header", mutate: { $0.headers.remove(name: "authorization") },
            code: "MissingAuthenticationTokenException", messageFragment: "Missing Authentication Token"),
        FailureCase(
            name: "another algorithm",
            mutate: { $0.headers.replaceOrAdd(name: "Authorization", value: "AWS4-ECDSA-P256-SHA256 Credential=x") },
            code: "IncompleteSignatureException", messageFragment: "AWS4-ECDSA-P256-SHA256"),
        FailureCase(
            name: "no signature parameter",
            mutate: {
                $0.headers.replaceOrAdd(
                    name: "Authorization",
                    value: "AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20150830/us-east-1/connect/aws4_request, SignedHeaders=host")
            },
            code: "IncompleteSignatureException", messageFragment: "'Signature'"),
        FailureCase(
            name: "no x-amz-date", mutate: { $0.headers.remove(name: "x-amz-date") },
            code: "IncompleteSignatureException", messageFragment: "X-Amz-Date"),
        FailureCase(
            name: "malformed x-amz-date", mutate: { $0.headers.replaceOrAdd(name: "X-Amz-Date", value: "2015-08-30") },
            code: "IncompleteSignatureException", messageFragment: "ISO8601"),
        FailureCase(
            name: "date differs from the scope",
            mutate: { $0.headers.replaceOrAdd(name: "X-Amz-Date", value: "20150831T000000Z") },
            code: "InvalidSignatureException", messageFragment: "'20150830' != '20150831'"),
    ]

    @Test(arguments: failures)
    func rejectsMalformedRequests(_ testCase: FailureCase) {
        var request = signed()
        testCase.mutate(&request)
        let error = failure(request)
        #expect(error?.code == testCase.code)
        #expect(error?.message.contains(testCase.messageFragment) == true, "\(String(describing: error))")
    }

    @Test func rejectsAnotherServiceOrRegion() {
        #expect(failure(signed(service: "s3"))?.message == "Credential should be scoped to correct service: 'connect'.")
        #expect(failure(signed(region: "eu-west-1"))?.message == "Credential should be scoped to a valid region.")
    }

    @Test func rejectsAnUnknownAccessKey() {
        let error = failure(signed(AWSCredentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x")))
        #expect(error == .unknownAccessKey("AKIDOTHER"))
        #expect(error?.code == "UnrecognizedClientException")
    }

    @Test func rejectsARequestMoreThanFiveMinutesAway() {
        #expect(failure(signed(), now: Self.date.addingTimeInterval(300)) == nil)
        guard case .requestTimeTooSkewed = failure(signed(), now: Self.date.addingTimeInterval(301)) else {
            Issue.record("expected requestTimeTooSkewed")
            return
        }
        guard case .requestTimeTooSkewed = failure(signed(), now: Self.date.addingTimeInterval(-301)) else {
            Issue.record("expected requestTimeTooSkewed")
            return
        }
    }
}
