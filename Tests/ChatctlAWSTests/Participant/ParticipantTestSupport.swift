import ChatctlAWS
import ChatctlEmulator
import Foundation
import Testing

@testable import ChatctlEmulator

/// An emulator on loopback for one test, with a Connect client (to start chats) and a
/// Participant Service client pointed at it (or at a relay in front of it).
struct ParticipantHarness {
    let emulator: EmulatorServer
    let transport: CurlTransport
    let recorder: AttemptRecorder
    let participantEndpoint: ServiceEndpoint

    /// An emulator with no throttling, chats without a flow (nothing is posted on its own).
    static func configuration(quotas: ParticipantQuotas = .off, faultRate: Double = 0) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration(tps: 0, stopTPS: 0, faultRate: faultRate, faults: [.internalError], seed: 7)
        configuration.participantQuotas = quotas
        return configuration
    }

    /// Starts an emulator, runs `body`, stops it.
    static func with<T>(
        _ configuration: EmulatorConfiguration = configuration(), relayed: Bool = false,
        _ body: (ParticipantHarness, LoopbackRelay?) async throws -> T
    ) async throws -> T {
        let emulator = try await EmulatorServer.start(configuration, clock: ManualEmulatorClock(Date()))
        var relay: LoopbackRelay?
        do {
            if relayed { relay = try await LoopbackRelay(to: emulator.port) }
            let endpoint = ServiceEndpoint(scheme: "http", authority: "127.0.0.1:\(relay?.port ?? emulator.port)")
            let harness = ParticipantHarness(
                emulator: emulator, transport: CurlTransport(), recorder: AttemptRecorder(), participantEndpoint: endpoint)
            let result = try await body(harness, relay)
            await relay?.stop()
            await emulator.stop()
            return result
        } catch {
            await relay?.stop()
            await emulator.stop()
            throw error
        }
    }

    /// A Participant Service client of instance `i-1`: retries without waiting, no client
    /// rate limits unless given.
    func client(
        maxAttempts: Int = 3, rateLimiters: RateLimiterTable = .unlimited, observer: (any AWSAttemptObserver)? = nil
    ) -> ParticipantClient {
        ParticipantClient(
            region: emulator.region, endpoint: participantEndpoint, instanceID: "i-1", transport: transport,
            retryStrategy: RetryStrategy(configuration: .init(maxAttempts: maxAttempts)), rateLimiters: rateLimiters,
            clock: RecordingAWSClock(), timeouts: HTTPTimeouts(connect: 5, total: 20), observer: observer ?? recorder)
    }

    /// Starts a chat (no flow) and returns its contact id and ParticipantToken.
    func startChat(initialMessage: String? = nil) async throws -> (contactID: String, participantToken: Sensitive<String>) {
        let connect = ConnectClient(
            region: emulator.region, endpoint: emulator.endpoint,
            credentialProvider: StaticCredentialProvider(emulator.awsCredentials), transport: transport,
            rateLimiters: .unlimited, clock: RecordingAWSClock())
        var request = StartChatContactRequest(
            instanceId: "i-1", contactFlowId: "no-flow", participantDetails: .init(displayName: "Ann"))
        if let initialMessage {
            request.initialMessage = .init(contentType: "text/plain", content: initialMessage)
        }
        let started = try await connect.startChatContact(request)
        return (try #require(started.contactId), try #require(started.participantToken))
    }

    /// Starts a chat and connects its customer (CONNECTION_CREDENTIALS only).
    func connectedChat(_ client: ParticipantClient) async throws -> (contactID: String, connectionToken: Sensitive<String>) {
        let chat = try await startChat()
        let answer = try await client.createParticipantConnection(
            .init(types: [.connectionCredentials]), participantToken: chat.participantToken)
        return (chat.contactID, try #require(answer.connectionCredentials?.connectionToken))
    }

    /// Posts a message as the flow would (role SYSTEM), straight into the emulator's chat.
    func postSystemMessage(_ text: String, contactID: String) throws -> String {
        let session = try #require(emulator.chatSessions.session(for: contactID))
        let posted = try #require(
            session.postMessage(role: .system, displayName: "SYSTEM_MESSAGE", contentType: "text/plain", content: text))
        return posted.id
    }
}
