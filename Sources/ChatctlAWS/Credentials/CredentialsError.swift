/// Why a credential source gave no credentials. Messages are lowercase with no trailing
/// period, and never contain a secret: not a key, a token, a web identity token, nor the
/// output of a `credential_process`.
///
/// A ``CredentialChain`` moves past sources that throw ``Kind/notConfigured``, stops at the
/// first that throws ``Kind/failed`` (a configured source that is broken: falling back to
/// another identity would be a surprise), and when every source is unconfigured throws one
/// ``Kind/noneFound`` error listing each source and its reason in ``attempts``.
public struct CredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// How a chain treats the error.
    public enum Kind: Sendable, Equatable {
        /// The source is not set up here (a variable or file is missing): try the next one.
        case notConfigured
        /// The source is set up but did not work (malformed file, failed command, STS or
        /// endpoint refused): stop.
        case failed
        /// No source of a chain gave credentials; ``CredentialsError/attempts`` says why.
        case noneFound
    }

    /// How a chain treats the error.
    public var kind: Kind
    /// The source, for example `environment` or `EC2 instance metadata (IMDSv2)`; empty
    /// for ``Kind/noneFound``.
    public var source: String
    /// Why it gave nothing, for example `AWS_ACCESS_KEY_ID not set`.
    public var reason: String
    /// For ``Kind/noneFound``: each source tried, in order, with its own error.
    public var attempts: [CredentialsError]

    /// Creates an error; prefer the static factories.
    ///
    /// - Parameters:
    ///   - kind: how a chain treats it.
    ///   - source: the source's name.
    ///   - reason: why it gave nothing; must not contain a secret.
    ///   - attempts: the per-source errors of a ``Kind/noneFound`` error.
    public init(kind: Kind, source: String, reason: String, attempts: [CredentialsError] = []) {
        self.kind = kind
        self.source = source
        self.reason = reason
        self.attempts = attempts
    }

    /// The source is not set up here; a chain tries the next one.
    ///
    /// - Parameters:
    ///   - source: the source's name.
    ///   - reason: what is missing, for example `AWS_ACCESS_KEY_ID not set`.
    public static func notConfigured(_ source: String, _ reason: String) -> CredentialsError {
        CredentialsError(kind: .notConfigured, source: source, reason: reason)
    }

    /// The source is set up but did not work; a chain stops here.
    ///
    /// - Parameters:
    ///   - source: the source's name.
    ///   - reason: what went wrong; must not contain a secret.
    public static func failed(_ source: String, _ reason: String) -> CredentialsError {
        CredentialsError(kind: .failed, source: source, reason: reason)
    }

    /// No source of a chain gave credentials.
    ///
    /// - Parameter attempts: each source's error, in the order they were tried.
    public static func noneFound(_ attempts: [CredentialsError]) -> CredentialsError {
        CredentialsError(kind: .noneFound, source: "", reason: "no AWS credentials found", attempts: attempts)
    }

    /// The same error attributed to another source, for a source nested in another (the
    /// profile's `source_profile`, `credential_source`).
    func relabelled(_ source: String) -> CredentialsError {
        CredentialsError(kind: kind, source: source, reason: self.source.isEmpty ? reason : "\(self.source): \(reason)")
    }

    /// The message, for example `environment: AWS_ACCESS_KEY_ID not set`, or for a chain
    /// `no AWS credentials found: environment: AWS_ACCESS_KEY_ID not set; shared config and
    /// credentials files (profile default): …; …`.
    public var description: String {
        switch kind {
        case .noneFound:
            guard !attempts.isEmpty else { return reason }
            return "\(reason): " + attempts.map(\.description).joined(separator: "; ")
        case .notConfigured, .failed:
            return source.isEmpty ? reason : "\(source): \(reason)"
        }
    }
}
