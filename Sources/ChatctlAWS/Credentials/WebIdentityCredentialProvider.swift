internal import Foundation

/// Credentials from STS `AssumeRoleWithWebIdentity`, with an OIDC token read from a file:
/// what GitHub Actions OIDC, EKS IRSA and similar federations use.
///
/// From the environment (``init(context:)``): `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`
/// and the optional `AWS_ROLE_SESSION_NAME`. A profile with `role_arn` and
/// `web_identity_token_file` uses the same exchange. The token file is read again on every
/// call, since the issuer rotates it. The request is not signed: the token is the proof.
public struct WebIdentityCredentialProvider: CredentialProvider, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The source's name in errors, for the environment flavour.
    public static let sourceName = "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)"

    private enum Settings: Sendable {
        case environment
        case explicit(tokenFile: String, roleARN: String, sessionName: String?, durationSeconds: Int?, source: String)
    }

    private let context: CredentialContext
    private let settings: Settings

    /// Creates a provider that reads `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
    /// `AWS_ROLE_SESSION_NAME` from the context's environment.
    ///
    /// - Parameter context: the environment, files, transport, region and clock.
    public init(context: CredentialContext) {
        self.context = context
        self.settings = .environment
    }

    /// Creates a provider with explicit settings (a profile's).
    init(
        context: CredentialContext, tokenFile: String, roleARN: String, sessionName: String?, durationSeconds: Int?,
        source: String
    ) {
        self.context = context
        self.settings = .explicit(
            tokenFile: tokenFile, roleARN: roleARN, sessionName: sessionName, durationSeconds: durationSeconds, source: source)
    }

    /// Reads the token and exchanges it for the role's credentials.
    ///
    /// - Returns: temporary credentials with their expiration.
    /// - Throws: ``CredentialsError``: not configured without `AWS_WEB_IDENTITY_TOKEN_FILE`;
    ///   failed without `AWS_ROLE_ARN`, for an unreadable or empty token file, or when STS
    ///   refuses (for example `InvalidIdentityToken`, `AccessDenied`).
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        let tokenFile: String
        let roleARN: String
        let sessionName: String?
        let durationSeconds: Int?
        let source: String
        switch settings {
        case .environment:
            source = Self.sourceName
            func value(_ name: String) -> String? {
                guard let text = context.environment[name]?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
                return text
            }
            guard let file = value("AWS_WEB_IDENTITY_TOKEN_FILE") else {
                if value("AWS_ROLE_ARN") != nil {
                    throw .notConfigured(source, "AWS_WEB_IDENTITY_TOKEN_FILE not set (AWS_ROLE_ARN is set alone)")
                }
                throw .notConfigured(source, "AWS_WEB_IDENTITY_TOKEN_FILE not set")
            }
            guard let role = value("AWS_ROLE_ARN") else {
                throw .failed(source, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
            }
            (tokenFile, roleARN, sessionName, durationSeconds) = (
                context.configuration.expandingHome(file), role, value("AWS_ROLE_SESSION_NAME"), nil
            )
        case .explicit(let file, let role, let name, let duration, let explicitSource):
            (tokenFile, roleARN, sessionName, durationSeconds, source) = (file, role, name, duration, explicitSource)
        }
        let token = try Self.readToken(tokenFile, configuration: context.configuration, source: source)
        let sts = try context.stsClient(source: source)
        return try await sts.assumeRoleWithWebIdentity(
            roleARN: roleARN, sessionName: sessionName ?? context.defaultSessionName(), token: token,
            durationSeconds: durationSeconds, source: source)
    }

    /// The token in `path`, trimmed; never shown in errors.
    static func readToken(_ path: String, configuration: SharedConfiguration, source: String) throws(CredentialsError) -> String {
        let shown = configuration.displayPath(path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .failed(source, "cannot read the web identity token file \(shown): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .failed(source, "cannot read the web identity token file \(shown): permission denied or not a file")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingASCIIWhitespace()
        guard !token.isEmpty else {
            throw .failed(source, "the web identity token file \(shown) is empty")
        }
        return token
    }

    /// A summary without the token or the environment.
    public var description: String {
        switch settings {
        case .environment: "WebIdentityCredentialProvider(environment)"
        case .explicit(_, let roleARN, _, _, _): "WebIdentityCredentialProvider(\(roleARN))"
        }
    }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror that shows only ``description``.
    public var customMirror: Mirror {
        Mirror(self, children: ["summary": description], displayStyle: .struct)
    }
}
