public import Foundation

/// A change of a contact's state, published by the ``ContactStore`` to every subscriber of
/// the emulator's ``ContactEventHub`` (the Participant WebSocket and a flow interpreter
/// react to these; `GET /_emulator/events` streams them).
///
/// Times are on the emulator's clock (the wall clock plus every `/_emulator/advance`): a
/// chat that expired while time jumped ahead is reported at the instant its duration ran
/// out, not when the emulator noticed.
public struct ContactEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Sendable, Equatable {
        /// StartChatContact created the contact.
        case started = "contact.started"
        /// StopContact ended it.
        case stopped = "contact.stopped"
        /// Its `ChatDurationInMinutes` ran out.
        case expired = "contact.expired"
        /// It came from outside this run (``EmulatorServer/importContacts(_:)``).
        case imported = "contact.imported"
        /// It ended otherwise: DisconnectParticipant, the customer never connecting, or its
        /// contact flow (``ChatRecord/endReason`` says which).
        case ended = "contact.ended"
        /// Its contact flow put it in a queue (``ChatRecord/queueID``); the chat goes on.
        case queued = "contact.queued"
        /// An item was added to its transcript (``ContactEvent/item``).
        case transcriptItem = "chat.item"
    }

    /// 1 for the first event since the start or the last reset, then one more each time:
    /// a subscriber sees a gap when it fell behind and lost events.
    public var sequence: Int
    /// What happened.
    public var kind: Kind
    /// The contact it happened to.
    public var contactID: String
    /// Its instance.
    public var instanceID: String
    /// When it happened, in emulated time.
    public var at: Date
    /// The transcript item of a ``Kind/transcriptItem`` event.
    public var item: TranscriptItem?

    /// Creates an event.
    public init(
        sequence: Int, kind: Kind, contactID: String, instanceID: String, at: Date, item: TranscriptItem? = nil
    ) {
        self.sequence = sequence
        self.kind = kind
        self.contactID = contactID
        self.instanceID = instanceID
        self.at = at
        self.item = item
    }
}
