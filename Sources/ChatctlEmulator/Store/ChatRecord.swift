public import Foundation

/// What the emulator keeps of a chat beyond its ``EmulatedContact``: the transcript, the
/// customer's connection, the contact attributes a flow set, the queue it was put in, and
/// why it ended. It holds no token (only hashes, in the store's indexes).
public struct ChatRecord: Sendable, Equatable {
    /// Items carried over from the contacts a persistent chat continues, oldest first.
    public var pastItems: [TranscriptItem] = []
    /// This contact's items, oldest first.
    public var items: [TranscriptItem] = []
    /// The customer's display name (`ParticipantDetails.DisplayName`).
    public var customerDisplayName: String
    /// When the customer first called CreateParticipantConnection.
    public var customerConnectedAt: Date?
    /// When the chat ends if the customer has not connected by then (`nil`: never).
    public var connectDeadline: Date?
    /// Contact attributes, as StartChatContact gave them and a flow set them.
    public var attributes: [String: String] = [:]
    /// The queue a flow put the contact in.
    public var queueID: String?
    /// When a flow put it in a queue.
    public var queuedAt: Date?
    /// Why it ended.
    public var endReason: ChatEndReason?
    /// The item each SendMessage or SendEvent `ClientToken` created, so a retry gets the
    /// same answer and adds nothing.
    var clientTokens: [String: String] = [:]
}

/// Why a chat ended, as the admin API shows it.
public enum ChatEndReason: String, Sendable, Equatable {
    /// StopContact ended it.
    case stopContact = "STOP_CONTACT"
    /// The customer called DisconnectParticipant.
    case customerDisconnected = "CUSTOMER_DISCONNECT"
    /// The customer never called CreateParticipantConnection within the connect window.
    case customerNeverConnected = "CUSTOMER_NEVER_CONNECTED"
    /// Its `ChatDurationInMinutes` ran out.
    case expired = "EXPIRED"
    /// The contact flow disconnected it (a DisconnectParticipant block).
    case flowDisconnected = "CONTACT_FLOW_DISCONNECT"
}
