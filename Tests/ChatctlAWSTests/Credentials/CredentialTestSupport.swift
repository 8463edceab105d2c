import ChatctlAWS
import Foundation

/// A folder under the system's temporary folder, removed when the value is released.
final class CredentialTestFolder: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var path: String { url.path }

    /// Writes `text` to `relativePath` (creating folders) and returns the absolute path.
    @discardableResult
    func write(_ relativePath: String, _ text: String, executable: Bool = false) throws -> String {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        return file.path
    }
}

/// A fixed wall clock, moved by hand.
final class TestWallClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ date: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = date
    }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }

    var closure: @Sendable () -> Date {
        { [self] in now() }
    }
}

/// Builds contexts over real files in a temporary home folder.
struct CredentialTestSetup {
    let home: CredentialTestFolder
    var environment: [String: String]
    var transport: any HTTPTransport

    init(environment: [String: String] = [:], transport: any HTTPTransport = CurlTransport()) throws {
        home = try CredentialTestFolder()
        self.environment = environment
        self.transport = transport
    }

    func writeConfig(_ text: String) throws {
        try home.write(".aws/config", text)
    }

    func writeCredentials(_ text: String) throws {
        try home.write(".aws/credentials", text)
    }

    func context(
        profile: String? = nil, region: String? = nil, now: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_767_225_600) },
        processTimeout: Double = 20
    ) throws -> CredentialContext {
        let configuration = try SharedConfiguration.load(environment: environment, homeDirectory: home.path, profile: profile)
        return CredentialContext(
            environment: environment, configuration: configuration, transport: transport, region: region, now: now,
            processTimeout: processTimeout)
    }
}

/// Runs `body` and returns the `CredentialsError` it throws, or `nil` if it succeeds.
func credentialsError(_ body: () async throws(CredentialsError) -> AWSCredentials) async -> CredentialsError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

/// Role credentials the fake STS hands out, as a JSON-ready dictionary.
func fakeRoleCredentials(_ id: String, secret: String, token: String, expiration: String = "2026-01-01T01:00:00Z")
    -> [String: String]
{
    ["AccessKeyId": id, "SecretAccessKey": secret, "SessionToken": token, "Expiration": expiration]
}

/// The `CredentialsError` that `provider` throws, or `nil` if it gives credentials.
func credentialsError(_ provider: any CredentialProvider) async -> CredentialsError? {
    await credentialsError { () async throws(CredentialsError) in try await provider.credentials() }
}
