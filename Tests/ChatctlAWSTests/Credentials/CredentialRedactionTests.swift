import ChatctlAWS
import Foundation
import Testing

/// Every secret that passes through the sources must stay out of every description, dump
/// and error message.
@Suite struct CredentialRedactionTests {
    static let secrets = [
        "RED-ENV-SECRET", "RED-ENV-TOKEN", "RED-FILE-SECRET", "RED-FILE-TOKEN", "RED-PROCESS-SECRET", "RED-PROCESS-ARG",
        "RED-OIDC-TOKEN", "RED-CONTAINER-AUTH", "RED-ROLE-SECRET", "RED-ROLE-TOKEN", "RED-IMDS-SECRET", "RED-IMDS-TOKEN",
        "RED-CONTAINER-SECRET",
    ]

    /// Every way a value can be turned into text.
    private func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    private func expectNoSecret(_ value: Any, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in renderings(value) {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "\(secret) appears in: \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    private static let role = "arn:aws:iam::123456789012:role/redaction"

    private func server() throws -> FakeCredentialsServer {
        try FakeCredentialsServer([
            "sts": [
                "keys": ["AKIDFILE": ["secret": "RED-FILE-SECRET", "token": "RED-FILE-TOKEN"]],
                "web_identity_token": "RED-OIDC-TOKEN",
                "roles": [Self.role: fakeRoleCredentials("ASIAROLE", secret: "RED-ROLE-SECRET", token: "RED-ROLE-TOKEN")],
            ],
            "container": [
                "path": "/creds", "authorization": "RED-CONTAINER-AUTH",
                "credentials": ["AccessKeyId": "ASIACONT", "SecretAccessKey": "RED-CONTAINER-SECRET", "Token": "RED-ROLE-TOKEN"],
            ],
            "imds": ["credentials": ["AccessKeyId": "ASIAIMDS", "SecretAccessKey": "RED-IMDS-SECRET", "Token": "RED-IMDS-TOKEN"]],
        ])
    }

    @Test func obtainedCredentialsAndEveryProviderStayRedacted() async throws {
        let server = try server()
        var setup = try CredentialTestSetup()
        let tokenFile = try setup.home.write("oidc", "RED-OIDC-TOKEN")
        let script = try setup.home.write(
            "creds.sh", #"printf '{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"RED-PROCESS-SECRET"}'"#)
        try setup.writeConfig(
            """
            [profile role]
            role_arn = \(Self.role)
            source_profile = keys
            [profile process]
            credential_process = sh "\(script)" RED-PROCESS-ARG
            """)
        try setup.writeCredentials("[keys]\naws_access_key_id = AKIDFILE\naws_secret_access_key = RED-FILE-SECRET\naws_session_token = RED-FILE-TOKEN\n")
        setup.environment = [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "RED-ENV-SECRET", "AWS_SESSION_TOKEN": "RED-ENV-TOKEN",
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": Self.role, "AWS_ENDPOINT_URL_STS": server.url,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "RED-CONTAINER-AUTH",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url,
        ]
        let context = try setup.context()
        let providers: [any CredentialProvider] = [
            EnvironmentCredentialProvider(environment: context.environment),
            ProfileCredentialProvider(context: try setup.context(profile: "role")),
            ProfileCredentialProvider(context: try setup.context(profile: "process")),
            WebIdentityCredentialProvider(context: context),
            ContainerCredentialProvider(environment: context.environment, transport: context.transport),
            InstanceMetadataCredentialProvider(environment: context.environment, transport: context.transport),
            ProcessCredentialProvider(command: "sh \"\(script)\" RED-PROCESS-ARG", environment: [:]),
            StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDSTATIC", secretAccessKey: "RED-ENV-SECRET")),
            CredentialChain.standard(context: context),
        ]
        for provider in providers {
            let credentials = try await provider.credentials()
            #expect(Self.secrets.contains(credentials.secretAccessKey), "\(provider) gave unexpected credentials")
            expectNoSecret(credentials)
            expectNoSecret(provider)
        }
        expectNoSecret(context)
        expectNoSecret(context.configuration)
        expectNoSecret(try #require(context.configuration.profile(named: "keys")))
    }

    @Test func errorsNeverQuoteSecrets() async throws {
        let server = try server()
        let setup = try CredentialTestSetup()
        let wrongToken = try setup.home.write("oidc", "RED-OIDC-TOKEN-but-wrong")
        let failing: [any CredentialProvider] = [
            EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_CREDENTIAL_EXPIRATION": "RED-ENV-TOKEN"]),
            ProcessCredentialProvider(command: "printf 'RED-PROCESS-SECRET'; exit 9 # RED-PROCESS-ARG", environment: [:]),
            ProcessCredentialProvider(command: "printf '{\"Version\":1,\"AccessKeyId\":\"RED-PROCESS-SECRET\"}'", environment: [:]),
            ProcessCredentialProvider(command: "printf 'RED-PROCESS-SECRET is not json'", environment: [:]),
            ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "RED-CONTAINER-AUTH-x"],
                transport: CurlTransport()),
            WebIdentityCredentialProvider(
                context: CredentialContext(
                    environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": wrongToken, "AWS_ROLE_ARN": Self.role, "AWS_ENDPOINT_URL_STS": server.url],
                    configuration: try setup.context().configuration, transport: CurlTransport())),
        ]
        for provider in failing {
            let error = try #require(await credentialsError(provider), "\(provider) should fail")
            expectNoSecret(error)
        }
        do {
            _ = try SharedConfigFile.parse("[default]\nRED-FILE-SECRET\n", kind: .credentials, path: "creds")
            Issue.record("expected a parse error")
        } catch {
            expectNoSecret(error)
        }
    }
}
