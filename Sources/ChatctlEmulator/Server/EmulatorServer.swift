public import ChatctlAWS
public import Foundation
import FlyingSocks

/// A running Connect emulator: an HTTP/1.1 server (``EmulatorHTTPServer``, with keep-alive,
/// bounded heads and bodies, and timeouts) serving StartChatContact and StopContact on
/// loopback, plus the admin API.
///
/// ```swift
/// let emulator = try await EmulatorServer.start(EmulatorConfiguration(seed: 42))
/// // point a client at emulator.endpoint, signing with emulator.awsCredentials for emulator.region
/// await emulator.stop()
/// ```
///
/// `chatctl emulator` runs one until SIGINT or SIGTERM; `chatctl apply --emulator` starts one
/// on a free port for the length of the apply; tests start one per test.
public final class EmulatorServer: Sendable {
    /// The configuration it runs with.
    public let configuration: EmulatorConfiguration
    /// The seed of its random choices (the configuration's, or the one picked at start).
    public let seed: UInt64
    /// The host it listens on, as given (for example `127.0.0.1`).
    public let host: String
    /// The TCP port it listens on (the one picked when the configuration said 0).
    public let port: Int
    private let core: EmulatorCore
    private let server: EmulatorHTTPServer
    private let runTask: Task<Void, Never>

    private init(
        configuration: EmulatorConfiguration, seed: UInt64, host: String, port: Int, core: EmulatorCore,
        server: EmulatorHTTPServer, runTask: Task<Void, Never>
    ) {
        self.configuration = configuration
        self.seed = seed
        self.host = host
        self.port = port
        self.core = core
        self.server = server
        self.runTask = runTask
    }

    /// The base URL clients use: `http://127.0.0.1:PORT` (IPv6 hosts in brackets).
    public var endpointURL: String {
        let literal = host.contains(":") ? "[\(host)]" : host
        return "http://\(literal):\(port)"
    }

    /// ``endpointURL`` as the endpoint type of the Connect client.
    public var endpoint: ServiceEndpoint {
        ServiceEndpoint(scheme: "http", authority: String(endpointURL.dropFirst("http://".count)))
    }

    /// The credentials requests must be signed with.
    public var credentials: EmulatorCredentials {
        configuration.credentials
    }

    /// ``credentials`` as client credentials.
    public var awsCredentials: AWSCredentials {
        configuration.credentials.awsCredentials
    }

    /// The region requests must be signed for.
    public var region: String {
        configuration.region
    }

    // MARK: - Life cycle

    /// Starts an emulator and waits until it listens.
    ///
    /// - Parameters:
    ///   - configuration: where to listen and how to behave; port 0 picks a free port.
    ///   - clock: the wall clock (signatures, token buckets, chat durations); tests inject a
    ///     ``ManualEmulatorClock``.
    ///   - requestLog: called once per request handled (method, path, status, time; never
    ///     headers or bodies), from the task that handled it.
    ///   - flowLog: called with one line for each contact-flow action that is not emulated
    ///     (names only, never values).
    /// - Returns: the running emulator; call ``stop()`` when done.
    /// - Throws: ``EmulatorStartError`` when the configuration is invalid or the address
    ///   cannot be listened on.
    public static func start(
        _ configuration: EmulatorConfiguration, clock: any EmulatorClock = SystemEmulatorClock(),
        requestLog: (@Sendable (EmulatorRequestRecord) -> Void)? = nil, flowLog: (@Sendable (String) -> Void)? = nil
    ) async throws(EmulatorStartError) -> EmulatorServer {
        let problems = configuration.problems
        guard problems.isEmpty else {
            throw .invalidConfiguration(problems)
        }
        var generator = SystemRandomNumberGenerator()
        let seed = configuration.seed ?? generator.next()
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        let core = EmulatorCore(configuration: configuration, seed: seed, clock: clock, flowLog: flowLog)
        let server: EmulatorHTTPServer
        do {
            server = try await EmulatorHTTPServer(
                host: host, configuration: configuration, core: core, requestLog: requestLog)
        } catch SocketError.unsupportedAddress {
            throw .cannotListen(
                host: configuration.host, port: configuration.port, reason: "the host must be an IPv4 or IPv6 address")
        } catch {
            throw .cannotListen(host: configuration.host, port: configuration.port, reason: Self.describe(error))
        }
        let runTask = Task { await server.run() }
        return EmulatorServer(
            configuration: configuration, seed: seed, host: host, port: server.port, core: core, server: server,
            runTask: runTask)
    }

    /// Stops: waits for the requests being handled to be answered (up to 5 seconds plus the
    /// configured latency), then stops listening and closes every connection, idle
    /// keep-alive ones included. Calling it again does nothing.
    public func stop() async {
        let grace = 5000 + configuration.latencyMilliseconds
        var waited = 0
        while core.requestsInFlight > 0, waited < grace {
            try? await Task.sleep(for: .milliseconds(5))
            waited += 5
        }
        core.state.events.finishAll()
        await server.stop(runTask: runTask)
    }

    /// Waits until the server stops (after ``stop()``, or when listening fails).
    public func waitUntilStopped() async {
        await runTask.value
    }

    // MARK: - State, for tests and apply

    /// Every chat's ``ChatSession``: where a flow interpreter (or a test) posts messages and
    /// hears the customer.
    var chatSessions: ChatSessions {
        core.chatSessions
    }

    /// The contact flows of the running chats.
    var chatFlows: ChatFlows {
        core.chatFlows
    }

    /// Every contact created since the start or the last reset, in creation order.
    public var contacts: [EmulatedContact] {
        core.contacts
    }

    /// The contacts created by requests carrying `clientToken`: more than one would mean a
    /// chat launched twice.
    public func contacts(clientToken: String) -> [EmulatedContact] {
        core.contacts.filter { $0.clientToken == clientToken }
    }

    /// What has been answered so far.
    public var stats: EmulatorStats {
        core.statistics.current
    }

    /// The chats active now (emulated time).
    public var activeChatCount: Int {
        core.activeChatCount
    }

    /// The emulated time: the clock plus every ``advanceTime(by:)``.
    public var now: Date {
        core.state.time.now
    }

    /// The contacts' state changes from now on, as the store publishes them: for one
    /// contact, or for every contact when `contactID` is `nil`. The stream ends when the
    /// emulator stops or the caller stops iterating.
    public func contactEvents(contactID: String? = nil) -> AsyncStream<ContactEvent> {
        core.state.events.subscribe(contactID: contactID)
    }

    /// Adds contacts that exist outside this run, so requests may refer to them: what an
    /// earlier `apply --emulator` launched (from the lockfile), or historical chats a
    /// profile names by id. Known contacts are left as they are.
    public func importContacts(_ contacts: [EmulatedContact]) {
        core.importContacts(contacts)
    }

    /// Forgets every contact, ClientToken and statistic, as `POST /_emulator/reset` does.
    public func reset() {
        core.admin.reset()
    }

    /// Moves the emulated time forward (chat durations, ClientToken memory) without moving
    /// the clock signatures are checked against, as `POST /_emulator/advance` does.
    ///
    /// - Parameter seconds: how far to move; negative values count as 0, and the emulated
    ///   time never goes more than 100 years ahead of the clock.
    public func advanceTime(by seconds: TimeInterval) {
        core.admin.advanceTime(by: seconds)
    }

    private static func describe(_ error: any Error) -> String {
        if let socketError = error as? SocketError {
            switch socketError {
            case .failed(let type, let errno, let message):
                return "\(type) failed (errno \(errno)): \(message.lowercased())"
            default:
                return String(describing: socketError)
            }
        }
        return String(describing: error)
    }
}
