public import Foundation

/// A chat contact the emulator created, as the admin API shows it. It holds no participant
/// token (only its SHA-256, as chatctl's lockfile does), no customer id and no attribute
/// values.
public struct EmulatedContact: Sendable, Equatable {
    /// Where a contact is in its life.
    public enum State: String, Sendable, Equatable {
        /// Started, not yet ended.
        case active
        /// Ended by StopContact.
        case stopped
        /// Ended because its duration passed.
        case expired
    }

    /// `ContactId`.
    public var contactID: String
    /// `ParticipantId` of the customer.
    public var participantID: String
    /// The lowercase hex SHA-256 of the `ParticipantToken` that was answered.
    public var participantTokenSHA256: String
    /// The bare instance id.
    public var instanceID: String
    /// The bare contact flow id.
    public var contactFlowID: String
    /// The `ClientToken` of the request that created it, if it carried one.
    public var clientToken: String?
    /// When it was created (emulated time).
    public var createdAt: Date
    /// When its duration runs out (emulated time).
    public var expiresAt: Date
    /// When StopContact ended it.
    public var stoppedAt: Date?
    /// The `DisconnectReason.Code` StopContact gave.
    public var disconnectReasonCode: String?
    /// `ChatDurationInMinutes`, or the default of 1500 (25 hours).
    public var chatDurationInMinutes: Int
    /// The contact a persistent chat continues (`ContinuedFromContactId`).
    public var continuedFromContactID: String?
    /// The first contact of its persistent-chat session (its own id when it continues none).
    public var initialContactID: String
    /// `RelatedContactId`.
    public var relatedContactID: String?
    /// When its flow put it in a queue (`QueueInfo.EnqueueTimestamp`), and which queue.
    /// Set through ``ContactStore/enqueue(_:queueID:at:)``: the hook the flow interpreter
    /// uses; nothing sets it before flows run.
    public var queuedAt: Date?
    public var queueID: String?
    /// When an agent took it (`AgentInfo.ConnectedToAgentTimestamp`), set through
    /// ``ContactStore/connectToAgent(_:at:)``.
    public var agentConnectedAt: Date?

    /// The state at `now`.
    public func state(at now: Date) -> State {
        if stoppedAt != nil {
            return .stopped
        }
        return now >= expiresAt ? .expired : .active
    }

    /// When it ended, or `nil` while it is active at `now`.
    public func endedAt(at now: Date) -> Date? {
        if let stoppedAt {
            return stoppedAt
        }
        return now >= expiresAt ? expiresAt : nil
    }
}

extension EmulatedContact {
    /// A contact as an earlier run, or Amazon Connect itself, left it. The participant
    /// token's hash is empty: nobody can join such a chat through the emulator.
    /// - Parameters:
    ///   - ended: when the chat ended, if it has; `nil` for a chat still running until `expiresAt`.
    public init(
        contactID: String, instanceID: String, contactFlowID: String = "imported", participantID: String = "imported",
        clientToken: String? = nil, createdAt: Date, expiresAt: Date, ended: Date? = nil
    ) {
        self.contactID = contactID
        self.participantID = participantID
        self.participantTokenSHA256 = ""
        self.instanceID = instanceID
        self.contactFlowID = contactFlowID
        self.clientToken = clientToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.stoppedAt = ended
        self.disconnectReasonCode = nil
        self.chatDurationInMinutes = max(0, Int(expiresAt.timeIntervalSince(createdAt) / 60))
        self.continuedFromContactID = nil
        self.initialContactID = contactID
        self.relatedContactID = nil
    }
}
