public import ChatctlAWS
public import Foundation

/// Runs a profile's `spec.verify` over a chat just launched, then the cleanup its outcome
/// and `cleanup` call for (docs/verify.md): the customer's connection, the conversation,
/// DisconnectParticipant and StopContact. Shared by `chatctl verify` and `apply --verify`.
public struct LaunchedChatVerifier: Sendable {
    /// Makes the Participant Service client of a chat's instance in a region.
    public typealias MakeParticipantClient = @Sendable (_ region: String?, _ instance: String) throws(LaunchFailure) -> ParticipantClient

    /// What one verification came to.
    public struct Result: Sendable {
        /// The conversation's outcome; `nil` when it could not start (`setupError`).
        public var outcome: VerificationOutcome?
        /// Why the conversation could not start (no participant token, no client).
        public var setupError: String?
        /// A cleanup call that failed (the chat may still run until it expires).
        public var cleanupProblem: String?
    }

    let launcher: any ChatLauncher
    let observer: any ContactObserver
    let makeClient: MakeParticipantClient
    let webSocket: WebSocketConfiguration
    let clock: any ApplyClock

    /// - Parameters:
    ///   - launcher: StopContact for the cleanup.
    ///   - observer: DescribeContact for the `queued`/`with-agent`/`ended` events.
    ///   - makeClient: the Participant Service client of an instance.
    ///   - webSocket: how the live channel's WebSocket connects.
    ///   - clock: the verifier's clock.
    public init(
        launcher: any ChatLauncher, observer: any ContactObserver, makeClient: @escaping MakeParticipantClient,
        webSocket: WebSocketConfiguration, clock: any ApplyClock = SystemApplyClock()
    ) {
        self.launcher = launcher
        self.observer = observer
        self.makeClient = makeClient
        self.webSocket = webSocket
        self.clock = clock
    }

    /// Converses over the chat `response` started on `instance`, then cleans up.
    public func verify(
        _ conversation: Conversation, chat response: StartChatContactResponse, instance: String, region: String?
    ) async -> Result {
        guard let token = response.participantToken, let contactId = response.contactId else {
            return Result(setupError: "StartChatContact answered no participant token or no contact id")
        }
        let client: ParticipantClient
        do {
            client = try makeClient(region, instance)
        } catch {
            return Result(setupError: "\(error.code): \(error.message)")
        }
        let live = ParticipantChatChannel(client: client, participantToken: token, configuration: webSocket)
        let observer = self.observer
        let channel = ParticipantConversationChannel(
            client: client, live: live,
            describe: { () async throws(LaunchFailure) -> DescribeContactResponse in
                try await observer.describeContact(DescribeContactRequest(instanceId: instance, contactId: contactId), region: region)
            },
            clock: clock)
        channel.start()
        let outcome = await Verifier(clock: clock).verify(conversation, over: channel)
        // An interrupted run is no failure of the flow: its chat is ended unless `never`.
        let interrupted = outcome.failure?.reason == .interrupted
        let ends = switch conversation.cleanup {
        case .always: true
        case .onSuccess: outcome.passed || interrupted
        case .never: false
        }
        var problems: [String] = []
        if ends {
            // In a task of its own: an interrupted run's task is cancelled, and its calls
            // would be refused before they leave, leaving the chat running.
            let launcher = self.launcher
            problems = await Task {
                var problems: [String] = []
                if let problem = await channel.disconnect() { problems.append(problem) }
                do throws(LaunchFailure) {
                    _ = try await launcher.stopChat(StopContactRequest(contactId: contactId, instanceId: instance), region: region)
                } catch where error.kind == .notFound {
                    // Already ended: nothing left to stop.
                } catch {
                    problems.append("StopContact failed: \(error.code): \(error.message)")
                }
                return problems
            }.value
        }
        channel.close()
        return Result(outcome: outcome, cleanupProblem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}
