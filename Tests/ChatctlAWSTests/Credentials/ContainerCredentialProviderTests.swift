@testable import ChatctlAWS
import Foundation
import Testing

/// The container endpoint through CurlTransport against the fake server on loopback.
@Suite struct ContainerCredentialProviderTests {
    static let document = [
        "AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "container-secret", "Token": "container-token",
        "Expiration": "2026-01-01T06:00:00Z", "RoleArn": "arn:aws:iam::1:role/task",
    ]

    private func server(authorization: String? = "Bearer container-auth", status: Int = 200) throws -> FakeCredentialsServer {
        var container: [String: Any] = ["path": "/v2/credentials/abc", "credentials": Self.document, "status": status]
        if let authorization { container["authorization"] = authorization }
        return try FakeCredentialsServer(["container": container])
    }

    private func fetch(_ environment: [String: String]) async -> Result<AWSCredentials, CredentialsError> {
        do {
            return .success(try await ContainerCredentialProvider(environment: environment, transport: CurlTransport()).credentials())
        } catch {
            return .failure(error)
        }
    }

    @Test func fetchesWithTheAuthorizationToken() async throws {
        let server = try server()
        let result = await fetch([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/v2/credentials/abc",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer container-auth",
        ])
        #expect(
            try result.get()
                == AWSCredentials(
                    accessKeyId: "ASIACONTAINER", secretAccessKey: "container-secret", sessionToken: "container-token",
                    expiration: Date(timeIntervalSince1970: 1_767_247_200)))
        let log = try await server.log(service: "container")
        #expect((log.first?["headers"] as? [String: String])?["Authorization"] == "Bearer container-auth")
    }

    @Test func prefersTheTokenFileToTheTokenVariable() async throws {
        let server = try server()
        let folder = try CredentialTestFolder()
        let tokenFile = try folder.write("eks-token", "Bearer container-auth\n")
        let result = await fetch([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/v2/credentials/abc",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "stale",
        ])
        #expect(try result.get().accessKeyId == "ASIACONTAINER")
    }

    @Test func reportsARejectedToken() async throws {
        let server = try server()
        let result = await fetch([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/v2/credentials/abc",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer wrong-container-auth",
        ])
        guard case .failure(let error) = result else { Issue.record("expected an error"); return }
        #expect(error.kind == .failed)
        #expect(
            error.description
                == "container credentials endpoint: \(server.url)/v2/credentials/abc answered HTTP 401: InvalidToken: authorization token rejected")
        #expect(!error.description.contains("wrong-container-auth"))
    }

    @Test func retriesServerErrorsThenReportsThem() async throws {
        let server = try server(authorization: nil, status: 500)
        let result = await fetch(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/v2/credentials/abc"])
        guard case .failure(let error) = result else { Issue.record("expected an error"); return }
        #expect(error.description.hasSuffix("answered HTTP 500: Failure: container endpoint failure"))
        #expect(try await server.log(service: "container").count == 3)
    }

    @Test func reportsAnUnreachableEndpoint() async throws {
        // A port the running server holds without listening: certainly refused, and never
        // a port given up that another test's server could take meanwhile.
        let server = try server()
        defer { server.stop() }
        let port = server.closedPort
        let result = await fetch(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/creds"])
        guard case .failure(let error) = result else { Issue.record("expected an error"); return }
        #expect(error.kind == .failed)
        #expect(error.description.hasPrefix("container credentials endpoint: cannot reach http://127.0.0.1:\(port)/creds: "))
    }

    @Test func isNotConfiguredWithoutEitherURI() async {
        let result = await fetch([:])
        #expect(
            result.failure
                == .notConfigured(
                    "container credentials endpoint",
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set"))
    }

    @Test func putsRelativeURIsOnTheECSAddress() throws {
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/xyz", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "ignored"],
            transport: CurlTransport())
        #expect(try provider.endpointURL() == "http://169.254.170.2/v2/credentials/xyz")
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/c", true), ("http://127.1.2.3/c", true), ("http://localhost:1/c", true), ("http://[::1]:9/c", true),
        ("http://169.254.170.2/c", true), ("http://169.254.170.23/v1/credentials", true), ("http://[fd00:ec2::23]/c", true),
        ("https://creds.example.com/c", true), ("http://creds.example.com/c", false), ("http://128.0.0.1/c", false),
        ("http://127.0.0.1.example.com/c", false), ("ftp://127.0.0.1/c", false),
    ])
    func allowsOnlyHTTPSOrLoopbackAndContainerAddresses(_ url: String, _ allowed: Bool) {
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url], transport: CurlTransport())
        #expect((try? provider.endpointURL()) != nil ? allowed : !allowed, "\(url)")
    }

    @Test func rejectsATokenWithALineBreak() async throws {
        let folder = try CredentialTestFolder()
        let tokenFile = try folder.write("token", "Bearer a\r\nX-Injected: 1")
        let result = await fetch([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ])
        #expect(result.failure == .failed("container credentials endpoint", "the container authorization token contains a line break"))
    }
}

extension Result {
    /// The error of a failure, or `nil`.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
