import ChatctlAWS
import Foundation
import Testing

/// Issue 3's last proof: StartChatContact and StopContact succeed through the real
/// libcurl transport with credentials from each source of the default chain, and the
/// server checks every signature (with botocore) against exactly those credentials.
@Suite struct ConnectClientCredentialSourcesTests {
    enum Source: String, CaseIterable, CustomTestStringConvertible {
        case environment, credentialsFile, credentialProcess, assumeRole, webIdentity, container, instanceMetadata
        var testDescription: String { rawValue }
    }

    static let roleARN = "arn:aws:iam::123456789012:role/chat-launcher"

    /// The chain's set-up for `source`, and the fake AWS endpoints it needs.
    static func setup(_ source: Source) throws -> (CredentialTestSetup, String?, FakeCredentialsServer?) {
        var setup = try CredentialTestSetup(environment: ["AWS_EC2_METADATA_DISABLED": "true"])
        switch source {
        case .environment:
            setup.environment["AWS_ACCESS_KEY_ID"] = "AKIDFROMENV"
            setup.environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
            return (setup, nil, nil)
        case .credentialsFile:
            try setup.writeCredentials("[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n")
            return (setup, nil, nil)
        case .credentialProcess:
            let script = try setup.home.write(
                "bin/creds.sh",
                #"printf '{"Version":1,"AccessKeyId":"ASIAFROMPROCESS","SecretAccessKey":"process-secret","SessionToken":"process-token"}'"#)
            try setup.writeConfig("[default]\ncredential_process = sh \"\(script)\"\n")
            return (setup, nil, nil)
        case .assumeRole:
            let server = try FakeCredentialsServer(["sts": [
                "keys": ["AKIDSOURCE": ["secret": "source-secret"]], "region": "us-east-1",
                "roles": [roleARN: fakeRoleCredentials("ASIAASSUMED", secret: "assumed-secret", token: "assumed-token")],
            ]])
            setup.environment["AWS_ENDPOINT_URL_STS"] = server.url
            try setup.writeConfig("""
                [profile launcher]
                role_arn = \(roleARN)
                source_profile = source
                region = us-east-1
                [profile source]
                aws_access_key_id = AKIDSOURCE
                aws_secret_access_key = source-secret
                """)
            return (setup, "launcher", server)
        case .webIdentity:
            let server = try FakeCredentialsServer(["sts": [
                "web_identity_token": "oidc-token",
                "roles": [roleARN: fakeRoleCredentials("ASIAWEBID", secret: "web-secret", token: "web-token")],
            ]])
            setup.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = try setup.home.write("token", "oidc-token\n")
            setup.environment["AWS_ROLE_ARN"] = roleARN
            setup.environment["AWS_ENDPOINT_URL_STS"] = server.url
            setup.environment["AWS_REGION"] = "us-east-1"
            return (setup, nil, server)
        case .container:
            let server = try FakeCredentialsServer(["container": [
                "path": "/v2/credentials/task", "authorization": "Bearer task-auth",
                "credentials": ["AccessKeyId": "ASIATASK", "SecretAccessKey": "task-secret", "Token": "task-token",
                                "Expiration": "2026-01-01T06:00:00Z"],
            ]])
            setup.environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url + "/v2/credentials/task"
            setup.environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer task-auth"
            return (setup, nil, server)
        case .instanceMetadata:
            let server = try FakeCredentialsServer(["imds": [
                "role": "chat-launcher",
                "credentials": ["AccessKeyId": "ASIAINSTANCE", "SecretAccessKey": "imds-secret", "Token": "imds-token",
                                "Expiration": "2026-01-01T06:00:00Z", "LastUpdated": "2026-01-01T00:00:00Z"],
            ]])
            setup.environment["AWS_EC2_METADATA_DISABLED"] = nil
            setup.environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url + "/"
            return (setup, nil, server)
        }
    }

    @Test(arguments: Source.allCases)
    func startsAndStopsAChatWithCredentialsFrom(_ source: Source) async throws {
        let (setup, profile, fakeAWS) = try Self.setup(source)
        let chain = CredentialChain.standard(context: try setup.context(profile: profile, region: "us-east-1"))
        let credentials = try await chain.credentials()
        // The Connect stand-in accepts only these credentials: a request signed with anything
        // else is refused with InvalidSignatureException.
        let connect = try await LoopbackServer.start(credentials: credentials)
        let client = ConnectClient(
            region: "us-east-1", endpoint: connect.endpoint, credentialProvider: chain, transport: CurlTransport(),
            rateLimiters: .unlimited)
        let started = try await client.startChatContact(ConnectClientTests.startRequest)
        let contact = try #require(started.contactId)
        _ = try await client.stopContact(StopContactRequest(contactId: contact, instanceId: ConnectClientTests.startRequest.instanceId))
        // Both calls arrived and were answered 2xx: their signatures matched these credentials.
        #expect(try await connect.stats().requests.count == 2)
        #expect(credentials.accessKeyId.hasPrefix(source == .environment || source == .credentialsFile ? "AKID" : "ASIA"))
        withExtendedLifetime(fakeAWS) {}
    }
}
