import Testing

@testable import ChatctlEmulator

/// One request and the exact error the rules between members answer.
struct RuleCase: CustomTestStringConvertible, Sendable {
    var id: String
    var extra: String
    var code: String
    var status = 400
    var message: String
    var instance = "i-1"
    var flow = "f-1"
    var testDescription: String { id }

    var body: [UInt8] {
        Array(
            (#"{"InstanceId":"\#(instance)","ContactFlowId":"\#(flow)","ParticipantDetails":{"DisplayName":"Ann"}"#
                + (extra.isEmpty ? "" : "," + extra) + "}").utf8)
    }
}

@Suite struct ConnectRequestCheckerTests {
    static let interactive = "application/vnd.amazonaws.connect.message.interactive"
    static let response = "application/vnd.amazonaws.connect.message.interactive.response"

    static let cases: [RuleCase] = [
        RuleCase(
            id: "invalid JSON", extra: #""Attributes":{,}"#, code: "SerializationException",
            message: "The request body is not valid JSON: 1:100: expected a member name in double quotes, found ','."),
        RuleCase(
            id: "duplicate member names", extra: #""ClientToken":"a","ClientToken":"b""#, code: "SerializationException",
            message: "The request body is not valid JSON: 1:104: duplicate key \"ClientToken\"."),
        RuleCase(
            id: "related contact with persistent chat",
            extra: #""RelatedContactId":"c","PersistentChat":{"RehydrationType":"FROM_SEGMENT","SourceContactId":"s"}"#,
            code: "InvalidRequestException",
            message: "You cannot provide data for both RelatedContactId and PersistentChat."),
        RuleCase(
            id: "persistent chat without a rehydration type", extra: #""PersistentChat":{"SourceContactId":"s"}"#,
            code: "InvalidRequestException", message: "RehydrationType is required for persistent chat."),
        RuleCase(
            id: "persistent chat without a source", extra: #""PersistentChat":{"RehydrationType":"FROM_SEGMENT"}"#,
            code: "InvalidRequestException", message: "SourceContactId is required for persistent chat."),
        RuleCase(
            id: "content types without text/plain", extra: #""SupportedMessagingContentTypes":["text/markdown"]"#,
            code: "InvalidRequestException", message: "SupportedMessagingContentTypes must contain text/plain."),
        RuleCase(
            id: "an undocumented content type",
            extra: #""SupportedMessagingContentTypes":["text/plain","text/html"]"#, code: "InvalidParameterException",
            message: "Content type 'text/html' at 'SupportedMessagingContentTypes[1]' is not supported. Supported types "
                + "are text/plain, text/markdown, application/json, \(interactive) and \(response)."),
        RuleCase(
            id: "initial message type not supported by the chat",
            extra: #""InitialMessage":{"ContentType":"text/markdown","Content":"*hi*"}"#, code: "InvalidRequestException",
            message: "InitialMessage.ContentType 'text/markdown' must be one of the SupportedMessagingContentTypes."),
        RuleCase(
            id: "initial message type never allowed",
            extra: #""SupportedMessagingContentTypes":["text/plain","\#(interactive)"],"InitialMessage":{"ContentType":"\#(interactive)","Content":"{}"}"#,
            code: "InvalidParameterException",
            message: "InitialMessage.ContentType '\(interactive)' is not supported. Supported types are text/plain, "
                + "text/markdown, application/json and \(response)."),
        RuleCase(
            id: "plain initial message too long",
            extra: #""InitialMessage":{"ContentType":"text/plain","Content":"\#(String(repeating: "x", count: 1025))"}"#,
            code: "InvalidParameterException",
            message: "InitialMessage.Content must have length less than or equal to 1024 for text/plain."),
        RuleCase(
            id: "attribute name with a space", extra: #""Attributes":{"tier level":"gold"}"#,
            code: "InvalidParameterException",
            message: "Attribute name at 'Attributes[\"tier level\"]' can include only alphanumeric, dash, and "
                + "underscore characters."),
        RuleCase(
            id: "attributes over 32768 bytes",
            extra: #""Attributes":{"a":"\#(String(repeating: "é", count: 16_000))","b":"\#(String(repeating: "x", count: 800))"}"#,
            code: "InvalidParameterException",
            message: "Attributes hold 32802 UTF-8 bytes; there can be up to 32,768 UTF-8 bytes across all key-value "
                + "pairs per contact."),
        RuleCase(
            id: "segment attribute name with a dot", extra: #""SegmentAttributes":{"a.b":{"ValueString":"x"}}"#,
            code: "InvalidParameterException",
            message: "Segment attribute name at 'SegmentAttributes[\"a.b\"]' can include only alphanumeric, ':', '-' "
                + "and '_' characters."),
        RuleCase(
            id: "segment value with two members",
            extra: #""SegmentAttributes":{"connect:A":{"ValueString":"x","ValueInteger":1}}"#,
            code: "InvalidParameterException",
            message: "Segment attribute value at 'SegmentAttributes.connect:A' must set exactly one of ValueString, "
                + "ValueInteger, ValueList, ValueMap and ValueArn."),
        RuleCase(
            id: "segment value with no member", extra: #""SegmentAttributes":{"connect:A":{}}"#,
            code: "InvalidParameterException",
            message: "Segment attribute value at 'SegmentAttributes.connect:A' must set exactly one of ValueString, "
                + "ValueInteger, ValueList, ValueMap and ValueArn."),
        RuleCase(
            id: "value list under a user-defined name", extra: #""SegmentAttributes":{"mine":{"ValueList":[]}}"#,
            code: "InvalidRequestException",
            message: "ValueList at 'SegmentAttributes.mine.ValueList' is only supported for system-defined attributes "
                + "(names starting with connect:), not for user-defined attributes."),
        RuleCase(
            id: "value ARN nested under a user-defined name",
            extra: #""SegmentAttributes":{"mine":{"ValueMap":{"k":{"ValueArn":"arn:aws:s3:::b"}}}}"#,
            code: "InvalidRequestException",
            message: "ValueArn at 'SegmentAttributes.mine.ValueMap.k.ValueArn' is only supported for system-defined "
                + "attributes (names starting with connect:), not for user-defined attributes."),
        RuleCase(
            id: "malformed value ARN", extra: #""SegmentAttributes":{"connect:Q":{"ValueArn":"queue-1"}}"#,
            code: "InvalidParameterException", message: "ValueArn at 'SegmentAttributes.connect:Q.ValueArn' is not a valid ARN."),
        RuleCase(
            id: "guide subtype without interactive types",
            extra: #""SupportedMessagingContentTypes":["text/plain","\#(interactive)"],"SegmentAttributes":{"connect:Subtype":{"ValueString":"connect:Guide"}}"#,
            code: "InvalidRequestException",
            message: "SupportedMessagingContentTypes must contain \(interactive) and \(response) to set "
                + "connect:Subtype to connect:Guide."),
        RuleCase(
            id: "malformed instance id", extra: "", code: "InvalidParameterException",
            message: "InstanceId 'a b' is not a valid instance id or instance ARN.", instance: "a b"),
        RuleCase(
            id: "ARN of another resource as instance", extra: "", code: "InvalidParameterException",
            message: "InstanceId 'arn:aws:connect:us-east-1:123456789012:instance/i-1/queue/q' is not a valid "
                + "instance id or instance ARN.",
            instance: "arn:aws:connect:us-east-1:123456789012:instance/i-1/queue/q"),
        RuleCase(
            id: "instance ARN of another region", extra: "", code: "ResourceNotFoundException", status: 404,
            message: "Instance 'i-1' was not found in region us-east-1.",
            instance: "arn:aws:connect:eu-west-2:123456789012:instance/i-1"),
        RuleCase(
            id: "empty flow id", extra: "", code: "InvalidParameterException",
            message: "ContactFlowId '' is not a valid contact flow id or contact flow ARN.", flow: ""),
        RuleCase(
            id: "flow ARN of another instance", extra: "", code: "ResourceNotFoundException", status: 404,
            message: "Contact flow 'f-9' was not found in instance 'i-1'.",
            flow: "arn:aws:connect:us-east-1:123456789012:instance/i-2/contact-flow/f-9"),
    ]

    @Test(arguments: cases)
    func refusesWithTheServiceError(_ testCase: RuleCase) {
        let checker = ConnectRequestChecker(configuration: EmulatorConfiguration())
        #expect(throws: ConnectError(code: testCase.code, httpStatus: testCase.status, message: testCase.message)) {
            try checker.checkStartChatContact(testCase.body)
        }
    }

    @Test func acceptsWhatTheRulesAllow() throws {
        let checker = ConnectRequestChecker(configuration: EmulatorConfiguration())
        let body = RuleCase(
            id: "", extra: #""SupportedMessagingContentTypes":["text/markdown","text/plain","\#(Self.interactive)","\#(Self.response)"],"#
                + #""InitialMessage":{"ContentType":"text/markdown","Content":"**hi**"},"#
                + #""Attributes":{"tier-level_2":"\#(String(repeating: "x", count: 32_000))"},"#
                + #""SegmentAttributes":{"connect:Subtype":{"ValueString":"connect:Guide"},"#
                + #""connect:Q":{"ValueArn":"arn:aws:connect:us-east-1:123456789012:instance/i/queue/q"},"#
                + #""connect:L":{"ValueList":[{"ValueInteger":1},{"ValueMap":{"k":{"ValueString":"v"}}}]},"mine":{"ValueMap":{}}},"#
                + #""ClientToken":"t-1","ChatDurationInMinutes":90"#,
            code: "", message: "", instance: "arn:aws:connect:us-east-1:123456789012:instance/i-1",
            flow: "arn:aws:connect:us-east-1:123456789012:instance/i-1/contact-flow/f-1")
        let input = try checker.checkStartChatContact(body.body)
        #expect(input.instanceID == "i-1")
        #expect(input.contactFlowID == "f-1")
        #expect(input.clientToken == "t-1")
        #expect(input.chatDurationInMinutes == 90)
    }

    @Test func anEmptyBodyIsAnEmptyObject() {
        let checker = ConnectRequestChecker(configuration: EmulatorConfiguration())
        #expect(throws: ConnectError.self) { try checker.checkStopContact([]) }
        do {
            _ = try checker.checkStopContact(Array(" \n".utf8))
        } catch {
            #expect(error.code == "InvalidParameterException")
        }
    }

    @Test func knowsOnlyTheListedInstancesAndFlows() throws {
        let checker = ConnectRequestChecker(
            configuration: EmulatorConfiguration(
                instances: ["arn:aws:connect:us-east-1:123456789012:instance/i-1", "i-2"],
                flows: ["f-any", "arn:aws:connect:us-east-1:123456789012:instance/i-2/contact-flow/f-2"]))
        func body(_ instance: String, _ flow: String) -> [UInt8] {
            RuleCase(id: "", extra: "", code: "", message: "", instance: instance, flow: flow).body
        }
        _ = try checker.checkStartChatContact(body("i-1", "f-any"))
        _ = try checker.checkStartChatContact(body("i-2", "f-2"))
        #expect(throws: ConnectError.resourceNotFound("Instance 'i-3' was not found.")) {
            try checker.checkStartChatContact(body("i-3", "f-any"))
        }
        #expect(throws: ConnectError.resourceNotFound("Contact flow 'f-2' was not found in instance 'i-1'.")) {
            try checker.checkStartChatContact(body("i-1", "f-2"))
        }
        #expect(throws: ConnectError.resourceNotFound("Contact flow 'f-3' was not found in instance 'i-2'.")) {
            try checker.checkStartChatContact(body("i-2", "f-3"))
        }
        #expect(throws: ConnectError.resourceNotFound("Instance 'i-3' was not found.")) {
            try checker.checkStopContact(Array(#"{"ContactId":"c","InstanceId":"i-3"}"#.utf8))
        }
    }
}
