import ChatctlAWS
import ChatctlCore
import ChatctlEmulator
import Foundation

/// The launcher apply uses, and the emulator it started when `--emulator` was given.
struct LaunchSession {
    let launcher: any ChatLauncher
    /// The same calls' DescribeContact (`chatctl refresh`).
    let observer: any ContactObserver
    /// The Participant Service client of a chat's instance (`verify`, `apply --verify`).
    let participant: LaunchedChatVerifier.MakeParticipantClient
    /// How the customer's WebSocket connects: the trust store and proxies of every call.
    let webSocket: WebSocketConfiguration
    private let emulator: EmulatorServer?

    /// Runs `spec.verify` over the chats this session launches.
    func chatVerifier(clock: any ApplyClock = SystemApplyClock()) -> LaunchedChatVerifier {
        LaunchedChatVerifier(launcher: launcher, observer: observer, makeClient: participant, webSocket: webSocket, clock: clock)
    }

    /// - Parameter recordsChats: whether the command records the chats it starts (apply), or
    ///   starts test chats no lockfile names (verify); said when the emulator starts.
    static func start(
        emulator: Bool, connection: ConnectionOptions, settings: ApplySettings, options: GlobalOptions,
        workspace: Workspace?, lockfile: Lockfile, profilesWithoutRegion: [String], recordsChats: Bool = true
    ) async throws -> LaunchSession {
        if emulator, let workspace {
            return try await startEmulator(
                region: connection.region, settings: settings, options: options, workspace: workspace, lockfile: lockfile,
                recordsChats: recordsChats)
        }
        return try await startAWS(
            connection: connection, settings: settings, options: options, profilesWithoutRegion: profilesWithoutRegion)
    }

    /// Starts the emulator and a launcher that sends every call to it, signed for its region.
    private static func startEmulator(
        region: String?, settings: ApplySettings, options: GlobalOptions, workspace: Workspace, lockfile: Lockfile,
        recordsChats: Bool
    ) async throws -> LaunchSession {
        let clients = try ClientFactory(settings: settings, options: options, configFileMaxAttempts: nil)
        let server: EmulatorServer
        do {
            // --region is honoured, else the project's spec.region: the emulator serves that
            // region (--endpoint-url is refused with --emulator).
            var configuration = EmulatorConfiguration()
            if let region = region ?? workspace.projectRegion { configuration.region = region }
            configuration.flowRunner = FlowInputs.runner(project: workspace.validation.project)
            server = try await EmulatorServer.start(configuration)
        } catch {
            throw CommandFailure(Diagnostic(location: nil, code: "emulator.start", message: "the emulator did not start: \(error)"))
        }
        server.importContacts(Self.emulatorSeed(lockfile: lockfile, profiles: workspace.validation.profiles, now: server.now))
        let recorded = recordsChats
            ? "its chats are recorded in \(workspace.lockfilePath), not in the real lockfile"
            : "its test chats are recorded in no lockfile"
        Terminal.writeError("Started the Amazon Connect emulator on \(server.endpointURL) (region \(server.region)); \(recorded).\n")
        let credentials = StaticCredentialProvider(server.awsCredentials)
        let endpoint = server.endpoint
        let region = server.region
        // The emulator is one region: every call goes to it, signed for its region.
        let launcher = ConnectChatLauncher(defaultRegion: region, observer: clients.logger) { _, observer in
            clients.client(region: region, endpoint: endpoint, credentials: credentials, observer: observer)
        }
        let pinned = RegionPinnedLauncher(base: launcher, region: region)
        // The emulator serves the Participant Service on the same endpoint, unsigned.
        let participant: LaunchedChatVerifier.MakeParticipantClient = { _, instance in
            clients.participantClient(region: region, endpoint: endpoint, instance: instance)
        }
        return LaunchSession(
            launcher: pinned, observer: pinned, participant: participant, webSocket: clients.webSocket, emulator: server)
    }

    /// Checks for credentials and a region, then makes a launcher with a client per region.
    private static func startAWS(
        connection: ConnectionOptions, settings: ApplySettings, options: GlobalOptions, profilesWithoutRegion: [String]
    ) async throws -> LaunchSession {
        let environment = options.environment
        let shared: SharedConfiguration
        do {
            shared = try SharedConfiguration.load(
                environment: environment, homeDirectory: SharedConfiguration.homeDirectory(environment: environment),
                profile: connection.awsProfile)
        } catch {
            throw CommandFailure(Diagnostic(location: nil, code: "credentials.config", message: "\(error)"))
        }
        let clients = try ClientFactory(settings: settings, options: options, configFileMaxAttempts: shared.maxAttempts)
        let defaultRegion: String?
        do {
            defaultRegion = try EndpointResolver.resolveRegion(
                flag: connection.region, environment: environment, configFile: shared.endpointSettings).region
        } catch .noRegion {
            defaultRegion = nil  // fine while every profile names its region (checked below)
        } catch {
            // AWS_REGION=us-west-2/x: said now, not by the service for each launch.
            throw CommandFailure(Diagnostic(location: nil, code: "region", message: Terminal.printable("\(error)")))
        }
        let chain = CredentialChain.standard(context: CredentialContext(
            environment: environment, configuration: shared, transport: clients.transport, region: defaultRegion))
        // Before any call: without credentials or a region every launch would fail, and
        // should not be recorded as failed one by one.
        do {
            _ = try await chain.credentials()
        } catch {
            throw CommandFailure(Diagnostic(
                location: nil, code: "credentials", message: "\(error)",
                hint: "see docs/credentials.md; or try the local emulator with --emulator"))
        }
        if defaultRegion == nil, !profilesWithoutRegion.isEmpty {
            let more = profilesWithoutRegion.count > 3 ? " and \(profilesWithoutRegion.count - 3) more" : ""
            throw CommandFailure(Diagnostic(
                location: nil, code: "region",
                message: "no region for \(profilesWithoutRegion.prefix(3).joined(separator: ", "))\(more)",
                hint: "set spec.region, the project's spec.region, an instance ARN, --region or AWS_REGION"))
        }
        let endpointFlag = connection.endpointUrl
        let endpointSettings = shared.endpointSettings
        let launcher = ConnectChatLauncher(defaultRegion: defaultRegion, observer: clients.logger) {
            region, observer throws(LaunchFailure) in
            let endpoint: ServiceEndpoint
            do {
                endpoint = try EndpointResolver.resolveEndpoint(
                    region: region, flag: endpointFlag, environment: environment, configFile: endpointSettings).endpoint
            } catch {
                throw LaunchFailure(kind: .refused, code: "endpoint", message: "\(error)", attempts: 0)
            }
            return clients.client(region: region, endpoint: endpoint, credentials: chain, observer: observer)
        }
        let participant: LaunchedChatVerifier.MakeParticipantClient = { region, instance throws(LaunchFailure) in
            guard let region = region ?? defaultRegion else {
                throw LaunchFailure(kind: .refused, code: "region", message: "no region for this profile", attempts: 0)
            }
            let endpoint: ServiceEndpoint
            do {
                endpoint = try EndpointResolver.resolveEndpoint(
                    region: region, flag: endpointFlag, environment: environment, configFile: endpointSettings,
                    service: .connectParticipant).endpoint
            } catch {
                throw LaunchFailure(kind: .refused, code: "endpoint", message: "\(error)", attempts: 0)
            }
            return clients.participantClient(region: region, endpoint: endpoint, instance: instance)
        }
        return LaunchSession(
            launcher: launcher, observer: launcher, participant: participant, webSocket: clients.webSocket, emulator: nil)
    }

    /// What the repository says exists, for a fresh emulator: the chats the lockfile
    /// records (so `from:` references, resumes and prune work on a later run), and the
    /// contacts profiles name by id (historical chats, taken as ended an hour ago).
    static func emulatorSeed(lockfile: Lockfile, profiles: [ChatLaunchProfile], now: Date) -> [EmulatedContact] {
        var contacts: [EmulatedContact] = []
        for (_, entry) in lockfile.entries.sorted(by: { $0.key < $1.key }) {
            guard let id = entry.contactId, entry.status == .started || entry.status == .stopped else { continue }
            let started = entry.startedAt ?? now
            let expires = entry.expiresAt ?? started.addingTimeInterval(25 * 3600)
            contacts.append(EmulatedContact(
                contactID: id, instanceID: entry.instance ?? "", clientToken: entry.clientToken, createdAt: started,
                expiresAt: expires, ended: entry.status == .stopped ? min(expires, now) : nil))
        }
        for profile in profiles {
            for id in profile.literalContactIDs {
                contacts.append(EmulatedContact(
                    contactID: id, instanceID: LaunchRequest.instanceID(of: profile) ?? "",
                    createdAt: now.addingTimeInterval(-7200), expiresAt: now.addingTimeInterval(-3600),
                    ended: now.addingTimeInterval(-3600)))
            }
        }
        return contacts
    }

    func stop() async {
        await emulator?.stop()
    }
}

/// What the Connect clients of one apply share, and how each region's client is made: one
/// transport (its connections are reused), one table of rate limiters with a bucket per
/// (account, region, operation), and a retry strategy of its own per region (its quota and
/// learnt clock offset belong to that region's endpoint, as in the SDKs).
///
/// A run signs every call with one credential chain, so every client is charged to one
/// account (``RateLimiterTable/callerAccount``): a repository spanning three regions gets
/// three buckets, two instances in one region share one. The account number is not looked
/// up (no STS call) and instance ARNs are not used for it: an ARN's account is the caller's
/// for every call that can succeed, and keying by it would split one account's quota in two
/// when a repository mixes ARNs and bare instance ids.
private struct ClientFactory: Sendable {
    let transport: CurlTransport
    let retryConfiguration: RetryStrategy.Configuration
    let rateLimiters: RateLimiterTable
    /// The Participant Service's quotas, counted per instance.
    let participantRateLimiters = RateLimiterTable.participantDefaults()
    /// The customer's WebSocket: the same trust store and proxies as the transport.
    let webSocket: WebSocketConfiguration
    /// `--verbose`: every exchange on stderr, with tokens, keys and customer ids redacted.
    let logger: (any AWSAttemptObserver)?

    init(settings: ApplySettings, options: GlobalOptions, configFileMaxAttempts: String?) throws {
        let environment = options.environment
        transport = CurlTransport(configuration: .init(environment: environment))
        webSocket = WebSocketConfiguration(transport: transport.configuration)
        do {
            retryConfiguration = try .init(
                maxAttemptsFlag: settings.maxAttempts, environment: environment,
                configFileMaxAttempts: configFileMaxAttempts)
        } catch {
            throw CommandFailure(Diagnostic(location: nil, code: "apply.max-attempts", message: "\(error)"))
        }
        // The service's own token bucket refills at exactly the quota; pacing at 98% of it
        // keeps clock jitter from tipping a request over the edge, which would cost a
        // throttle and a backoff (and, if it happens again soon, a halved rate).
        let pace = 0.98
        rateLimiters = RateLimiterTable([
            StartChatContactRequest.operationName: .init(ratePerSecond: settings.rate * pace, burst: settings.burst),
            StopContactRequest.operationName: .init(ratePerSecond: settings.rate * 2 * pace, burst: settings.burst * 2),
            // refresh's own bucket (--refresh-rate), so it never spends the launch quota.
            DescribeContactRequest.operationName: .init(
                ratePerSecond: settings.refreshRate * pace, burst: settings.refreshBurst),
        ])
        logger = options.verbose
            ? HTTPExchangeLogger { Terminal.writeError($0.hasSuffix("\n") ? $0 : $0 + "\n") } : nil
    }

    /// The Participant Service client of one instance (bearer tokens, no SigV4).
    func participantClient(region: String, endpoint: ServiceEndpoint, instance: String) -> ParticipantClient {
        ParticipantClient(
            region: region, endpoint: endpoint, instanceID: instance, transport: transport,
            retryStrategy: RetryStrategy(configuration: retryConfiguration), rateLimiters: participantRateLimiters,
            observer: logger)
    }

    /// The client of one region.
    func client(
        region: String, endpoint: ServiceEndpoint, credentials: any CredentialProvider, observer: any AWSAttemptObserver
    ) -> ConnectClient {
        ConnectClient(
            region: region, endpoint: endpoint, credentialProvider: credentials, transport: transport,
            retryStrategy: RetryStrategy(configuration: retryConfiguration), rateLimiters: rateLimiters,
            observer: observer)
    }
}
