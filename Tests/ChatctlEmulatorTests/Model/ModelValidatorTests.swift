import ChatctlJSON
import Testing

@testable import ChatctlEmulator

/// One body and the exact error the model checks answer.
struct ModelCase: CustomTestStringConvertible, Sendable {
    var id: String
    var shape = "StartChatContactRequest"
    var body: String
    var code: String
    var message: String
    var testDescription: String { id }
}

@Suite struct ModelValidatorTests {
    static let valid = #"{"InstanceId":"i-1","ContactFlowId":"f-1","ParticipantDetails":{"DisplayName":"Ann"}}"#

    static let cases: [ModelCase] = [
        ModelCase(
            id: "missing required members", body: "{}", code: "InvalidParameterException",
            message: "3 validation errors detected: "
                + "Value null at 'InstanceId' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'ContactFlowId' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'ParticipantDetails' failed to satisfy constraint: Member must not be null"),
        ModelCase(
            id: "null counts as absent",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":null}}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value null at 'ParticipantDetails.DisplayName' failed to "
                + "satisfy constraint: Member must not be null"),
        ModelCase(
            id: "string too short",
            body: #"{"InstanceId":"","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"}}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'InstanceId' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1"),
        ModelCase(
            id: "length counted in code points",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":""#
                + String(repeating: "😀", count: 257) + #""}}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'ParticipantDetails.DisplayName' failed to satisfy "
                + "constraint: Member must have length less than or equal to 256"),
        ModelCase(
            id: "integer below range",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"ChatDurationInMinutes":59}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'ChatDurationInMinutes' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 60"),
        ModelCase(
            id: "integer above range",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"ChatDurationInMinutes":10081}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'ChatDurationInMinutes' failed to satisfy constraint: "
                + "Member must have value less than or equal to 10080"),
        ModelCase(
            id: "enum",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"ParticipantConfiguration":{"ResponseMode":"FAST"}}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'ParticipantConfiguration.ResponseMode' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [INCREMENTAL, COMPLETE]"),
        ModelCase(
            id: "list too long",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"DisconnectOnCustomerExit":["AGENT","AGENT"]}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'DisconnectOnCustomerExit' failed to satisfy "
                + "constraint: Member must have length less than or equal to 1"),
        ModelCase(
            id: "list element enum",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"DisconnectOnCustomerExit":["CUSTOMER"]}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'DisconnectOnCustomerExit[0]' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [AGENT]"),
        ModelCase(
            id: "map key too long",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"SegmentAttributes":{""#
                + String(repeating: "k", count: 129) + #"":{"ValueString":"v"}}}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'SegmentAttributes' failed to satisfy constraint: "
                + "Map keys must satisfy constraint: [Member must have length less than or equal to 128]"),
        ModelCase(
            id: "unknown member at the top",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"Colour":"red"}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'Colour' failed to satisfy constraint: "
                + "Member is not part of StartChatContactRequest"),
        ModelCase(
            id: "unknown member deep in a recursive shape",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"SegmentAttributes":{"connect:X":{"ValueMap":{"k":{"ValueList":[{"ValueStrung":"v"}]}}}}}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value at 'SegmentAttributes.connect:X.ValueMap.k.ValueList[0]"
                + ".ValueStrung' failed to satisfy constraint: Member is not part of SegmentAttributeValue"),
        ModelCase(
            id: "odd map keys quoted in paths",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"Attributes":{"a b":null}}"#,
            code: "InvalidParameterException",
            message: "1 validation error detected: Value null at 'Attributes[\"a b\"]' failed to satisfy "
                + "constraint: Member must not be null"),
        ModelCase(
            id: "a string where an integer belongs",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"ChatDurationInMinutes":"90"}"#,
            code: "SerializationException",
            message: "Expected an integer at 'ChatDurationInMinutes', found a string."),
        ModelCase(
            id: "a number where a string belongs",
            body: #"{"InstanceId":5,"ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"}}"#,
            code: "SerializationException", message: "Expected a string at 'InstanceId', found an integer."),
        ModelCase(
            id: "a fraction where an integer belongs",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"ChatDurationInMinutes":90.5}"#,
            code: "SerializationException",
            message: "Expected an integer at 'ChatDurationInMinutes', found a number with a fraction."),
        ModelCase(
            id: "an integer beyond 32 bits",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"SegmentAttributes":{"connect:N":{"ValueInteger":4294967296}}}"#,
            code: "SerializationException",
            message: "Value at 'SegmentAttributes.connect:N.ValueInteger' does not fit in a 32-bit integer."),
        ModelCase(
            id: "an array where a structure belongs",
            body: #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":["Ann"]}"#,
            code: "SerializationException", message: "Expected an object at 'ParticipantDetails', found an array."),
        ModelCase(
            id: "a body that is not an object", body: "[1]", code: "SerializationException",
            message: "The request body must be a JSON object, found an array."),
        ModelCase(
            id: "stop contact requires its members", shape: "StopContactRequest", body: #"{"DisconnectReason":{}}"#,
            code: "InvalidParameterException",
            message: "2 validation errors detected: "
                + "Value null at 'ContactId' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'InstanceId' failed to satisfy constraint: Member must not be null"),
    ]

    @Test(arguments: cases)
    func answersTheServiceError(_ testCase: ModelCase) throws {
        let value = try JSONParser.parse(testCase.body)
        #expect(throws: ConnectError(code: testCase.code, httpStatus: 400, message: testCase.message)) {
            try ModelValidator().validate(value, shape: testCase.shape)
        }
    }

    @Test func acceptsAMinimalRequest() throws {
        try ModelValidator().validate(try JSONParser.parse(Self.valid), shape: "StartChatContactRequest")
    }

    @Test func acceptsEveryMemberAtItsLimits() throws {
        let body = """
            {"InstanceId":"\(String(repeating: "i", count: 100))","ContactFlowId":"\(String(repeating: "f", count: 500))",
             "Attributes":{"k":""},"ParticipantDetails":{"DisplayName":"\(String(repeating: "d", count: 256))"},
             "ParticipantConfiguration":{"ResponseMode":"COMPLETE"},
             "InitialMessage":{"ContentType":"text/plain","Content":"hi"},"ClientToken":"",
             "ChatDurationInMinutes":10080,"SupportedMessagingContentTypes":["text/plain"],
             "PersistentChat":{"RehydrationType":"FROM_SEGMENT","SourceContactId":"c"},
             "SegmentAttributes":{"connect:A":{"ValueInteger":-2147483648},"connect:B":{"ValueList":[]},"connect:C":{"ValueMap":{}}},
             "CustomerId":"c","DisconnectOnCustomerExit":["AGENT"]}
            """
        try ModelValidator().validate(try JSONParser.parse(body), shape: "StartChatContactRequest")
    }

    @Test func neverEchoesASensitiveValue() throws {
        let secret = String(repeating: "s", count: 129)
        let body = #"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"A"},"CustomerId":""#
            + secret + #""}"#
        do {
            try ModelValidator().validate(try JSONParser.parse(body), shape: "StartChatContactRequest")
            Issue.record("expected an error")
        } catch let error as ConnectError {
            #expect(!error.message.contains(secret))
            #expect(error.message.contains("'CustomerId'"))
        }
    }
}
