/// The action types of the flow language and what the emulator does with each
/// (docs/emulator.md, "Contact flows", has the same table for people).
public enum FlowActionCatalogue {
    /// How the interpreter treats an action type.
    public enum Support: String, Sendable, Hashable {
        /// Emulated fully from the flow alone.
        case emulated
        /// Emulated from the fixtures file (Lex bots, Lambda functions, hours, random splits).
        case withFixtures = "with fixtures"
        /// Takes its error branch, as the service does on chat (GetParticipantInput), or
        /// because the emulator does not emulate it; reported as not emulated.
        case errorBranch = "error branch"
    }

    /// Action types emulated from the flow alone.
    public static let emulated: Set<String> = [
        "MessageParticipant", "UpdateContactAttributes", "Compare", "UpdateContactTargetQueue",
        "TransferContactToQueue", "TransferToFlow", "EndFlowExecution", "DisconnectParticipant",
    ]

    /// Setters that are recorded and otherwise have no effect in the emulator.
    public static let setters: Set<String> = [
        "UpdateFlowLoggingBehavior", "UpdateContactRecordingBehavior", "UpdateContactEventHooks",
        "UpdateContactRoutingBehavior", "UpdateContactTextToSpeechVoice", "UpdateContactMediaProcessing",
        "UpdateContactRecordingAndAnalyticsBehavior", "UpdateContactData", "UpdateFlowAttributes",
        "UpdateRoutingCriteria", "UpdateContactCallbackNumber", "UpdateQueueMetricsBehavior",
    ]

    /// Action types that need the fixtures file.
    public static let withFixtures: Set<String> = [
        "ConnectParticipantWithLexBot", "InvokeLambdaFunction", "CheckHoursOfOperation",
        "DistributeByPercentage", "Wait",
    ]

    /// Action types of the flow language the emulator knows but does not emulate: they take
    /// their error branch (research section 3.5, tier C, and GetParticipantInput on chat).
    public static let notEmulated: Set<String> = [
        "GetParticipantInput", "MessageParticipantIteratively", "ShowView", "CheckMetricData",
        "CheckOutboundCallStatus", "CheckVoiceId", "GetMetricData", "Loop", "StartVoiceIdStream",
        "AuthenticateParticipant", "CreateWisdomSession", "CreateTask", "CreateCallbackContact",
        "CreatePersistentContactAssociation", "TransferParticipantToThirdParty", "CompleteOutboundCall",
        "InvokeFlowModule", "ResumeContact", "TagContact", "UnTagContact", "EndFlowModuleExecution",
        "HoldParticipantConnection", "ResumeParticipantConnection", "StartMediaStreaming", "StopMediaStreaming",
        "DisconnectParticipantConnection", "GetCustomerProfile", "CreateCustomerProfile", "UpdateCustomerProfile",
    ]

    /// Whether `type` is an action type of the flow language this catalogue knows.
    public static func isKnown(_ type: String) -> Bool {
        emulated.contains(type) || setters.contains(type) || withFixtures.contains(type) || notEmulated.contains(type)
    }

    /// How the interpreter treats `type`.
    public static func support(of type: String) -> Support {
        if emulated.contains(type) || setters.contains(type) { return .emulated }
        if withFixtures.contains(type) { return .withFixtures }
        return .errorBranch
    }
}
