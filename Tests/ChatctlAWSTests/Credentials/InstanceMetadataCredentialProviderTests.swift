@testable import ChatctlAWS
import Foundation
import Testing

/// IMDSv2 through CurlTransport against the fake metadata service on loopback.
@Suite struct InstanceMetadataCredentialProviderTests {
    static let document = [
        "AccessKeyId": "ASIAINSTANCE", "SecretAccessKey": "imds-secret", "Token": "imds-token",
        "Expiration": "2026-01-01T06:00:00Z", "LastUpdated": "2026-01-01T00:00:00Z",
    ]

    private func server(_ imds: [String: Any] = [:]) throws -> FakeCredentialsServer {
        var settings: [String: Any] = ["role": "chatctl-instance-role", "credentials": Self.document]
        settings.merge(imds) { $1 }
        return try FakeCredentialsServer(["imds": settings])
    }

    private func fetch(_ environment: [String: String], configuration: SharedConfiguration? = nil) async -> Result<
        AWSCredentials, CredentialsError
    > {
        do {
            return .success(
                try await InstanceMetadataCredentialProvider(
                    environment: environment, configuration: configuration, transport: CurlTransport()
                ).credentials())
        } catch {
            return .failure(error)
        }
    }

    @Test func getsASessionTokenThenTheRoleThenItsCredentials() async throws {
        let server = try server()
        let result = await fetch(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url + "/"])
        #expect(
            try result.get()
                == AWSCredentials(
                    accessKeyId: "ASIAINSTANCE", secretAccessKey: "imds-secret", sessionToken: "imds-token",
                    expiration: Date(timeIntervalSince1970: 1_767_247_200)))
        let log = try await server.log(service: "imds")
        #expect(log.map { "\($0["method"] ?? "") \($0["path"] ?? "")" } == [
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/chatctl-instance-role",
        ])
        let tokenHeaders = try #require(log.first?["headers"] as? [String: String])
        #expect(tokenHeaders["X-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        for entry in log.dropFirst() {
            #expect((entry["headers"] as? [String: String])?["X-aws-ec2-metadata-token"] == "fake-imds-session-token")
        }
    }

    @Test func readsTheEndpointFromTheConfigFile() async throws {
        let server = try server()
        let home = try CredentialTestFolder()
        try home.write(".aws/config", "[default]\nec2_metadata_service_endpoint = \(server.url)\n")
        let configuration = try SharedConfiguration.load(environment: [:], homeDirectory: home.path)
        #expect(try await fetch([:], configuration: configuration).get().accessKeyId == "ASIAINSTANCE")
    }

    @Test func isSkippedWhenDisabled() async {
        #expect(
            await fetch(["AWS_EC2_METADATA_DISABLED": "TRUE"]).failure
                == .notConfigured("EC2 instance metadata (IMDSv2)", "AWS_EC2_METADATA_DISABLED is true"))
    }

    @Test func explainsAnInstanceWithoutARole() async throws {
        let server = try server(["no_role": true])
        #expect(
            await fetch(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url]).failure
                == .notConfigured("EC2 instance metadata (IMDSv2)", "the instance has no IAM instance profile (HTTP 404)"))
    }

    @Test func explainsARefusedSessionToken() async throws {
        let server = try server(["token_status": 403])
        #expect(
            await fetch(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url]).failure
                == .notConfigured(
                    "EC2 instance metadata (IMDSv2)",
                    "the metadata service refused a session token (HTTP 403): IMDS is disabled or the hop limit is too low"))
    }

    @Test func aMachineWithoutAMetadataServiceIsNotConfigured() async throws {
        let server = try server()
        // A port the running server holds without listening: certainly refused. How long
        // the provider waits is its limits' business (usesShortLimitsUnless…), not timed here.
        let port = server.closedPort
        let error = await fetch(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"]).failure
        #expect(error?.kind == .notConfigured)
        #expect(error?.description.hasPrefix("EC2 instance metadata (IMDSv2): no metadata service at http://127.0.0.1:\(port): ") == true)
        #expect(try await server.log(service: "imds").isEmpty)
    }

    @Test func usesShortLimitsUnlessTheEnvironmentSaysOtherwise() {
        let transport = CurlTransport()
        let defaults = InstanceMetadataCredentialProvider(environment: [:], transport: transport).limits()
        #expect(defaults.timeouts == HTTPTimeouts(connect: 1, total: 2))
        #expect(defaults.attempts == 1)
        let tuned = InstanceMetadataCredentialProvider(
            environment: ["AWS_METADATA_SERVICE_TIMEOUT": "3", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2"], transport: transport
        ).limits()
        #expect(tuned.timeouts == HTTPTimeouts(connect: 3, total: 4))
        #expect(tuned.attempts == 2)
    }

    @Test func choosesTheIPv6EndpointByMode() throws {
        let transport = CurlTransport()
        #expect(try InstanceMetadataCredentialProvider(environment: [:], transport: transport).endpoint() == "http://169.254.169.254")
        #expect(
            try InstanceMetadataCredentialProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], transport: transport)
                .endpoint() == "http://[fd00:ec2::254]")
        #expect(throws: CredentialsError.self) {
            try InstanceMetadataCredentialProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPX"], transport: transport)
                .endpoint()
        }
    }
}
