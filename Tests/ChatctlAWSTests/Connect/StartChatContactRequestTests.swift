@testable import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing

@Suite struct StartChatContactRequestTests {
    /// A request with every member of the model set, nested segment attributes included.
    static let full = StartChatContactRequest(
        instanceId: "inst-1",
        contactFlowId: "flow-1",
        participantDetails: .init(displayName: "Jane Doe"),
        attributes: ["priority": "high", "Customer": "Jane"],
        participantConfiguration: .init(responseMode: .incremental),
        initialMessage: .init(contentType: "text/plain", content: "Hello \"there\"\né/\u{01}"),
        clientToken: "token-1",
        chatDurationInMinutes: 1500,
        supportedMessagingContentTypes: ["text/plain", "text/markdown"],
        persistentChat: .init(rehydrationType: .entirePastSession, sourceContactId: "previous-1"),
        relatedContactId: "related-1",
        segmentAttributes: [
            "connect:Subtype": .string("connect:Guide"),
            "connect:Arn": .arn("arn:aws:connect:us-east-1:123456789012:instance/abc"),
            "connect:List": .list([.string("a"), .integer(2), .list([])]),
            "connect:Map": .map([
                "n": .integer(-7), "inner": .map(["deep": .string("")]), "empty": .map([:]),
            ]),
        ],
        customerId: "customer-42",
        disconnectOnCustomerExit: [.agent])

    @Test func encodesEveryMemberAsSortedCompactJSON() {
        let expected = #"{"Attributes":{"Customer":"Jane","priority":"high"},"ChatDurationInMinutes":1500,"ClientToken":"token-1","ContactFlowId":"flow-1","CustomerId":"customer-42","DisconnectOnCustomerExit":["AGENT"],"InitialMessage":{"Content":"Hello \"there\"\né/\u0001","ContentType":"text/plain"},"InstanceId":"inst-1","ParticipantConfiguration":{"ResponseMode":"INCREMENTAL"},"ParticipantDetails":{"DisplayName":"Jane Doe"},"PersistentChat":{"RehydrationType":"ENTIRE_PAST_SESSION","SourceContactId":"previous-1"},"RelatedContactId":"related-1","SegmentAttributes":{"connect:Arn":{"ValueArn":"arn:aws:connect:us-east-1:123456789012:instance/abc"},"connect:List":{"ValueList":[{"ValueString":"a"},{"ValueInteger":2},{"ValueList":[]}]},"connect:Map":{"ValueMap":{"empty":{"ValueMap":{}},"inner":{"ValueMap":{"deep":{"ValueString":""}}},"n":{"ValueInteger":-7}}},"connect:Subtype":{"ValueString":"connect:Guide"}},"SupportedMessagingContentTypes":["text/plain","text/markdown"]}"#
        #expect(String(decoding: Self.full.jsonBody(), as: UTF8.self) == expected)
    }

    @Test func coversEveryMemberOfTheModel() throws {
        let model = try #require(try ModelCoverage.node("StartChatContact", "input"))
        var coverage = ModelCoverage()
        try coverage.walk(model: model, json: Self.full.jsonBody())
        // SegmentAttributeValue is a structure of five optional members; one value with all
        // five set shows the encoder knows each of them.
        let allMembers = SegmentAttributeValue(
            valueString: "s", valueInteger: 1, valueMap: [:], valueList: [], valueArn: "arn:aws:x")
        var withAll = Self.full
        withAll.segmentAttributes = ["all": allMembers]
        try coverage.walk(model: model, json: withAll.jsonBody())
        #expect(
            Set(coverage.members.keys) == [
                "StartChatContactRequest", "ParticipantDetails", "ParticipantConfiguration", "ChatMessage",
                "PersistentChat", "SegmentAttributeValue",
            ])
        for (shape, entry) in coverage.members {
            #expect(entry.seen == entry.model, "\(shape): model \(entry.model.sorted()), encoded \(entry.seen.sorted())")
        }
    }

    @Test func omitsAbsentMembers() {
        let minimal = StartChatContactRequest(
            instanceId: "i", contactFlowId: "f", participantDetails: .init(displayName: "d"))
        #expect(
            String(decoding: minimal.jsonBody(), as: UTF8.self)
                == #"{"ContactFlowId":"f","InstanceId":"i","ParticipantDetails":{"DisplayName":"d"}}"#)
    }

    @Test func keepsEmptyNestedStructuresThatWereSet() {
        var request = StartChatContactRequest(instanceId: "i", contactFlowId: "f", participantDetails: .init(displayName: "d"))
        request.participantConfiguration = .init()
        request.persistentChat = .init(sourceContactId: "s")
        request.attributes = [:]
        #expect(
            String(decoding: request.jsonBody(), as: UTF8.self)
                == #"{"Attributes":{},"ContactFlowId":"f","InstanceId":"i","ParticipantConfiguration":{},"ParticipantDetails":{"DisplayName":"d"},"PersistentChat":{"SourceContactId":"s"}}"#)
    }

    /// The body is written straight to bytes; the digests existing lockfiles record were
    /// computed over `JSONWriter.compact` of the request as a JSON object. The two must agree
    /// byte for byte on every request: every member present or absent, empty maps, lists
    /// and nested objects, escapes, control characters, non-ASCII names and values.
    @Test func writesTheSameBytesAsTheGeneralJSONWriter() {
        var random = SplitMix64(seed: 20261206)
        for _ in 0..<3_000 {
            let request = Self.randomRequest(&random)
            let general = JSONWriter.compact.bytes(request.jsonValue(redacting: false))
            #expect(request.jsonBody() == general, "\(String(decoding: general, as: UTF8.self))")
            #expect(request.redactedJSONBody() == JSONWriter.compact.bytes(request.jsonValue(redacting: true)))
            var appended = Array("prefix".utf8)
            request.appendJSONBody(to: &appended)
            #expect(appended == Array("prefix".utf8) + general, "appends after what the buffer holds")
        }
    }

    /// Text drawn from plain letters, JSON's escapes, control characters, non-ASCII
    /// (two-, three- and four-byte UTF-8) and names that sort near the members'.
    static func randomText(_ random: inout SplitMix64) -> String {
        let pieces = [
            "a", "Z", "_", "0", "9", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
            "é", "ß", "€", "中", "😀", "\u{10FFFF}", "Content", "Type", "Id", "connect:",
        ]
        let count = Int.random(in: 0...6, using: &random)
        return (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
    }

    static func randomSegmentValue(_ random: inout SplitMix64, depth: Int) -> SegmentAttributeValue {
        var value = SegmentAttributeValue()
        if Bool.random(using: &random) { value.valueString = randomText(&random) }
        if Bool.random(using: &random) { value.valueInteger = Int.random(in: Int.min...Int.max, using: &random) }
        if Bool.random(using: &random) { value.valueArn = randomText(&random) }
        if depth < 2, Bool.random(using: &random) {
            value.valueList = (0..<Int.random(in: 0...2, using: &random)).map { _ in randomSegmentValue(&random, depth: depth + 1) }
        }
        if depth < 2, Bool.random(using: &random) {
            value.valueMap = randomMap(&random) { randomSegmentValue(&$0, depth: depth + 1) }
        }
        return value
    }

    static func randomMap<Value>(_ random: inout SplitMix64, value: (inout SplitMix64) -> Value) -> [String: Value] {
        var map: [String: Value] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &random) { map[randomText(&random)] = value(&random) }
        return map
    }

    static func randomRequest(_ random: inout SplitMix64) -> StartChatContactRequest {
        func maybe<Value>(_ make: (inout SplitMix64) -> Value) -> Value? {
            Bool.random(using: &random) ? make(&random) : nil
        }
        var request = StartChatContactRequest(
            instanceId: randomText(&random), contactFlowId: randomText(&random),
            participantDetails: .init(displayName: randomText(&random)))
        request.attributes = maybe { randomMap(&$0) { randomText(&$0) } }
        request.participantConfiguration = maybe { .init(responseMode: Bool.random(using: &$0) ? .complete : nil) }
        request.initialMessage = maybe { .init(contentType: randomText(&$0), content: randomText(&$0)) }
        request.clientToken = maybe { randomText(&$0) }
        request.chatDurationInMinutes = maybe { Int.random(in: Int.min...Int.max, using: &$0) }
        request.supportedMessagingContentTypes = maybe { random in (0..<Int.random(in: 0...3, using: &random)).map { _ in randomText(&random) } }
        request.persistentChat = maybe { random in
            .init(rehydrationType: Bool.random(using: &random) ? .fromSegment : nil,
                  sourceContactId: Bool.random(using: &random) ? randomText(&random) : nil)
        }
        request.relatedContactId = maybe { randomText(&$0) }
        request.segmentAttributes = maybe { randomMap(&$0) { randomSegmentValue(&$0, depth: 0) } }
        request.customerId = maybe { Sensitive(randomText(&$0)) }
        request.disconnectOnCustomerExit = maybe { Bool.random(using: &$0) ? [.agent] : [] }
        return request
    }

    @Test func sortsKeysByTheirUTF8Bytes() {
        var request = StartChatContactRequest(instanceId: "i", contactFlowId: "f", participantDetails: .init(displayName: "d"))
        request.attributes = ["b": "1", "B": "2", "a10": "3", "a9": "4", "é": "5", "_": "6"]
        let text = String(decoding: request.jsonBody(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"Attributes":{"B":"2","_":"6","a10":"3","a9":"4","b":"1","é":"5"}"#))
    }

    @Test func redactsTheCustomerIdEverywhereButTheWireBody() {
        let request = Self.full
        let redacted = String(decoding: request.redactedJSONBody(), as: UTF8.self)
        #expect(redacted.contains(#""CustomerId":"(sensitive)""#))
        var dumped = ""
        dump(request, to: &dumped)
        for text in [redacted, request.description, request.debugDescription, "\(request)", dumped] {
            #expect(!text.contains("customer-42"), "\(text)")
        }
        #expect(String(decoding: request.jsonBody(), as: UTF8.self).contains(#""CustomerId":"customer-42""#))
    }

    /// The members sit behind one shared reference (issue 15): a copy must still be a value.
    @Test func aChangedCopyLeavesTheOriginalAlone() {
        let original = Self.full
        var copy = original
        #expect(copy == original)
        copy.attributes?["priority"] = "low"
        copy.participantDetails.displayName = "John Doe"
        copy.clientToken = nil
        #expect(original.attributes?["priority"] == "high")
        #expect(original.participantDetails.displayName == "Jane Doe")
        #expect(original.clientToken == "token-1")
        #expect(copy.attributes?["priority"] == "low")
        #expect(copy.participantDetails.displayName == "John Doe")
        #expect(copy != original)
        var again = copy
        again.participantDetails.displayName = "Jane Doe"
        again.attributes?["priority"] = "high"
        again.clientToken = "token-1"
        #expect(again == original, "equal members make equal requests, whatever they are kept behind")
    }

    /// `dump` and failed expectations show the members, as they did before the members were
    /// kept behind a reference, and still never the customer id.
    @Test func mirrorsItsMembersNotItsStorage() {
        var dumped = ""
        dump(Self.full, to: &dumped)
        for member in ["instanceId", "contactFlowId", "participantDetails", "Jane Doe", "segmentAttributes", "customerId"] {
            #expect(dumped.contains(member), "\(member) in \(dumped)")
        }
        #expect(!dumped.contains("Storage"))
        #expect(!dumped.contains("customer-42"))
        #expect(Mirror(reflecting: Self.full).children.count == 14)
    }

    @Test func buildsAPutToContactChat() throws {
        let endpoint = try #require(ServiceEndpoint(url: "https://connect.eu-west-2.amazonaws.com"))
        let request = Self.full.httpRequest(endpoint: endpoint)
        #expect(request.method == "PUT")
        #expect(request.urlString == "https://connect.eu-west-2.amazonaws.com/contact/chat")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.body == Self.full.jsonBody())
    }

    @Test func putsTheEndpointBasePathFirst() throws {
        let endpoint = try #require(ServiceEndpoint(url: "http://127.0.0.1:9000/emulator/"))
        #expect(Self.full.httpRequest(endpoint: endpoint).urlString == "http://127.0.0.1:9000/emulator/contact/chat")
    }
}

@Suite struct StartChatContactResponseTests {
    @Test func decodesEveryMemberAndIgnoresUnknownOnes() throws {
        let body = #"{"ContactId":"c-1","ParticipantId":"p-1","ParticipantToken":"secret-token","ContinuedFromContactId":"c-0","Future":{"x":1}}"#
        let response = try StartChatContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array(body.utf8)))
        #expect(response.contactId == "c-1")
        #expect(response.participantId == "p-1")
        #expect(response.participantToken?.value == "secret-token")
        #expect(response.continuedFromContactId == "c-0")

        let model = try #require(try ModelCoverage.node("StartChatContact", "output"))
        var coverage = ModelCoverage()
        try coverage.walk(model: model, json: Array(body.utf8))
        let entry = try #require(coverage.members["StartChatContactResponse"])
        #expect(entry.model.isSubset(of: entry.seen))
    }

    @Test func neverPrintsTheParticipantToken() throws {
        let body = #"{"ContactId":"c-1","ParticipantId":"p-1","ParticipantToken":"secret-token"}"#
        let response = try StartChatContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array(body.utf8)))
        var dumped = ""
        dump(response, to: &dumped)
        for text in ["\(response)", String(reflecting: response), dumped] {
            #expect(!text.contains("secret-token"), "\(text)")
        }
    }

    @Test func reportsABodyThatIsNotTheExpectedJSON() {
        #expect(throws: AWSProtocolError(operation: "StartChatContact", status: 200, detail: "the body is not valid JSON")) {
            try StartChatContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array("<html>".utf8)))
        }
        #expect(throws: AWSProtocolError(operation: "StartChatContact", status: 200, detail: "ContactId has the wrong type")) {
            try StartChatContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array(#"{"ContactId":5}"#.utf8)))
        }
    }
}
