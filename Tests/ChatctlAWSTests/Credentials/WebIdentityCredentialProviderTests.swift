import ChatctlAWS
import Foundation
import Testing

/// AssumeRoleWithWebIdentity through CurlTransport against the fake STS on loopback.
@Suite struct WebIdentityCredentialProviderTests {
    static let roleARN = "arn:aws:iam::123456789012:role/github-actions"
    static let roleCredentials = fakeRoleCredentials("ASIAWEBIDENTITY", secret: "web-role-secret", token: "web-role-token")

    private func server(_ extra: [String: Any] = [:]) throws -> FakeCredentialsServer {
        var sts: [String: Any] = ["web_identity_token": "oidc-token-value", "roles": [Self.roleARN: Self.roleCredentials]]
        sts.merge(extra) { $1 }
        return try FakeCredentialsServer(["sts": sts])
    }

    private func setup(_ server: FakeCredentialsServer, token: String? = "oidc-token-value", extra: [String: String] = [:]) throws
        -> CredentialTestSetup
    {
        var setup = try CredentialTestSetup()
        if let token {
            let tokenPath = try setup.home.write("token", token + "\n")
            setup.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenPath
        }
        setup.environment["AWS_ROLE_ARN"] = Self.roleARN
        setup.environment["AWS_ENDPOINT_URL_STS"] = server.url
        setup.environment["AWS_REGION"] = "eu-west-1"
        setup.environment.merge(extra) { $1 }
        return setup
    }

    @Test func exchangesTheTokenFileForRoleCredentials() async throws {
        let server = try server()
        let setup = try setup(server, extra: ["AWS_ROLE_SESSION_NAME": "ci-run-42"])
        let credentials = try await WebIdentityCredentialProvider(context: setup.context()).credentials()
        #expect(
            credentials
                == AWSCredentials(
                    accessKeyId: "ASIAWEBIDENTITY", secretAccessKey: "web-role-secret", sessionToken: "web-role-token",
                    expiration: Date(timeIntervalSince1970: 1_767_229_200)))
        let log = try await server.log(service: "sts")
        #expect(log.count == 1)
        let form = try #require(log.first?["form"] as? [String: String])
        #expect(form["Action"] == "AssumeRoleWithWebIdentity")
        #expect(form["RoleArn"] == Self.roleARN)
        #expect(form["RoleSessionName"] == "ci-run-42")
        #expect(form["DurationSeconds"] == nil)
        let headers = try #require(log.first?["headers"] as? [String: String])
        #expect(headers["Authorization"] == nil, "AssumeRoleWithWebIdentity is unsigned")
    }

    @Test func namesTheSessionAfterTheClockWhenNoNameIsSet() async throws {
        let server = try server()
        let setup = try setup(server, extra: ["AWS_ENDPOINT_URL_STS": "", "AWS_ENDPOINT_URL": server.url])
        _ = try await WebIdentityCredentialProvider(context: setup.context()).credentials()
        let form = try #require(try await server.log(service: "sts").first?["form"] as? [String: String])
        #expect(form["RoleSessionName"] == "chatctl-1767225600")
    }

    @Test func reportsARejectedTokenWithoutShowingIt() async throws {
        let server = try server()
        let setup = try setup(server, token: "wrong-oidc-token")
        let error = await credentialsError(WebIdentityCredentialProvider(context: try setup.context()))
        #expect(error?.kind == .failed)
        #expect(
            error?.description
                == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): STS AssumeRoleWithWebIdentity failed with HTTP 400: "
                + "InvalidIdentityToken: the web identity token was rejected (request id fake-request-id)")
        #expect(error?.description.contains("wrong-oidc-token") == false)
    }

    @Test func reportsAccessDeniedForARoleItMayNotAssume() async throws {
        let server = try server()
        let setup = try setup(server, extra: ["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/other"])
        let error = await credentialsError(WebIdentityCredentialProvider(context: try setup.context()))
        #expect(
            error?.description
                == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): STS AssumeRoleWithWebIdentity failed with HTTP 403: AccessDenied: "
                + "not authorized to perform sts:AssumeRoleWithWebIdentity on resource: arn:aws:iam::123456789012:role/other "
                + "(request id fake-request-id)")
    }

    @Test func retriesWhenSTSIsBrieflyUnavailable() async throws {
        let server = try server(["transient_failures": 2])
        let setup = try setup(server)
        let credentials = try await WebIdentityCredentialProvider(context: setup.context()).credentials()
        #expect(credentials.accessKeyId == "ASIAWEBIDENTITY")
        #expect(try await server.log(service: "sts").count == 3)
    }

    @Test func isNotConfiguredWithoutTheTokenFileVariable() async throws {
        let setup = try CredentialTestSetup()
        let error = await credentialsError(WebIdentityCredentialProvider(context: try setup.context()))
        #expect(error == .notConfigured("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", "AWS_WEB_IDENTITY_TOKEN_FILE not set"))
    }

    @Test func failsWhenTheRoleIsMissingOrTheTokenFileIsUnreadable() async throws {
        var setup = try CredentialTestSetup(environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token"])
        let noRole = await credentialsError(WebIdentityCredentialProvider(context: try setup.context()))
        #expect(noRole == .failed("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"))

        setup.environment["AWS_ROLE_ARN"] = Self.roleARN
        let noFile = await credentialsError(WebIdentityCredentialProvider(context: try setup.context()))
        #expect(noFile?.description == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): cannot read the web identity token file /nonexistent/token: no such file")

        setup.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = try setup.home.write("empty-token", "\n")
        let empty = await credentialsError(WebIdentityCredentialProvider(context: try setup.context()))
        #expect(empty?.description == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): the web identity token file ~/empty-token is empty")
    }

    @Test func reportsAnUnreachableSTS() async throws {
        let server = try server()
        // A port the running server holds without listening: certainly refused.
        let port = server.closedPort
        let setup = try setup(server, extra: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)"])
        let error = await credentialsError(WebIdentityCredentialProvider(context: try setup.context()))
        #expect(error?.kind == .failed)
        #expect(error?.description.hasPrefix("web identity (AWS_WEB_IDENTITY_TOKEN_FILE): cannot reach STS at http://127.0.0.1:\(port): ") == true)
    }
}
