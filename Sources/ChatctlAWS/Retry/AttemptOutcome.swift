/// How one attempt of a call failed, as the retry strategy needs to know it.
public enum AttemptOutcome: Sendable, Equatable {
    /// The service answered with an error response.
    case serviceError(AWSServiceError)
    /// No response arrived: the transport failed.
    case transportFailure(TransportFailureKind)
}

/// The classes of transport failure the retry strategy tells apart. The transport maps
/// its own errors (curl's codes) onto these.
public enum TransportFailureKind: Sendable, Equatable {
    /// The connect or total timeout fired. Retryable; costs 10 quota tokens.
    case timeout
    /// The connection could not be made or broke: DNS failure, refused, reset, closed early.
    /// Retryable; costs 5 quota tokens.
    case connection
    /// A failure that repeating cannot fix, such as a TLS certificate that does not verify
    /// or a malformed URL. Not retried.
    case permanent
}
