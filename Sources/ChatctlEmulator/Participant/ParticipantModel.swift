/// The input shapes of the five Participant Service operations the emulator serves, from
/// `shared/testdata/connect/participant.model.json` (botocore 1.43.11,
/// `connectparticipant/2018-09-07`). The `X-Amz-Bearer` members are checked from the header
/// (``ParticipantRequestChecker``); `ConnectParticipant`, a boolean the table cannot
/// express, is checked there too.
enum ParticipantModel {
    /// Every shape the operations' bodies use, by shape name.
    static let shapes: [String: ModelShape] = [
        "CreateParticipantConnectionRequest": ModelShape(
            name: "CreateParticipantConnectionRequest",
            kind: .structure([ModelMember("Type", shape: "ConnectionTypeList", required: false)])),
        "ConnectionTypeList": ModelShape(name: "ConnectionTypeList", kind: .list(element: "ConnectionType"), min: 1),
        "ConnectionType": ModelShape(
            name: "ConnectionType", kind: .string, enumValues: ["WEBSOCKET", "CONNECTION_CREDENTIALS", "WEBRTC_CONNECTION"]),
        "SendMessageRequest": ModelShape(
            name: "SendMessageRequest",
            kind: .structure([
                ModelMember("ContentType", shape: "ChatContentType", required: true),
                ModelMember("Content", shape: "ChatContent", required: true),
                ModelMember("ClientToken", shape: "ClientToken", required: false),
            ])),
        "SendEventRequest": ModelShape(
            name: "SendEventRequest",
            kind: .structure([
                ModelMember("ContentType", shape: "ChatContentType", required: true),
                ModelMember("Content", shape: "ChatContent", required: false),
                ModelMember("ClientToken", shape: "ClientToken", required: false),
            ])),
        "GetTranscriptRequest": ModelShape(
            name: "GetTranscriptRequest",
            kind: .structure([
                ModelMember("ContactId", shape: "ContactId", required: false),
                ModelMember("MaxResults", shape: "MaxResults", required: false),
                ModelMember("NextToken", shape: "NextToken", required: false),
                ModelMember("ScanDirection", shape: "ScanDirection", required: false),
                ModelMember("SortOrder", shape: "SortKey", required: false),
                ModelMember("StartPosition", shape: "StartPosition", required: false),
            ])),
        "StartPosition": ModelShape(
            name: "StartPosition",
            kind: .structure([
                ModelMember("Id", shape: "ChatItemId", required: false),
                ModelMember("AbsoluteTime", shape: "Instant", required: false),
                ModelMember("MostRecent", shape: "MostRecent", required: false),
            ])),
        "DisconnectParticipantRequest": ModelShape(
            name: "DisconnectParticipantRequest",
            kind: .structure([ModelMember("ClientToken", shape: "ClientToken", required: false)])),
        "ChatContentType": ModelShape(name: "ChatContentType", kind: .string, min: 1, max: 100),
        "ChatContent": ModelShape(name: "ChatContent", kind: .string, min: 1, max: 16384),
        "ClientToken": ModelShape(name: "ClientToken", kind: .string, max: 500),
        "ContactId": ModelShape(name: "ContactId", kind: .string, min: 1, max: 256),
        "MaxResults": ModelShape(name: "MaxResults", kind: .integer, min: 0, max: 100),
        "NextToken": ModelShape(name: "NextToken", kind: .string, min: 1, max: 1000),
        "ScanDirection": ModelShape(name: "ScanDirection", kind: .string, enumValues: ["FORWARD", "BACKWARD"]),
        "SortKey": ModelShape(name: "SortKey", kind: .string, enumValues: ["DESCENDING", "ASCENDING"]),
        "ChatItemId": ModelShape(name: "ChatItemId", kind: .string, min: 1, max: 256),
        "Instant": ModelShape(name: "Instant", kind: .string, min: 1, max: 100),
        "MostRecent": ModelShape(name: "MostRecent", kind: .integer, min: 0, max: 100),
    ]

    /// The input shape of each operation.
    static func inputShape(_ operation: ParticipantOperationName) -> String {
        operation.rawValue + "Request"
    }

    /// The length limits of `ParticipantToken` / `ConnectionToken` (`X-Amz-Bearer`).
    static let tokenLength = 1...1000
}
