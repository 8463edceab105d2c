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
