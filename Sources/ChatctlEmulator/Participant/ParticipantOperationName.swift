/// The Participant Service operations the emulator serves.
public enum ParticipantOperationName: String, Sendable, Hashable, CaseIterable {
    /// `POST /participant/connection`, with the ParticipantToken.
    case createParticipantConnection = "CreateParticipantConnection"
    /// `POST /participant/message`.
    case sendMessage = "SendMessage"
    /// `POST /participant/event`.
    case sendEvent = "SendEvent"
    /// `POST /participant/transcript`.
    case getTranscript = "GetTranscript"
    /// `POST /participant/disconnect`.
    case disconnectParticipant = "DisconnectParticipant"
}

extension ParticipantOperationName {
    /// Whether this call, as the customer's first sign of listening, starts a flow that has
    /// not started yet (``ContactStore/claimFlowStart(_:now:)``). CreateParticipantConnection
    /// decides for itself (only without a WebSocket); DisconnectParticipant ends the chat.
    var startsTheFlow: Bool {
        switch self {
        case .sendMessage, .sendEvent, .getTranscript: true
        case .createParticipantConnection, .disconnectParticipant: false
        }
    }
}
