import ChatctlAWS
import Foundation
import Testing

/// A provider that counts its calls and returns what `next` says, after `delay` seconds.
final class CountingProvider: CredentialProvider, @unchecked Sendable {
    private let box: CredentialTestBox<(calls: Int, results: [Result<AWSCredentials, CredentialsError>])>
    private let delay: Double

    init(_ results: [Result<AWSCredentials, CredentialsError>], delay: Double = 0) {
        box = CredentialTestBox((0, results))
        self.delay = delay
    }

    var calls: Int { box.get().calls }

    func credentials() async throws(CredentialsError) -> AWSCredentials {
        let result = box.update { state -> Result<AWSCredentials, CredentialsError> in
            state.calls += 1
            return state.results.count > 1 ? state.results.removeFirst() : state.results[0]
        }
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        return try result.get()
    }
}

@Suite struct CredentialChainTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    private static func temporary(_ id: String, expiresIn seconds: TimeInterval) -> AWSCredentials {
        AWSCredentials(accessKeyId: id, secretAccessKey: "s-\(id)", sessionToken: "t-\(id)", expiration: start.addingTimeInterval(seconds))
    }

    // MARK: - Order, with the real sources

    /// One server that plays every network source; `drop` removes the first sources'
    /// settings, so the next one must win.
    @Test(arguments: [
        (0, "AKIDENVIRONMENT"), (1, "AKIDPROFILE"), (2, "ASIAWEBIDENTITY"), (3, "ASIACONTAINER"), (4, "ASIAINSTANCE"),
    ])
    func takesTheFirstSourceThatHasCredentials(drop: Int, expected: String) async throws {
        let role = "arn:aws:iam::123456789012:role/ci"
        let server = try FakeCredentialsServer([
            "sts": [
                "web_identity_token": "chain-oidc-token",
                "roles": [role: fakeRoleCredentials("ASIAWEBIDENTITY", secret: "web-secret", token: "web-token")],
            ],
            "container": [
                "path": "/creds", "authorization": "container-auth",
                "credentials": ["AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "c-secret", "Token": "c-token"],
            ],
            "imds": ["credentials": ["AccessKeyId": "ASIAINSTANCE", "SecretAccessKey": "i-secret", "Token": "i-token"]],
        ])
        var setup = try CredentialTestSetup()
        let tokenFile = try setup.home.write("oidc-token", "chain-oidc-token")
        let layers: [[String: String]] = [
            ["AWS_ACCESS_KEY_ID": "AKIDENVIRONMENT", "AWS_SECRET_ACCESS_KEY": "env-secret"],
            [:],
            ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": role, "AWS_ENDPOINT_URL_STS": server.url],
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth"],
            ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url],
        ]
        for (index, layer) in layers.enumerated() where index >= drop {
            setup.environment.merge(layer) { $1 }
        }
        if drop <= 1 {
            try setup.writeCredentials("[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n")
        }
        let chain = CredentialChain.standard(context: try setup.context())
        #expect(try await chain.credentials().accessKeyId == expected)
    }

    @Test func namesEverySourceAndItsReasonWhenNoneHasCredentials() async throws {
        let setup = try CredentialTestSetup(environment: ["AWS_EC2_METADATA_DISABLED": "true"])
        let error = await credentialsError(CredentialChain.standard(context: try setup.context()))
        #expect(error?.kind == .noneFound)
        #expect(error?.attempts.map(\.source) == [
            "environment", "shared config and credentials files (profile default)", "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)",
            "container credentials endpoint", "EC2 instance metadata (IMDSv2)",
        ])
        #expect(
            error?.description
                == "no AWS credentials found: environment: AWS_ACCESS_KEY_ID not set; "
                + "shared config and credentials files (profile default): ~/.aws/config: no such file, ~/.aws/credentials: no such file; "
                + "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): AWS_WEB_IDENTITY_TOKEN_FILE not set; "
                + "container credentials endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set; "
                + "EC2 instance metadata (IMDSv2): AWS_EC2_METADATA_DISABLED is true")
    }

    @Test func includesTheMetadataServiceFailureInTheSummary() async throws {
        // A port the running server holds without listening: never one given up.
        let server = try FakeCredentialsServer([:])
        defer { server.stop() }
        let port = server.closedPort
        let setup = try CredentialTestSetup(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"])
        let error = await credentialsError(CredentialChain.standard(context: try setup.context()))
        #expect(error?.kind == .noneFound)
        #expect(error?.attempts.last?.reason.hasPrefix("no metadata service at http://127.0.0.1:\(port): ") == true)
    }

    @Test func skipsEnvironmentKeysWhenAProfileIsNamedOnTheCommandLine() async throws {
        var setup = try CredentialTestSetup(environment: ["AWS_ACCESS_KEY_ID": "AKIDENVIRONMENT", "AWS_SECRET_ACCESS_KEY": "e"])
        try setup.writeCredentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = d\n")
        #expect(try await CredentialChain.standard(context: setup.context(profile: "dev")).credentials().accessKeyId == "AKIDDEV")

        setup.environment["AWS_PROFILE"] = "dev"
        #expect(try await CredentialChain.standard(context: setup.context()).credentials().accessKeyId == "AKIDENVIRONMENT")

        setup.environment["AWS_EC2_METADATA_DISABLED"] = "true"
        let error = await credentialsError(CredentialChain.standard(context: try setup.context(profile: "ghost")))
        #expect(error?.kind == .failed)
        #expect(error?.source == "shared config and credentials files (profile ghost)")
    }

    @Test func stopsAtAConfiguredSourceThatFails() async throws {
        let setup = try CredentialTestSetup(environment: ["AWS_ACCESS_KEY_ID": "AKIDHALF"])
        try setup.writeCredentials("[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n")
        let error = await credentialsError(CredentialChain.standard(context: try setup.context()))
        #expect(error == .failed("environment", "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))
    }

    @Test func flattensANestedChainsAttempts() async {
        let inner = CredentialChain(sources: [CountingProvider([.failure(.notConfigured("a", "x"))])])
        let outer = CredentialChain(sources: [inner, CountingProvider([.failure(.notConfigured("b", "y"))])])
        #expect(await credentialsError(outer)?.description == "no AWS credentials found: a: x; b: y")
    }

    // MARK: - Caching and refresh

    @Test func keepsLongTermCredentialsWithoutAskingAgain() async throws {
        let source = CountingProvider([.success(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s"))])
        let chain = CredentialChain(sources: [source], now: { Self.start })
        for _ in 0..<5 { _ = try await chain.credentials() }
        #expect(source.calls == 1)
    }

    @Test func refreshesFiveMinutesBeforeTheExpiration() async throws {
        let clock = TestWallClock(Self.start)
        let source = CountingProvider([
            .success(Self.temporary("FIRST", expiresIn: 3600)), .success(Self.temporary("SECOND", expiresIn: 7200)),
        ])
        let chain = CredentialChain(sources: [source], now: clock.closure)
        #expect(try await chain.credentials().accessKeyId == "FIRST")
        clock.advance(by: 3600 - 301)
        #expect(try await chain.credentials().accessKeyId == "FIRST")
        #expect(source.calls == 1)
        clock.advance(by: 2)
        #expect(try await chain.credentials().accessKeyId == "SECOND")
        #expect(source.calls == 2)
    }

    @Test func refreshesShortLivedCredentialsHalfwayToTheirExpiration() async throws {
        let clock = TestWallClock(Self.start)
        let source = CountingProvider([.success(Self.temporary("SHORT", expiresIn: 120))])
        let chain = CredentialChain(sources: [source], now: clock.closure)
        _ = try await chain.credentials()
        clock.advance(by: 59)
        _ = try await chain.credentials()
        #expect(source.calls == 1)
        clock.advance(by: 2)
        _ = try await chain.credentials()
        #expect(source.calls == 2)
    }

    @Test func refreshesFromTheSourceThatWon() async throws {
        let clock = TestWallClock(Self.start)
        let first = CountingProvider([.failure(.notConfigured("first", "nothing"))])
        let second = CountingProvider([.success(Self.temporary("A", expiresIn: 600)), .success(Self.temporary("B", expiresIn: 4000))])
        let chain = CredentialChain(sources: [first, second], now: clock.closure)
        #expect(try await chain.credentials().accessKeyId == "A")
        clock.advance(by: 400)
        #expect(try await chain.credentials().accessKeyId == "B")
        #expect(first.calls == 1)
        #expect(second.calls == 2)
    }

    @Test func keepsUnexpiredCredentialsWhenARefreshFails() async throws {
        let clock = TestWallClock(Self.start)
        let source = CountingProvider([
            .success(Self.temporary("OLD", expiresIn: 600)), .failure(.failed("sts", "STS is down")),
        ])
        let chain = CredentialChain(sources: [source], now: clock.closure)
        _ = try await chain.credentials()
        clock.advance(by: 400)
        #expect(try await chain.credentials().accessKeyId == "OLD")
        clock.advance(by: 201)
        #expect(await credentialsError(chain) == .failed("sts", "STS is down"))
    }

    @Test func fetchesOnceForManyConcurrentCallers() async throws {
        let source = CountingProvider([.success(Self.temporary("SHARED", expiresIn: 3600))], delay: 0.3)
        let chain = CredentialChain(sources: [source], now: { Self.start })
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 {
                group.addTask { try await chain.credentials().accessKeyId }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(ids.count == 50)
        #expect(Set(ids) == ["SHARED"])
        #expect(source.calls == 1)
    }

    @Test func fetchesAgainAfterInvalidation() async throws {
        let source = CountingProvider([.success(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s"))])
        let chain = CredentialChain(sources: [source])
        _ = try await chain.credentials()
        await chain.invalidate()
        _ = try await chain.credentials()
        #expect(source.calls == 2)
    }
}
