/// One GET or PUT to a credential endpoint (container or instance metadata), sent through
/// the shared attempt loop (``AWSServiceClient``) without authentication: transport errors
/// other than TLS and unusable requests, 5xx answers and throttles are retried, with full
/// jitter on a short base delay.
struct CredentialEndpointRequest: Sendable {
    var transport: any HTTPTransport
    var timeouts: HTTPTimeouts
    /// Attempts, the first included.
    var attempts: Int
    /// The backoff base in seconds; it doubles each attempt (before jitter).
    var retryDelay: Double

    /// The request as an operation whose output is the whole response.
    private struct Fetch: AWSOperation {
        static var operationName: String { "credential endpoint request" }
        var request: HTTPRequest

        func httpRequest(endpoint: ServiceEndpoint) -> HTTPRequest { request }

        static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> HTTPResponse { response }

    }

    /// Keeps the last response, so that an error answer reaches the caller whole (the
    /// container endpoint's JSON `code` and `message`).
    private final class LastResponse: AWSAttemptObserver {
        private let response = Locked<HTTPResponse?>(nil)

        var value: HTTPResponse? { response.withLock { $0 } }

        func attemptDidFinish(_ report: AWSAttemptReport) {
            response.withLock { $0 = report.response }
        }
    }

    /// Sends `request` until it gets an answer that is not retried or the attempts run out.
    ///
    /// - Returns: the last response (whatever its status), or the last transport error.
    func send(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportError> {
        let last = LastResponse()
        let service = AWSServiceClient(
            region: "", endpoint: ServiceEndpoint(scheme: request.scheme, authority: request.authority),
            transport: transport,
            retryStrategy: RetryStrategy(configuration: .init(maxAttempts: attempts, baseDelay: retryDelay)),
            timeouts: timeouts, observer: last)
        do {
            return .success(try await service.send(Fetch(request: request), authentication: .none))
        } catch {
            switch error.reason {
            case .service(let answer):
                return .success(last.value ?? HTTPResponse(status: answer.httpStatus))
            case .transport(let failure):
                return .failure(failure)
            case .malformedResponse, .credentials, .idempotencyToken, .cancelled:
                return .failure(TransportError(kind: .other, message: error.message, url: request.urlString))
            }
        }
    }
}
