public import ChatctlAWS
public import Foundation

/// ``ConversationChannel`` over the Participant Service: the customer's side of one
/// launched chat, for `chatctl verify` and `apply --verify` (docs/verify.md).
///
/// - `send` is SendMessage with the live connection's ConnectionToken.
/// - `nextEvent(until:)` yields the items of the ``ParticipantChatChannel`` (WebSocket plus
///   GetTranscript catch-up) and `.contact(…)` changes read by polling DescribeContact.
///
/// Waits are on the ``ApplyClock`` the ``Verifier`` is given, in slices of
/// ``pollSlice`` seconds: the events come from two sources (the socket's stream and the
/// DescribeContact poll), and a short poll of one buffer keeps the deadline exact on an
/// injected clock without racing tasks.
///
/// Errors hold neither token nor the WebSocket URL: the service errors arrive redacted
/// and the channel's own errors quote no query.
public final class ParticipantConversationChannel: ConversationChannel, @unchecked Sendable {
    // @unchecked: `buffer`, `failure`, `reported` and the tasks are only touched under `lock`.
    private let lock = NSLock()
    private var buffer: [ConversationEvent] = []
    private var failure: ConversationChannelError?
    private var reported: Set<ConversationEvent.ContactChange> = []
    /// The chat-ended item or DescribeContact's disconnect time was seen.
    private var ended = false
    private var tasks: [Task<Void, Never>] = []

    private let client: ParticipantClient
    private let live: ParticipantChatChannel
    private let describe: @Sendable () async throws(LaunchFailure) -> DescribeContactResponse
    private let clock: any ApplyClock
    /// Seconds between DescribeContact calls.
    public let describeInterval: Double
    /// The longest single wait of `nextEvent` before it looks at the buffer again.
    public let pollSlice: Double

    /// - Parameters:
    ///   - client: the Participant Service client of the chat's instance.
    ///   - live: the chat's live channel (not started; ``start()`` starts it).
    ///   - describe: DescribeContact of the chat's contact.
    ///   - clock: the verifier's clock.
    ///   - describeInterval: seconds between DescribeContact calls (default 1).
    ///   - pollSlice: the longest single wait (default 0.05 s).
    public init(
        client: ParticipantClient, live: ParticipantChatChannel,
        describe: @escaping @Sendable () async throws(LaunchFailure) -> DescribeContactResponse,
        clock: any ApplyClock, describeInterval: Double = 1, pollSlice: Double = 0.05
    ) {
        self.client = client
        self.live = live
        self.describe = describe
        self.clock = clock
        self.describeInterval = describeInterval
        self.pollSlice = pollSlice
    }

    /// Opens the live channel and starts polling DescribeContact.
    public func start() {
        live.start()
        let reading = Task { [self] in
            for await event in live.events {
                switch event {
                case .item(let item):
                    if item.endsChat { lock.withLock { ended = true } }
                    push(.item(Self.conversationItem(item)))
                case .failed(let error): fail(ConversationChannelError(message: error.description))
                case .connected, .heartbeatAnswered, .ended: continue
                }
            }
        }
        let polling = Task { [self] in await poll() }
        lock.withLock { tasks = [reading, polling] }
    }

    /// Stops reading and polling, and closes the live channel.
    public func close() {
        let running = lock.withLock { tasks }
        running.forEach { $0.cancel() }
        live.close()
    }

    public func send(_ message: Conversation.Message) async throws(ConversationChannelError) {
        let token = try await connectionToken()
        do {
            _ = try await client.sendMessage(
                SendMessageRequest(content: message.content, contentType: message.contentType), connectionToken: token)
        } catch {
            throw ConversationChannelError(message: error.description)
        }
    }

    public func nextEvent(until deadline: Date) async throws(ConversationChannelError) -> ConversationEvent? {
        while true {
            let (next, failed) = lock.withLock { () -> (ConversationEvent?, ConversationChannelError?) in
                if !buffer.isEmpty { return (buffer.removeFirst(), nil) }
                return (nil, failure)
            }
            if let next { return next }
            if let failed { throw failed }
            let now = clock.now()
            if now >= deadline { return nil }
            do {
                try await clock.sleep(until: min(deadline, now.addingTimeInterval(pollSlice)))
            } catch {
                return nil
            }
        }
    }

    /// The customer leaves (DisconnectParticipant) unless the chat has ended (the service
    /// refuses the token then); errors are returned, not thrown, as cleanup goes on with
    /// StopContact whatever happens here.
    public func disconnect() async -> String? {
        guard let token = live.connectionToken, !lock.withLock({ ended }) else { return nil }
        do {
            try await client.disconnectParticipant(connectionToken: token)
            return nil
        } catch {
            return error.description
        }
    }

    /// The ConnectionToken, waiting for the first connection (bounded by the live
    /// channel's handshake and subscription limits: it fails or connects by then).
    private func connectionToken() async throws(ConversationChannelError) -> Sensitive<String> {
        while true {
            if let token = live.connectionToken { return token }
            if let failed = lock.withLock({ failure }) { throw failed }
            do {
                try await clock.sleep(until: clock.now().addingTimeInterval(pollSlice))
            } catch {
                throw ConversationChannelError(message: "cancelled before the chat's connection was made")
            }
        }
    }

    /// DescribeContact every `describeInterval` until the contact ended; each change once.
    private func poll() async {
        while !Task.isCancelled {
            if let contact = try? await describe().contact {
                var changes: [ConversationEvent.ContactChange] = []
                if contact.enqueueTimestamp != nil { changes.append(.queued) }
                if contact.connectedToAgentTimestamp != nil { changes.append(.withAgent) }
                if contact.disconnectTimestamp != nil { changes.append(.ended) }
                for change in changes where lock.withLock({ reported.insert(change).inserted }) {
                    push(.contact(change))
                }
                if changes.contains(.ended) {
                    lock.withLock { ended = true }
                    return
                }
            }
            do {
                try await clock.sleep(until: clock.now().addingTimeInterval(describeInterval))
            } catch {
                return
            }
        }
    }

    private func push(_ event: ConversationEvent) {
        lock.withLock { buffer.append(event) }
    }

    private func fail(_ error: ConversationChannelError) {
        lock.withLock { if failure == nil { failure = error } }
    }

    /// The item as the verifier sees it: no participant id, no contact ids.
    static func conversationItem(_ item: ChatTranscriptItem) -> ConversationItem {
        let kind: ConversationItem.Kind
        switch item.type {
        case "MESSAGE": kind = .message
        case "ATTACHMENT": kind = .attachment
        case "EVENT", "CHAT_ENDED", "PARTICIPANT_LEFT", "PARTICIPANT_JOINED", "TYPING": kind = .event
        default: kind = item.endsChat ? .event : .other
        }
        let time = item.absoluteTime.flatMap(Self.parseTime) ?? Date(timeIntervalSince1970: 0)
        return ConversationItem(
            id: item.id, kind: kind, role: item.participantRole.flatMap(Conversation.Role.init(rawValue:)),
            displayName: item.displayName, contentType: item.contentType ?? (item.endsChat ? ConversationItem.chatEndedType : ""),
            content: item.content, time: time, isComplete: item.isComplete)
    }

    private static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
