/// One GET or PUT to a credential endpoint (container or instance metadata), retried on
/// transient failures: transport errors other than TLS and unusable requests, and 5xx
/// answers.
struct CredentialEndpointRequest: Sendable {
    var transport: any HTTPTransport
    var timeouts: HTTPTimeouts
    /// Attempts, the first included.
    var attempts: Int
    /// The first retry's delay in seconds; it doubles each time.
    var retryDelay: Double

    /// Sends `request` until it gets a non-5xx answer or the attempts run out.
    ///
    /// - Returns: the last response, or the last transport error.
    func send(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportError> {
        var attempt = 1
        while true {
            let result: Result<HTTPResponse, TransportError>
            do {
                result = .success(try await transport.send(request, timeouts: timeouts))
            } catch {
                result = .failure(error)
            }
            let retryable: Bool
            switch result {
            case .success(let response): retryable = response.status >= 500
            case .failure(let error): retryable = error.kind != .tls && error.kind != .invalidRequest
            }
            guard retryable, attempt < attempts else { return result }
            try? await Task.sleep(nanoseconds: UInt64(retryDelay * Double(1 << (attempt - 1)) * 1e9))
            attempt += 1
        }
    }
}
