/// What a ``ParticipantChatChannel`` reports, in order.
public enum ParticipantChannelEvent: Sendable, Equatable {
    /// Subscribed to `aws/chat`: the first connection (1) or a reconnection (2, 3, …). The
    /// catch-up through GetTranscript follows at once, as ``item(_:)`` events.
    case connected(connection: Int)
    /// A transcript item not delivered before (by `Id`), from the socket or from a catch-up.
    case item(ChatTranscriptItem)
    /// The server answered a heartbeat (for progress displays; nothing to act on).
    case heartbeatAnswered
    /// The chat-ended item arrived (it was delivered as ``item(_:)`` just before): the
    /// channel closed its socket and reports nothing more.
    case ended
    /// The channel gave up; nothing more follows.
    case failed(ParticipantChannelError)
}

/// Why a ``ParticipantChatChannel`` gave up. ``description`` holds no token and no URL query.
public struct ParticipantChannelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed last.
    public enum Reason: Sendable, Equatable {
        /// A Participant Service call (CreateParticipantConnection, GetTranscript) failed.
        case call(AWSCallError)
        /// The WebSocket could not be opened or broke.
        case webSocket(WebSocketError)
        /// CreateParticipantConnection answered no WebSocket URL or no ConnectionToken.
        case incompleteConnection
        /// The server refused the `aws/chat` subscription.
        case subscriptionRefused
        /// No answer to the subscription in the time allowed.
        case subscriptionTimedOut
        /// A heartbeat went unanswered until the next one was due.
        case heartbeatUnanswered
        /// The socket closed, the chat not ended.
        case connectionLost(code: UInt16)
    }

    /// What failed last.
    public var reason: Reason
    /// How many connections were tried, the last one included.
    public var attempts: Int

    /// Creates an error.
    public init(reason: Reason, attempts: Int) {
        self.reason = reason
        self.attempts = attempts
    }

    /// One line, for example `the chat's live channel failed after 6 connection attempts: …`.
    public var description: String {
        let what: String
        switch reason {
        case .call(let error): what = error.description
        case .webSocket(let error): what = error.description
        case .incompleteConnection: what = "CreateParticipantConnection answered no WebSocket URL or no ConnectionToken"
        case .subscriptionRefused: what = "the server refused the aws/chat subscription"
        case .subscriptionTimedOut: what = "the server did not answer the aws/chat subscription in time"
        case .heartbeatUnanswered: what = "a heartbeat went unanswered"
        case .connectionLost(let code): what = "the WebSocket closed (code \(code)) before the chat ended"
        }
        let tries = attempts == 1 ? "1 connection attempt" : "\(attempts) connection attempts"
        return "the chat's live channel failed after \(tries): \(what)"
    }
}
