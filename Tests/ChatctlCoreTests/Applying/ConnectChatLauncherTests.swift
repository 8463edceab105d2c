import ChatctlAWS
@testable import ChatctlCore
import Testing

/// What each way a call can fail means for the lockfile: a definite failure (the entry is
/// `failed`, the next apply launches anew) only when the answer proves nothing was done;
/// otherwise unknown (the entry stays `pending`, the same token resumes it).
@Suite struct ConnectChatLauncherTests {
    static func serviceError(_ status: Int, _ code: String, message: String = "boom", requestId: String? = "rid-1")
        -> AWSServiceError
    {
        AWSServiceError(code: code, message: message, httpStatus: status, requestId: requestId)
    }

    static func transport(_ kind: TransportError.Kind, sent: Bool) -> TransportError {
        TransportError(kind: kind, message: "curl says no", url: "https://x/contact/chat", requestMayHaveBeenSent: sent)
    }

    struct OutcomeCase: CustomTestStringConvertible, Sendable {
        var name: String
        var error: AWSCallError
        var kind: LaunchFailure.Kind
        var testDescription: String { name }
    }

    static let start = "StartChatContact"

    @Test(arguments: [
        OutcomeCase(
            name: "refused on every attempt",
            error: AWSCallError(operation: start, reason: .transport(transport(.connect, sent: false)), attempts: 3),
            kind: .refused),
        OutcomeCase(
            name: "refused after an attempt that may have arrived",
            error: AWSCallError(
                operation: start, reason: .transport(transport(.connect, sent: false)), attempts: 2,
                anEarlierAttemptMayHaveTakenEffect: true),
            kind: .ambiguous),
        OutcomeCase(
            name: "an answer that is not HTTP",
            error: AWSCallError(operation: start, reason: .transport(transport(.invalidResponse, sent: true)), attempts: 1),
            kind: .ambiguous),
        OutcomeCase(
            name: "a timeout after sending",
            error: AWSCallError(operation: start, reason: .transport(transport(.timeout, sent: true)), attempts: 3),
            kind: .ambiguous),
        OutcomeCase(
            name: "a malformed 200",
            error: AWSCallError(
                operation: start,
                reason: .malformedResponse(AWSProtocolError(operation: start, status: 200, detail: "ContactId is missing")),
                attempts: 1),
            kind: .ambiguous),
        OutcomeCase(
            name: "a 400", error: AWSCallError(operation: start, reason: .service(serviceError(400, "InvalidParameterException")), attempts: 1),
            kind: .refused),
        OutcomeCase(
            name: "a 500 after retries",
            error: AWSCallError(operation: start, reason: .service(serviceError(500, "InternalServiceException")), attempts: 3),
            kind: .ambiguous),
        OutcomeCase(
            name: "capacity after throttles",
            error: AWSCallError(operation: start, reason: .service(serviceError(429, "LimitExceededException")), attempts: 3),
            kind: .capacity),
        OutcomeCase(
            name: "capacity after a 500",
            error: AWSCallError(
                operation: start, reason: .service(serviceError(429, "LimitExceededException")), attempts: 2,
                anEarlierAttemptMayHaveTakenEffect: true),
            kind: .ambiguous),
        OutcomeCase(
            name: "contact not found",
            error: AWSCallError(operation: "StopContact", reason: .service(serviceError(410, "ContactNotFoundException")), attempts: 1),
            kind: .notFound),
    ])
    func onlyAnAnswerThatProvesARefusalIsAFailure(_ testCase: OutcomeCase) {
        #expect(ConnectChatLauncher.failure(testCase.error).kind == testCase.kind)
    }

    @Test func theMessageCarriesTheStatusTheRequestIdAndTheAttempts() {
        let failure = ConnectChatLauncher.failure(
            AWSCallError(operation: Self.start, reason: .service(Self.serviceError(429, "LimitExceededException", message: "Limit")), attempts: 3))
        #expect(failure.code == "LimitExceededException")
        #expect(failure.message == "Limit (HTTP 429, request id rid-1, 3 attempts)")
        #expect(failure.requestId == "rid-1")
        let transport = ConnectChatLauncher.failure(
            AWSCallError(operation: Self.start, reason: .transport(Self.transport(.connect, sent: false)), attempts: 1))
        #expect(transport.message == "curl says no (no HTTP answer, 1 attempt)")
        #expect(transport.code == "transport.connect")
    }

    /// A session token quoted by an InvalidSignatureException never reaches what apply
    /// prints or records.
    @Test func aSessionTokenQuotedByTheServerNeverReachesTheFailure() {
        let body = #"{"message":"The Canonical String for this request should have been\n'PUT\n/contact/chat\n\nhost:h\nx-amz-security-token:IQoJSESSIONTOKENSECRET\n\nhost;x-amz-security-token\nabc'"}"#
        var service = AWSServiceError(
            response: HTTPResponse(
                status: 403, headers: ["X-Amzn-ErrorType": "InvalidSignatureException", "x-amzn-RequestId": "rid-9"],
                body: Array(body.utf8)),
            operation: Self.start)
        service.signingRegion = "eu-west-2"
        service.signingService = "connect"
        let failure = ConnectChatLauncher.failure(AWSCallError(operation: Self.start, reason: .service(service), attempts: 1))
        #expect(failure.kind == .refused)
        for text in [failure.message, failure.hint ?? "", failure.code] {
            #expect(!text.contains("SESSIONTOKENSECRET"), "\(text)")
        }
        #expect(failure.message.contains("x-amz-security-token:(redacted)"))
        #expect(failure.hint?.hasPrefix("the request was signed for service connect in region eu-west-2") == true)
    }

    @Test func aCancellationBeforeTheFirstAttemptIsNotSent() {
        let failure = ConnectChatLauncher.failure(AWSCallError(operation: Self.start, reason: .cancelled, attempts: 0))
        #expect(failure.kind == .notSent)
        #expect(ConnectChatLauncher.cancelled(CancellationError(), attempts: 0).kind == .notSent)
    }

    @Test func aCancellationAfterAnAttemptLeftIsAnUnknownOutcome() {
        let failure = ConnectChatLauncher.failure(AWSCallError(operation: Self.start, reason: .cancelled, attempts: 1))
        #expect(failure.kind == .ambiguous)
        #expect(ConnectChatLauncher.cancelled(CancellationError(), attempts: 2).kind == .ambiguous)
    }

    /// ContactNotFoundException means "the chat has ended" only for StopContact. For a
    /// launch after an attempt that may have created the chat, it proves nothing: unknown.
    @Test func contactNotFoundEndsAStopButLeavesALaunchAfterAnUnknownAttemptPending() {
        let notFound = AWSCallError(
            operation: "StopContact", reason: .service(Self.serviceError(400, "ContactNotFoundException")), attempts: 1)
        #expect(ConnectChatLauncher.failure(notFound).kind == .notFound)
        let launch = AWSCallError(
            operation: Self.start, reason: .service(Self.serviceError(400, "ContactNotFoundException")), attempts: 2,
            anEarlierAttemptMayHaveTakenEffect: true)
        #expect(ConnectChatLauncher.failure(launch).kind == .ambiguous)
    }
}
