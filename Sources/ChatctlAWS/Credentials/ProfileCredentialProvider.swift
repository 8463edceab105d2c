internal import Foundation

/// Credentials from the chosen profile of the shared config and credentials files
/// ([Shared config and credentials files](https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html)).
///
/// The profile's merged settings are read, the first that applies wins:
///
/// 1. `role_arn` (ignored in a profile used as another's `source_profile` when that
///    profile has static keys, as the SDKs do):
///    - with `web_identity_token_file`: STS `AssumeRoleWithWebIdentity`;
///    - with `source_profile`: that profile's credentials (resolved the same way,
///      recursively, with loops reported), then STS `AssumeRole` signed with them;
///    - with `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`):
///      those credentials, then `AssumeRole`.
///
///    `role_session_name`, `external_id` and `duration_seconds` are sent when set.
/// 2. `aws_access_key_id` and `aws_secret_access_key` (with `aws_session_token`).
/// 3. `credential_process`: see ``ProcessCredentialProvider``.
///
/// Not configured when the files or the `default` profile do not exist, or the profile has
/// no credential settings; failed when a profile chosen by name does not exist, or its
/// settings are incomplete or do not work. `mfa_serial` and IAM Identity Center (`sso_*`)
/// profiles are reported as unsupported: they need interactive steps.
public struct ProfileCredentialProvider: CredentialProvider, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let context: CredentialContext

    /// Creates a provider.
    ///
    /// - Parameter context: the environment, the shared files with the chosen profile,
    ///   the transport (for STS), the region and the clock.
    public init(context: CredentialContext) {
        self.context = context
    }

    /// The source's name in errors, for example
    /// `shared config and credentials files (profile dev)`.
    public var sourceName: String {
        "shared config and credentials files (profile \(context.configuration.profileName))"
    }

    /// Resolves the chosen profile's credentials.
    ///
    /// - Returns: the credentials.
    /// - Throws: ``CredentialsError`` as the type's summary describes.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        let configuration = context.configuration
        let name = configuration.profileName
        guard let profile = configuration.profile(named: name) else {
            let files = [configuration.configFile, configuration.credentialsFile].map { file in
                file.contents == nil ? "\(file.displayPath): no such file" : "\(file.displayPath): no profile \(name)"
            }
            switch configuration.profileSource {
            case .defaultProfile:
                throw .notConfigured(sourceName, files.joined(separator: ", "))
            case .flag:
                throw .failed(sourceName, "profile \(name) (from --aws-profile) not found: \(files.joined(separator: ", "))")
            case .environment(let variable):
                throw .failed(sourceName, "profile \(name) (from \(variable)) not found: \(files.joined(separator: ", "))")
            }
        }
        return try await resolve(profile, chain: [], isSource: false)
    }

    // MARK: - Resolution

    private static func hasStaticKeys(_ profile: SharedConfigSection) -> Bool {
        profile["aws_access_key_id"] != nil && profile["aws_secret_access_key"] != nil
    }

    private static let credentialKeys = ["aws_access_key_id", "credential_process", "role_arn"]

    /// The credentials of `profile`.
    ///
    /// - Parameters:
    ///   - profile: the profile's merged settings.
    ///   - chain: the profiles that led here through `source_profile`, outermost first.
    ///   - isSource: whether `profile` is another profile's `source_profile`.
    private func resolve(
        _ profile: SharedConfigSection, chain: [String], isSource: Bool
    ) async throws(CredentialsError) -> AWSCredentials {
        let label = isSource ? "source profile \(profile.name)" : "profile \(profile.name)"
        if let roleARN = profile["role_arn"]?.trimmingASCIIWhitespace(), !(isSource && Self.hasStaticKeys(profile)) {
            return try await assumeRole(roleARN, profile: profile, chain: chain, label: label)
        }
        if profile["sso_session"] != nil || profile["sso_start_url"] != nil || profile["sso_account_id"] != nil {
            throw .failed(
                sourceName,
                "\(label) uses IAM Identity Center (sso_*), which chatctl does not support; use "
                    + "credential_process = aws configure export-credentials --profile \(profile.name) --format process")
        }
        let keyId = profile["aws_access_key_id"]?.trimmingASCIIWhitespace()
        let secret = profile["aws_secret_access_key"]?.trimmingASCIIWhitespace()
        switch (keyId, secret) {
        case (let keyId?, let secret?):
            return AWSCredentials(
                accessKeyId: keyId, secretAccessKey: secret,
                sessionToken: (profile["aws_session_token"] ?? profile["aws_security_token"])?.trimmingASCIIWhitespace())
        case (.some, nil):
            throw .failed(sourceName, "\(label) sets aws_access_key_id without aws_secret_access_key")
        case (nil, .some):
            throw .failed(sourceName, "\(label) sets aws_secret_access_key without aws_access_key_id")
        case (nil, nil):
            break
        }
        if let command = profile["credential_process"] {
            return try await ProcessCredentialProvider(
                command: command, environment: context.environment, timeout: context.processTimeout, source: sourceName
            ).credentials()
        }
        let reason = "\(label) has no credentials (none of \(Self.credentialKeys.joined(separator: ", ")))"
        if isSource || !chain.isEmpty {
            throw .failed(sourceName, reason)
        }
        throw .notConfigured(sourceName, reason)
    }

    private func assumeRole(
        _ roleARN: String, profile: SharedConfigSection, chain: [String], label: String
    ) async throws(CredentialsError) -> AWSCredentials {
        if profile["mfa_serial"] != nil {
            throw .failed(sourceName, "\(label) sets mfa_serial, which needs an MFA code that chatctl does not prompt for")
        }
        let sessionName = profile["role_session_name"]?.trimmingASCIIWhitespace()
        let duration = try durationSeconds(profile, label: label)
        if let tokenFile = profile["web_identity_token_file"]?.trimmingASCIIWhitespace() {
            return try await WebIdentityCredentialProvider(
                context: context, tokenFile: context.configuration.expandingHome(tokenFile), roleARN: roleARN,
                sessionName: sessionName, durationSeconds: duration, source: sourceName
            ).credentials()
        }
        let sourceProfileName = profile["source_profile"]?.trimmingASCIIWhitespace()
        let credentialSource = profile["credential_source"]?.trimmingASCIIWhitespace()
        let sourceCredentials: AWSCredentials
        switch (sourceProfileName, credentialSource) {
        case (.some, .some):
            throw .failed(sourceName, "\(label) sets both source_profile and credential_source")
        case (nil, nil):
            throw .failed(
                sourceName, "\(label) sets role_arn without source_profile, credential_source or web_identity_token_file")
        case (let sourceProfileName?, nil):
            sourceCredentials = try await credentials(ofSourceProfile: sourceProfileName, of: profile, chain: chain, label: label)
        case (nil, let credentialSource?):
            sourceCredentials = try await credentials(ofCredentialSource: credentialSource, label: label)
        }
        let sts = try context.stsClient(source: sourceName)
        return try await sts.assumeRole(
            roleARN: roleARN, sessionName: sessionName ?? context.defaultSessionName(),
            externalID: profile["external_id"]?.trimmingASCIIWhitespace(), durationSeconds: duration,
            credentials: sourceCredentials, source: sourceName)
    }

    private func credentials(
        ofSourceProfile name: String, of profile: SharedConfigSection, chain: [String], label: String
    ) async throws(CredentialsError) -> AWSCredentials {
        if name == profile.name {
            guard Self.hasStaticKeys(profile) else {
                throw .failed(sourceName, "\(label) is its own source_profile but has no aws_access_key_id and aws_secret_access_key")
            }
            return try await resolve(profile, chain: chain + [profile.name], isSource: true)
        }
        let path = chain + [profile.name]
        if path.contains(name) {
            throw .failed(sourceName, "source_profile loop: \((path + [name]).joined(separator: " -> "))")
        }
        guard let source = context.configuration.profile(named: name) else {
            throw .failed(sourceName, "\(label) names source_profile \(name), which does not exist")
        }
        return try await resolve(source, chain: path, isSource: true)
    }

    private func credentials(ofCredentialSource name: String, label: String) async throws(CredentialsError) -> AWSCredentials {
        let provider: any CredentialProvider
        switch name {
        case "Environment":
            provider = EnvironmentCredentialProvider(environment: context.environment)
        case "Ec2InstanceMetadata":
            provider = InstanceMetadataCredentialProvider(
                environment: context.environment, configuration: context.configuration, transport: context.transport)
        case "EcsContainer":
            provider = ContainerCredentialProvider(environment: context.environment, transport: context.transport)
        default:
            throw .failed(
                sourceName, "\(label) has credential_source \(name); expected Environment, Ec2InstanceMetadata or EcsContainer")
        }
        do {
            return try await provider.credentials()
        } catch {
            throw CredentialsError(
                kind: .failed, source: sourceName, reason: "credential_source \(name) of \(label): \(error.description)")
        }
    }

    private func durationSeconds(_ profile: SharedConfigSection, label: String) throws(CredentialsError) -> Int? {
        guard let text = profile["duration_seconds"]?.trimmingASCIIWhitespace() else { return nil }
        guard let value = Int(text), (900...43_200).contains(value) else {
            throw .failed(sourceName, "\(label) has duration_seconds \"\(text)\"; expected 900 to 43200")
        }
        return value
    }

    /// Names the profile only.
    public var description: String { "ProfileCredentialProvider(\(context.configuration.profileName))" }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror that shows only the profile name.
    public var customMirror: Mirror {
        Mirror(self, children: ["profile": context.configuration.profileName], displayStyle: .struct)
    }
}
