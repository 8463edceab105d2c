import ChatctlAWS
import Foundation
import Testing

/// Profiles of real files in a temporary home folder; STS is the fake server on loopback,
/// reached through CurlTransport, and checks every AssumeRole signature.
@Suite struct ProfileCredentialProviderTests {
    static let baseRole = "arn:aws:iam::123456789012:role/base"
    static let chainedRole = "arn:aws:iam::123456789012:role/chained"
    static let webRole = "arn:aws:iam::123456789012:role/web"
    static let deniedRole = "arn:aws:iam::123456789012:role/denied"

    private func server() throws -> FakeCredentialsServer {
        try FakeCredentialsServer([
            "sts": [
                "keys": ["AKIDSOURCE": ["secret": "source-secret"], "AKIDENVIRONMENT": ["secret": "env-secret"]],
                "region": "eu-west-2",
                "web_identity_token": "profile-oidc-token",
                "roles": [
                    Self.baseRole: fakeRoleCredentials("ASIABASE", secret: "base-secret", token: "base-token"),
                    Self.chainedRole: fakeRoleCredentials("ASIACHAINED", secret: "chained-secret", token: "chained-token"),
                    Self.webRole: fakeRoleCredentials("ASIAWEB", secret: "web-secret", token: "web-token"),
                ],
                "failures": [Self.deniedRole: ["status": 403, "code": "AccessDenied", "message": "explicit deny"]],
            ]
        ])
    }

    private func setup(_ server: FakeCredentialsServer?, config: String = "", credentials: String? = nil) throws
        -> CredentialTestSetup
    {
        var setup = try CredentialTestSetup()
        if let server { setup.environment["AWS_ENDPOINT_URL_STS"] = server.url }
        try setup.writeConfig(config)
        if let credentials { try setup.writeCredentials(credentials) }
        return setup
    }

    private static let sourceProfiles = """
        [profile source]
        aws_access_key_id = AKIDSOURCE
        aws_secret_access_key = source-secret
        region = eu-west-2
        """

    @Test func readsStaticKeysFromTheCredentialsFile() async throws {
        let setup = try setup(
            nil, config: "[profile dev]\nregion = us-east-1\n",
            credentials: "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n")
        let credentials = try await ProfileCredentialProvider(context: setup.context(profile: "dev")).credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDDEV", secretAccessKey: "dev-secret", sessionToken: "dev-token"))
    }

    @Test func runsTheProfilesCredentialProcess() async throws {
        var setup = try setup(nil)
        let script = try setup.home.write(
            "bin/creds.sh", #"printf '{"Version":1,"AccessKeyId":"ASIAPROCESS","SecretAccessKey":"%s","SessionToken":"t"}' "$SECRET_FOR_TEST""#)
        setup.environment["SECRET_FOR_TEST"] = "process-secret"
        setup.environment["AWS_PROFILE"] = "tool"
        try setup.writeConfig("[profile tool]\ncredential_process = sh \"\(script)\"\n")
        let credentials = try await ProfileCredentialProvider(context: setup.context()).credentials()
        #expect(credentials.accessKeyId == "ASIAPROCESS")
        #expect(credentials.secretAccessKey == "process-secret")
    }

    @Test func assumesARoleWithTheSourceProfilesSignedCredentials() async throws {
        let server = try server()
        let setup = try setup(
            server,
            config: """
                [profile app]
                role_arn = \(Self.baseRole)
                source_profile = source
                role_session_name = chatctl-ci
                external_id = ext-1234
                duration_seconds = 1800
                region = eu-west-2
                \(Self.sourceProfiles)
                """)
        let credentials = try await ProfileCredentialProvider(context: setup.context(profile: "app")).credentials()
        #expect(
            credentials
                == AWSCredentials(
                    accessKeyId: "ASIABASE", secretAccessKey: "base-secret", sessionToken: "base-token",
                    expiration: Date(timeIntervalSince1970: 1_767_229_200)))
        let log = try await server.log(service: "sts")
        #expect(log.count == 1)
        let entry = try #require(log.first)
        #expect(entry["signature"] as? String == "valid")
        #expect(entry["signing_region"] as? String == "eu-west-2")
        #expect(entry["access_key"] as? String == "AKIDSOURCE")
        #expect(
            entry["form"] as? [String: String]
                == [
                    "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": Self.baseRole, "RoleSessionName": "chatctl-ci",
                    "ExternalId": "ext-1234", "DurationSeconds": "1800",
                ])
    }

    @Test func chainsRolesThroughSourceProfiles() async throws {
        let server = try server()
        let setup = try setup(
            server,
            config: """
                [profile top]
                role_arn = \(Self.chainedRole)
                source_profile = middle
                region = eu-west-2
                [profile middle]
                role_arn = \(Self.baseRole)
                source_profile = source
                \(Self.sourceProfiles)
                """)
        let credentials = try await ProfileCredentialProvider(context: setup.context(profile: "top")).credentials()
        #expect(credentials.accessKeyId == "ASIACHAINED")
        let log = try await server.log(service: "sts")
        #expect(log.compactMap { $0["access_key"] as? String } == ["AKIDSOURCE", "ASIABASE"])
        #expect(log.allSatisfy { $0["signature"] as? String == "valid" })
        #expect((log.last?["headers"] as? [String: String])?["X-Amz-Security-Token"] == "base-token")
        #expect(log.compactMap { ($0["form"] as? [String: String])?["RoleSessionName"] } == ["chatctl-1767225600", "chatctl-1767225600"])
    }

    @Test func usesStaticKeysOfASourceProfileThatAlsoNamesARole() async throws {
        let server = try server()
        let setup = try setup(
            server,
            config: """
                [profile app]
                role_arn = \(Self.baseRole)
                source_profile = app
                aws_access_key_id = AKIDSOURCE
                aws_secret_access_key = source-secret
                region = eu-west-2
                """)
        #expect(try await ProfileCredentialProvider(context: setup.context(profile: "app")).credentials().accessKeyId == "ASIABASE")
        #expect(try await server.log(service: "sts").first?["access_key"] as? String == "AKIDSOURCE")
    }

    @Test func assumesARoleWithAWebIdentityTokenFile() async throws {
        let server = try server()
        var setup = try setup(server)
        try setup.home.write("tokens/oidc", "profile-oidc-token")
        setup.environment["AWS_REGION"] = "eu-west-2"
        try setup.writeConfig("[default]\nrole_arn = \(Self.webRole)\nweb_identity_token_file = ~/tokens/oidc\nrole_session_name = web\n")
        let credentials = try await ProfileCredentialProvider(context: setup.context()).credentials()
        #expect(credentials.accessKeyId == "ASIAWEB")
        let form = try #require(try await server.log(service: "sts").first?["form"] as? [String: String])
        #expect(form["Action"] == "AssumeRoleWithWebIdentity")
        #expect(form["RoleSessionName"] == "web")
    }

    @Test func assumesARoleFromTheEnvironmentCredentialSource() async throws {
        let server = try server()
        var setup = try setup(server, config: "[default]\nrole_arn = \(Self.baseRole)\ncredential_source = Environment\nregion = eu-west-2\n")
        setup.environment["AWS_ACCESS_KEY_ID"] = "AKIDENVIRONMENT"
        setup.environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
        #expect(try await ProfileCredentialProvider(context: setup.context()).credentials().accessKeyId == "ASIABASE")
        #expect(try await server.log(service: "sts").first?["signature"] as? String == "valid")
    }

    @Test func reportsSTSRefusals() async throws {
        let server = try server()
        let setup = try setup(
            server, config: "[profile app]\nrole_arn = \(Self.deniedRole)\nsource_profile = source\nregion = eu-west-2\n\(Self.sourceProfiles)\n")
        let error = await credentialsError(ProfileCredentialProvider(context: try setup.context(profile: "app")))
        #expect(
            error
                == .failed(
                    "shared config and credentials files (profile app)",
                    "STS AssumeRole failed with HTTP 403: AccessDenied: explicit deny (request id fake-request-id)"))
    }

    struct FailureCase: CustomTestStringConvertible, Sendable {
        var name: String
        var config: String
        var profile: String?
        var kind: CredentialsError.Kind = .failed
        var reason: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        FailureCase(
            name: "loop", config: "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = c\n[profile c]\nrole_arn = r\nsource_profile = a\n",
            profile: "a", reason: "source_profile loop: a -> b -> c -> a"),
        FailureCase(
            name: "missing source", config: "[profile a]\nrole_arn = r\nsource_profile = nowhere\n", profile: "a",
            reason: "profile a names source_profile nowhere, which does not exist"),
        FailureCase(
            name: "self without keys", config: "[profile a]\nrole_arn = r\nsource_profile = a\n", profile: "a",
            reason: "profile a is its own source_profile but has no aws_access_key_id and aws_secret_access_key"),
        FailureCase(
            name: "role without source", config: "[profile a]\nrole_arn = r\n", profile: "a",
            reason: "profile a sets role_arn without source_profile, credential_source or web_identity_token_file"),
        FailureCase(
            name: "both sources", config: "[profile a]\nrole_arn = r\nsource_profile = b\ncredential_source = Environment\n",
            profile: "a", reason: "profile a sets both source_profile and credential_source"),
        FailureCase(
            name: "unknown credential source", config: "[profile a]\nrole_arn = r\ncredential_source = Laptop\n", profile: "a",
            reason: "profile a has credential_source Laptop; expected Environment, Ec2InstanceMetadata or EcsContainer"),
        FailureCase(
            name: "credential source gives nothing", config: "[profile a]\nrole_arn = r\ncredential_source = Environment\n",
            profile: "a", reason: "credential_source Environment of profile a: environment: AWS_ACCESS_KEY_ID not set"),
        FailureCase(
            name: "bad duration", config: "[profile a]\nrole_arn = r\nsource_profile = a\nduration_seconds = 60\n", profile: "a",
            reason: "profile a has duration_seconds \"60\"; expected 900 to 43200"),
        FailureCase(
            name: "mfa", config: "[profile a]\nrole_arn = r\nsource_profile = b\nmfa_serial = arn:aws:iam::1:mfa/me\n", profile: "a",
            reason: "profile a sets mfa_serial, which needs an MFA code that chatctl does not prompt for"),
        FailureCase(
            name: "partial keys", config: "[profile a]\naws_access_key_id = AKID\n", profile: "a",
            reason: "profile a sets aws_access_key_id without aws_secret_access_key"),
        FailureCase(
            name: "source without credentials", config: "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n",
            profile: "a", reason: "source profile b has no credentials (none of aws_access_key_id, credential_process, role_arn)"),
        FailureCase(
            name: "sso", config: "[profile a]\nsso_session = corp\nsso_account_id = 1\n", profile: "a",
            reason: "profile a uses IAM Identity Center (sso_*), which chatctl does not support; use credential_process = aws configure export-credentials --profile a --format process"),
        FailureCase(
            name: "named profile missing", config: "[profile other]\n", profile: "ghost",
            reason: "profile ghost (from --aws-profile) not found: ~/.aws/config: no profile ghost, ~/.aws/credentials: no such file"),
        FailureCase(
            name: "profile without credentials", config: "[default]\nregion = us-east-1\n", kind: .notConfigured,
            reason: "profile default has no credentials (none of aws_access_key_id, credential_process, role_arn)"),
        FailureCase(
            name: "no default profile", config: "[profile other]\n", kind: .notConfigured,
            reason: "~/.aws/config: no profile default, ~/.aws/credentials: no such file"),
    ])
    func explainsIncompleteOrBrokenProfiles(_ testCase: FailureCase) async throws {
        let setup = try setup(nil, config: testCase.config)
        let context = try setup.context(profile: testCase.profile)
        let error = await credentialsError(ProfileCredentialProvider(context: context))
        let name = testCase.profile ?? "default"
        #expect(error == CredentialsError(kind: testCase.kind, source: "shared config and credentials files (profile \(name))", reason: testCase.reason))
    }

    @Test func namesTheVariableThatChoseAMissingProfile() async throws {
        var setup = try setup(nil)
        setup.environment["AWS_PROFILE"] = "ghost"
        let error = await credentialsError(ProfileCredentialProvider(context: try setup.context()))
        #expect(error?.reason == "profile ghost (from AWS_PROFILE) not found: ~/.aws/config: no profile ghost, ~/.aws/credentials: no such file")
    }
}
