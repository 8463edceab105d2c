internal import Foundation

/// Credentials from environment variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN` (or the older `AWS_SECURITY_TOKEN`), and the optional
/// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601).
///
/// Not configured when `AWS_ACCESS_KEY_ID` is unset or empty; failed when it is set
/// without `AWS_SECRET_ACCESS_KEY`, or the expiration is not a timestamp.
public struct EnvironmentCredentialProvider: CredentialProvider, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The source's name in errors.
    public static let sourceName = "environment"

    private let environment: [String: String]

    /// Creates a provider over an environment.
    ///
    /// - Parameter environment: the process environment.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Reads the credentials from the environment.
    ///
    /// - Returns: the credentials.
    /// - Throws: ``CredentialsError``: not configured without `AWS_ACCESS_KEY_ID`; failed
    ///   for a missing secret key or a malformed expiration.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        try read()
    }

    /// The synchronous work of ``credentials()``.
    func read() throws(CredentialsError) -> AWSCredentials {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
            return text
        }
        guard let accessKeyId = value("AWS_ACCESS_KEY_ID") else {
            return try notSet()
        }
        guard let secretAccessKey = value("AWS_SECRET_ACCESS_KEY") else {
            throw .failed(Self.sourceName, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        var expiration: Date?
        if let text = value("AWS_CREDENTIAL_EXPIRATION") {
            guard let date = ISO8601Timestamp.parse(text) else {
                throw .failed(Self.sourceName, "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 timestamp")
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
            sessionToken: value("AWS_SESSION_TOKEN") ?? value("AWS_SECURITY_TOKEN"), expiration: expiration)
    }

    private func notSet() throws(CredentialsError) -> AWSCredentials {
        if environment["AWS_SECRET_ACCESS_KEY"]?.isEmpty == false {
            throw .notConfigured(Self.sourceName, "AWS_ACCESS_KEY_ID not set (AWS_SECRET_ACCESS_KEY is set alone)")
        }
        throw .notConfigured(Self.sourceName, "AWS_ACCESS_KEY_ID not set")
    }

    /// A summary without any value from the environment.
    public var description: String {
        "EnvironmentCredentialProvider()"
    }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children: the environment holds secrets.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}
