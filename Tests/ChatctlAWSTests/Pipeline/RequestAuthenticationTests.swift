import ChatctlAWS
import Foundation
import Testing

/// The three ways ``AWSServiceClient`` authenticates, against a real loopback server for
/// SigV4 and on the request itself for the other two.
@Suite struct RequestAuthenticationTests {
    static let request = ServiceEndpoint(scheme: "http", authority: "127.0.0.1:1")
        .request(method: "POST", path: "/participant/message", headers: ["Content-Type": "application/json"])

    @Test func describesItselfWithoutTheToken() {
        let bearer = RequestAuthentication.bearer(header: "X-Amz-Bearer", token: "conn-SECRET")
        #expect("\(bearer)" == "bearer (X-Amz-Bearer)")
        #expect(bearer.signingService == nil)
        let sigV4 = RequestAuthentication.sigV4(
            service: "connect", credentials: StaticCredentialProvider(LoopbackServer.testCredentials))
        #expect("\(sigV4)" == "SigV4 (service connect)")
        #expect(sigV4.signingService == "connect")
    }

    /// A bearer call goes through the same attempt loop, unsigned, with the token in its
    /// header: the loopback server refuses it for want of a signature, and the attempt report
    /// shows what was sent.
    @Test func aBearerCallIsSentUnsignedWithItsHeader() async throws {
        let server = try await LoopbackServer.start()
        let recorder = AttemptRecorder()
        let client = AWSServiceClient(
            region: server.region, endpoint: server.endpoint, transport: CurlTransport(environment: [:]),
            retryStrategy: RetryStrategy(random: ConstantRandomSource(value: 0)), clock: RecordingAWSClock(),
            observer: recorder)
        let error = await #expect(throws: AWSCallError.self) {
            try await client.send(
                StopContactRequest(contactId: "c", instanceId: "i"),
                authentication: .bearer(header: "X-Amz-Bearer", token: "conn-token-1"))
        }
        // The whole error when it is not the server's answer: this test once timed out under
        // a loaded sanitizer run, and the next failure should say how.
        #expect(error?.serviceError?.kind == .missingAuthenticationToken, "\(String(describing: error))")
        // Not signed, so the hint has no region and service to name.
        #expect(error?.serviceError?.signingService == nil)
        let sent = try #require(recorder.reports.first?.request)
        #expect(sent.headers["x-amz-bearer"] == "conn-token-1")
        #expect(sent.headers["authorization"] == nil)
    }
}
