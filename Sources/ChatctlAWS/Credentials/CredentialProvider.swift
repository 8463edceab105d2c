/// A source of AWS credentials: the environment, a profile of the shared files, STS, the
/// container endpoint, the instance metadata service, or a ``CredentialChain`` of them.
///
/// Implementations are safe to call from many tasks at once. A provider that is not
/// configured in the current environment throws a ``CredentialsError`` of kind
/// ``CredentialsError/Kind/notConfigured`` so that a chain moves on to the next source;
/// one that is configured but broken throws ``CredentialsError/Kind/failed``.
public protocol CredentialProvider: Sendable {
    /// Returns credentials, fetching or refreshing them when needed.
    ///
    /// - Returns: the credentials; temporary ones carry their expiration.
    /// - Throws: ``CredentialsError`` naming the source and why it gave nothing. The
    ///   error never contains a secret.
    func credentials() async throws(CredentialsError) -> AWSCredentials
}

/// A provider that always returns the same credentials: for tests, and for callers that
/// already hold credentials.
public struct StaticCredentialProvider: CredentialProvider, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: AWSCredentials

    /// Creates a provider that returns `credentials`.
    ///
    /// - Parameter credentials: the credentials to return.
    public init(_ credentials: AWSCredentials) {
        self.value = credentials
    }

    /// Returns the credentials given at creation.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        value
    }

    /// A redacted summary: the masked access key id only.
    public var description: String {
        "StaticCredentialProvider(\(value))"
    }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror holding the credentials, which redact themselves.
    public var customMirror: Mirror { Mirror(self, children: ["credentials": value], displayStyle: .struct) }
}
