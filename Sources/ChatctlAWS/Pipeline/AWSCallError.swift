/// Why an ``AWSServiceClient`` call failed, after its retries.
///
/// ``description`` is one line that never holds a secret, for example
/// `StartChatContact failed after 3 attempts: InternalServiceException: boom (HTTP 500, request id 1a2b) (hint: a temporary failure on the AWS side; try again later)`.
public struct AWSCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The service answered with an error (the last attempt's).
        case service(AWSServiceError)
        /// No response arrived (the last attempt's failure).
        case transport(TransportError)
        /// No credentials to sign with.
        case credentials(CredentialsError)
        /// A 2xx response whose body is not the operation's output.
        case malformedResponse(AWSProtocolError)
        /// No `ClientToken` could be generated (the random generator failed).
        case idempotencyToken(CryptoError)
        /// The calling task was cancelled.
        case cancelled
    }

    /// The operation, for example `StartChatContact`.
    public var operation: String
    /// What went wrong.
    public var reason: Reason
    /// How many attempts were sent (0 when the call failed before sending).
    public var attempts: Int
    /// Why the retry strategy gave up, when it was asked.
    public var stopReason: RetryStopReason?
    /// Whether an attempt other than the one ``reason`` describes may have been acted on by
    /// the service: it got a 5xx, or its transport failed after the request left. Then no
    /// later answer proves that nothing happened.
    public var anEarlierAttemptMayHaveTakenEffect: Bool

    /// Creates an error.
    public init(
        operation: String, reason: Reason, attempts: Int, stopReason: RetryStopReason? = nil,
        anEarlierAttemptMayHaveTakenEffect: Bool = false
    ) {
        self.operation = operation
        self.reason = reason
        self.attempts = attempts
        self.stopReason = stopReason
        self.anEarlierAttemptMayHaveTakenEffect = anEarlierAttemptMayHaveTakenEffect
    }

    /// Whether the service can have acted on the call: nothing the client saw proves that
    /// it refused. A refused connection, an error answer of 4xx, missing credentials or a
    /// cancellation before sending prove it; a 5xx, an answer that is not HTTP, a broken or
    /// timed-out exchange after the request left, or a success answer that does not match
    /// the model do not.
    public var mayHaveTakenEffect: Bool {
        if anEarlierAttemptMayHaveTakenEffect { return true }
        switch reason {
        case .service(let error): return error.httpStatus >= 500
        case .transport(let error): return error.requestMayHaveBeenSent
        case .malformedResponse: return true
        case .credentials, .idempotencyToken: return false
        case .cancelled: return attempts > 0
        }
    }

    /// The service error, when the service answered.
    public var serviceError: AWSServiceError? {
        if case .service(let error) = reason { return error }
        return nil
    }

    /// The transport error, when no response arrived.
    public var transportError: TransportError? {
        if case .transport(let error) = reason { return error }
        return nil
    }

    /// The message without the hint, for example
    /// `StartChatContact failed after 3 attempts: InternalServiceException: boom (HTTP 500)`.
    public var message: String {
        var text = "\(operation) failed"
        if attempts > 1 {
            text += " after \(attempts) attempts"
        }
        if stopReason == .quotaExhausted {
            text += " (the client's retry quota is used up)"
        }
        switch reason {
        case .service(let error):
            text += ": \(error)"
        case .transport(let error):
            text += ": \(error)"
        case .credentials(let error):
            text += ": no credentials: \(error)"
        case .malformedResponse(let error):
            text += ": the answer (HTTP \(error.status)) does not match the model: \(error.detail)"
        case .idempotencyToken(let error):
            text += ": could not generate a ClientToken: \(error)"
        case .cancelled:
            text += ": cancelled"
        }
        return text
    }

    /// A hint on the cause and fix, lowercase with no trailing period, when there is one.
    public var hint: String? {
        switch reason {
        case .service(let error):
            return error.hint
        case .transport(let error):
            return error.hint
        case .credentials:
            return "see docs/credentials.md for the sources chatctl reads, in order"
        case .malformedResponse:
            return "the endpoint may not be the AWS service: check --endpoint-url, and run with --verbose to see the response"
        case .idempotencyToken, .cancelled:
            return nil
        }
    }

    /// ``message``, then ` (hint: …)` when there is a hint.
    public var description: String {
        guard let hint else { return message }
        return "\(message) (hint: \(hint))"
    }
}
