internal import ChatctlJSON
internal import Foundation

/// The customer's live view of a chat: the WebSocket CreateParticipantConnection answers,
/// subscribed to `aws/chat`, kept alive with heartbeats, reconnected through a new
/// CreateParticipantConnection when it is lost, and completed with GetTranscript (what came
/// before the subscription, or while the socket was down), each item delivered once by `Id`
/// (research §1.6, §1.7).
///
/// One connection goes: CreateParticipantConnection (WEBSOCKET and CONNECTION_CREDENTIALS) →
/// open the URL within ``Timing/handshakeTimeout`` (under the service's 100 s) → subscribe
/// and wait ``Timing/subscribeTimeout`` for `success` → ``ParticipantChannelEvent/connected(connection:)``
/// → catch up through GetTranscript → items as they come; every ``Timing/heartbeatInterval``
/// a heartbeat, and one still unanswered at the next tick counts the socket as dead. The
/// chat-ended item closes the channel (``ParticipantChannelEvent/ended``). A lost connection
/// is retried after ``Timing/reconnectDelay``, at most ``Timing/maxReconnects`` times in a row
/// without a subscription in between; an AccessDenied on CreateParticipantConnection (the chat
/// is over) is not retried.
///
/// Every wait is on the injected ``AWSClock``, so tests drive time themselves.
public final class ParticipantChatChannel: Sendable {
    /// The channel's time limits, in seconds.
    public struct Timing: Sendable, Equatable {
        /// Between heartbeats (ChatJS: 10).
        public var heartbeatInterval: Double
        /// To connect and finish the opening handshake; the service allows 100 from
        /// CreateParticipantConnection.
        public var handshakeTimeout: Double
        /// For the subscription's answer.
        public var subscribeTimeout: Double
        /// Before a reconnection.
        public var reconnectDelay: Double
        /// Reconnections in a row without a subscription before giving up.
        public var maxReconnects: Int

        /// Creates timings.
        public init(
            heartbeatInterval: Double = 10, handshakeTimeout: Double = 30, subscribeTimeout: Double = 15,
            reconnectDelay: Double = 1, maxReconnects: Int = 5
        ) {
            self.heartbeatInterval = heartbeatInterval
            self.handshakeTimeout = min(handshakeTimeout, 100)
            self.subscribeTimeout = subscribeTimeout
            self.reconnectDelay = reconnectDelay
            self.maxReconnects = max(0, maxReconnects)
        }
    }

    /// The events, ending after ``ParticipantChannelEvent/ended`` or ``ParticipantChannelEvent/failed(_:)``
    /// (or when ``close()`` is called).
    public let events: AsyncStream<ParticipantChannelEvent>
    /// The timings.
    public let timing: Timing
    private let continuation: AsyncStream<ParticipantChannelEvent>.Continuation
    private let client: ParticipantClient
    private let participantToken: Sensitive<String>
    private let configuration: WebSocketConfiguration
    private let clock: any AWSClock
    private let state = Locked(State())

    private struct State {
        var connectionToken: Sensitive<String>?
        var delivered: Set<String> = []
        var task: Task<Void, Never>?
        var started = false
    }

    /// Creates a channel; ``start()`` opens it.
    ///
    /// - Parameters:
    ///   - client: the Participant Service client of the chat's instance.
    ///   - participantToken: StartChatContact's `ParticipantToken`.
    ///   - configuration: how the WebSocket connects (trust store, proxies, limits).
    ///   - clock: what times heartbeats, timeouts and reconnection delays.
    ///   - timing: the time limits.
    public init(
        client: ParticipantClient, participantToken: Sensitive<String>, configuration: WebSocketConfiguration,
        clock: any AWSClock = SystemAWSClock(), timing: Timing = Timing()
    ) {
        self.client = client
        self.participantToken = participantToken
        self.configuration = configuration
        self.clock = clock
        self.timing = timing
        (events, continuation) = AsyncStream.makeStream(of: ParticipantChannelEvent.self, bufferingPolicy: .unbounded)
    }

    /// The `ConnectionToken` of the latest connection, for SendMessage and the other calls;
    /// `nil` before the first CreateParticipantConnection answered.
    public var connectionToken: Sensitive<String>? {
        state.withLock { $0.connectionToken }
    }

    /// Starts connecting, in a task of its own; a second call does nothing.
    public func start() {
        state.withLock { state in
            guard !state.started else { return }
            state.started = true
            state.task = Task { [self] in
                await run()
                continuation.finish()
            }
        }
    }

    /// Stops the channel: closes the socket and ends ``events``.
    public func close() {
        let task = state.withLock { $0.task }
        task?.cancel()
        continuation.finish()
    }

    // MARK: - The connections

    /// How one connection ended.
    private enum Ending {
        case ended
        case lost(ParticipantChannelError.Reason)
        case failed(ParticipantChannelError.Reason)
        case cancelled
    }

    private func run() async {
        var attempts = 0
        var failuresInARow = 0
        var connections = 0
        while !Task.isCancelled {
            attempts += 1
            let ending = await connectOnce(onSubscribed: {
                connections += 1
                failuresInARow = 0
                return connections
            })
            switch ending {
            case .ended:
                continuation.yield(.ended)
                return
            case .cancelled:
                return
            case .failed(let reason):
                continuation.yield(.failed(ParticipantChannelError(reason: reason, attempts: attempts)))
                return
            case .lost(let reason):
                failuresInARow += 1
                guard failuresInARow <= timing.maxReconnects else {
                    continuation.yield(.failed(ParticipantChannelError(reason: reason, attempts: attempts)))
                    return
                }
                do {
                    try await clock.sleep(seconds: timing.reconnectDelay)
                } catch {
                    return
                }
            }
        }
    }

    /// Inputs of one connection's loop, from the socket, the heartbeat and the timers.
    private enum Input {
        case socket(WebSocketConnection.Event)
        case heartbeatDue
        case subscribeTimedOut
    }

    private func connectOnce(onSubscribed: () -> Int) async -> Ending {
        let answer: CreateParticipantConnectionResponse
        do {
            answer = try await client.createParticipantConnection(participantToken: participantToken)
        } catch {
            if Task.isCancelled { return .cancelled }
            // AccessDenied: the chat is over or the token is wrong; a retry cannot help.
            if error.serviceError?.kind == .accessDenied || error.serviceError?.kind == .validation {
                return .failed(.call(error))
            }
            return .lost(.call(error))
        }
        guard let url = answer.webSocket?.url, let token = answer.connectionCredentials?.connectionToken else {
            return .failed(.incompleteConnection)
        }
        state.withLock { $0.connectionToken = token }
        let socket: WebSocketConnection
        do {
            socket = try await WebSocketConnection.open(
                url: url.value, configuration: configuration, clock: clock, handshakeTimeout: timing.handshakeTimeout)
        } catch {
            if Task.isCancelled { return .cancelled }
            return .lost(.webSocket(error))
        }
        defer { socket.close(code: RFC6455.CloseCode.normal) }

        let (inputs, feed) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .unbounded)
        let forwarder = Task {
            for await event in socket.events {
                feed.yield(.socket(event))
            }
            feed.finish()
        }
        let subscribeTimer = Task { [clock, timing] in
            guard (try? await clock.sleep(seconds: timing.subscribeTimeout)) != nil, !Task.isCancelled else { return }
            feed.yield(.subscribeTimedOut)
        }
        var heartbeat: Task<Void, Never>?
        defer {
            forwarder.cancel()
            subscribeTimer.cancel()
            heartbeat?.cancel()
            feed.finish()
        }
        do {
            try socket.send(text: Self.subscribeFrame)
        } catch {
            return .lost(.webSocket(error))
        }

        var subscribed = false
        var heartbeatPending = false
        for await input in inputs {
            guard !Task.isCancelled else { return .cancelled }
            switch input {
            case .subscribeTimedOut:
                if !subscribed { return .lost(.subscriptionTimedOut) }
            case .heartbeatDue:
                guard !heartbeatPending else { return .lost(.heartbeatUnanswered) }
                heartbeatPending = true
                do {
                    try socket.send(text: Self.heartbeatFrame)
                } catch {
                    return .lost(.webSocket(error))
                }
            case .socket(.closed(let code, let failure)):
                if let failure { return .lost(.webSocket(failure)) }
                return .lost(.connectionLost(code: code))
            case .socket(.binary):
                continue
            case .socket(.text(let text)):
                guard let frame = try? JSONParser.parse(Array(text.utf8)) else { continue }
                switch frame["topic"]?.stringValue {
                case "aws/subscribe":
                    guard !subscribed else { continue }
                    guard frame["content"]?["status"]?.stringValue == "success" else {
                        return .failed(.subscriptionRefused)
                    }
                    subscribed = true
                    subscribeTimer.cancel()
                    continuation.yield(.connected(connection: onSubscribed()))
                    switch await catchUp(token: token) {
                    case .ended: return .ended
                    case .cancelled: return .cancelled
                    case .failed(let reason): return .failed(reason)
                    case .lost(let reason): return .lost(reason)
                    case nil: break
                    }
                    heartbeat = Task { [clock, timing] in
                        while (try? await clock.sleep(seconds: timing.heartbeatInterval)) != nil, !Task.isCancelled {
                            feed.yield(.heartbeatDue)
                        }
                    }
                case "aws/heartbeat":
                    if heartbeatPending {
                        heartbeatPending = false
                        continuation.yield(.heartbeatAnswered)
                    }
                case "aws/chat":
                    guard let content = frame["content"]?.stringValue, let item = ChatTranscriptItem.parse(json: content)
                    else { continue }
                    if deliver(item) { return .ended }
                default:
                    continue
                }
            }
        }
        return Task.isCancelled ? .cancelled : .lost(.connectionLost(code: WebSocketConnection.abnormalClosure))
    }

    /// GetTranscript from the start, every item not yet delivered; `nil` when the chat goes on.
    private func catchUp(token: Sensitive<String>) async -> Ending? {
        let items: [ChatTranscriptItem]
        do {
            items = try await client.transcript(connectionToken: token)
        } catch {
            if Task.isCancelled { return .cancelled }
            if error.serviceError?.kind == .accessDenied {
                // Refused just after a connection and a subscription that succeeded: the chat
                // ended in between (a flow that greets and disconnects at once). What was
                // said, and the chat-ended item, still come on this socket, which the caller
                // goes on reading; a socket that closes instead ends in the reconnection's
                // own AccessDenied.
                return nil
            }
            return .lost(.call(error))
        }
        for item in items where deliver(item) {
            return .ended
        }
        return nil
    }

    /// Delivers `item` unless its `Id` was delivered before; returns whether it ends the chat.
    private func deliver(_ item: ChatTranscriptItem) -> Bool {
        let isNew = state.withLock { $0.delivered.insert(item.id).inserted }
        guard isNew else { return false }
        continuation.yield(.item(item))
        return item.endsChat
    }

    /// `{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}`.
    static let subscribeFrame = JSONWriter.compact.string(
        .object(["topic": .string("aws/subscribe"), "content": .object(["topics": .array([.string("aws/chat")])])]))
    /// `{"topic":"aws/heartbeat"}`.
    static let heartbeatFrame = JSONWriter.compact.string(.object(["topic": .string("aws/heartbeat")]))
}
