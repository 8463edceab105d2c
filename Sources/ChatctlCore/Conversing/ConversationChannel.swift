public import Foundation

/// What happened in a chat, as a ``ConversationChannel`` reports it.
public enum ConversationEvent: Sendable, Hashable {
    /// A transcript item (message, event, attachment), from the live connection or from
    /// a transcript catch-up; the same item may come more than once.
    case item(ConversationItem)
    /// A change of the contact's state, read from DescribeContact.
    case contact(ContactChange)

    /// The contact states DescribeContact reveals.
    public enum ContactChange: String, Sendable, Hashable {
        /// `QueueInfo.EnqueueTimestamp` appeared.
        case queued
        /// `AgentInfo.ConnectedToAgentTimestamp` appeared.
        case withAgent = "with-agent"
        /// `DisconnectTimestamp` appeared.
        case ended
    }
}

/// The customer's side of one chat, as the ``Verifier`` drives it. The Participant Service
/// client (WebSocket, GetTranscript catch-up, DescribeContact polling) implements it; the
/// tests implement it in memory.
///
/// Both methods must never put a token, a connection token or a customer id in an error.
public protocol ConversationChannel: Sendable {
    /// Sends a message as the customer (SendMessage).
    /// - Throws: ``ConversationChannelError`` when it could not be sent.
    func send(_ message: Conversation.Message) async throws(ConversationChannelError)

    /// The next event, waiting until `deadline` (by the same clock the verifier reads);
    /// `nil` when the deadline passes first.
    /// - Throws: ``ConversationChannelError`` when the channel is lost for good.
    func nextEvent(until deadline: Date) async throws(ConversationChannelError) -> ConversationEvent?
}

/// A channel failure: what went wrong, in words safe to print.
public struct ConversationChannelError: Error, Sendable, Equatable {
    public var message: String

    public init(message: String) {
        self.message = message
    }
}
