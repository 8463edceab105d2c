import ChatctlAWS
import Testing

@Suite struct StopContactRequestTests {
    @Test func encodesEveryMember() throws {
        let request = StopContactRequest(contactId: "c-1", instanceId: "i-1", disconnectReason: .init(code: "done"))
        let body = request.jsonBody()
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"ContactId":"c-1","DisconnectReason":{"Code":"done"},"InstanceId":"i-1"}"#)
        let model = try #require(try ModelCoverage.node("StopContact", "input"))
        var coverage = ModelCoverage()
        try coverage.walk(model: model, json: body)
        for (shape, entry) in coverage.members {
            #expect(entry.seen == entry.model, "\(shape)")
        }
    }

    @Test func omitsAnAbsentDisconnectReason() {
        #expect(
            String(decoding: StopContactRequest(contactId: "c", instanceId: "i").jsonBody(), as: UTF8.self)
                == #"{"ContactId":"c","InstanceId":"i"}"#)
    }

    @Test func buildsAPostToContactStop() {
        let request = StopContactRequest(contactId: "c", instanceId: "i")
            .httpRequest(endpoint: ServiceEndpoint(authority: "connect.us-east-1.amazonaws.com"))
        #expect(request.method == "POST")
        #expect(request.target == "/contact/stop")
        #expect(request.headers["content-type"] == "application/json")
    }

    @Test(arguments: ["", "{}", " \n", #"{"Unexpected":true}"#])
    func decodesAnEmptyOrUnknownBody(_ body: String) throws {
        #expect(try StopContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array(body.utf8))) == StopContactResponse())
    }
}
