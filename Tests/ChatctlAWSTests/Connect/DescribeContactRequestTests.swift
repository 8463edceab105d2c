import ChatctlAWS
import Foundation
import Testing

@Suite struct DescribeContactRequestTests {
    @Test func buildsAGetWithEncodedLabelsAndNoBody() {
        let request = DescribeContactRequest(instanceId: "inst 1/x", contactId: "c:1")
            .httpRequest(endpoint: ServiceEndpoint(authority: "connect.us-east-1.amazonaws.com"))
        #expect(request.method == "GET")
        #expect(request.path == "/contacts/inst%201%2Fx/c%3A1")
        #expect(request.body.isEmpty)
        #expect(request.headers["content-type"] == nil)
    }

    @Test func decodesTheDriftFieldsAndIgnoresTheRest() throws {
        let body = #"""
            {"Contact":{"Arn":"arn:aws:connect:us-east-1:1:instance/i/contact/c","Id":"c","InitialContactId":"c0",
            "PreviousContactId":"p","RelatedContactId":"r","Channel":"CHAT","InitiationMethod":"API",
            "InitiationTimestamp":1.7672256E9,"DisconnectTimestamp":1767229200.5,"LastUpdateTimestamp":1767229201,
            "DisconnectReason":"CUSTOMER_DISCONNECT","QueueInfo":{"Id":"q"},"Tags":{"a":"b"}}}
            """#
        let response = try DescribeContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array(body.utf8)))
        let contact = try #require(response.contact)
        #expect(contact.id == "c")
        #expect(contact.initialContactId == "c0")
        #expect(contact.previousContactId == "p")
        #expect(contact.relatedContactId == "r")
        #expect(contact.channel == "CHAT")
        #expect(contact.initiationMethod == "API")
        #expect(contact.initiationTimestamp == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(contact.disconnectTimestamp == Date(timeIntervalSince1970: 1_767_229_200.5))
        #expect(contact.lastUpdateTimestamp == Date(timeIntervalSince1970: 1_767_229_201))
        #expect(contact.disconnectReason == "CUSTOMER_DISCONNECT")
        #expect(contact.arn == "arn:aws:connect:us-east-1:1:instance/i/contact/c")
    }

    @Test func readsMembersOfUnexpectedTypesAsAbsent() throws {
        let body = #"{"Contact":{"Id":"c","Channel":7,"InitiationTimestamp":"yesterday"}}"#
        let contact = try #require(
            try DescribeContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array(body.utf8))).contact)
        #expect(contact.id == "c")
        #expect(contact.channel == nil)
        #expect(contact.initiationTimestamp == nil)
    }

    @Test func readsAMissingContactAsAbsent() throws {
        #expect(try DescribeContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array("{}".utf8))).contact == nil)
        #expect(
            try DescribeContactRequest.decodeResponse(HTTPResponse(status: 200, body: Array(#"{"Contact":[]}"#.utf8)))
                .contact == nil)
    }
}

@Suite struct IdempotencyTokenTests {
    @Test func generatesDistinctVersionFourUUIDs() throws {
        let first = try IdempotencyToken.generate()
        let second = try IdempotencyToken.generate()
        #expect(first != second)
        let parts = first.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
        #expect(["8", "9", "a", "b"].contains(parts[3].first))
        #expect(first == first.lowercased())
    }
}

@Suite struct ServiceEndpointTests {
    @Test(arguments: [
        ("https://connect.us-east-1.amazonaws.com", "https", "connect.us-east-1.amazonaws.com", ""),
        ("HTTP://127.0.0.1:9000/", "http", "127.0.0.1:9000", ""),
        ("http://localhost:9000/base//", "http", "localhost:9000", "/base"),
    ])
    func parsesEndpointURLs(_ url: String, _ scheme: String, _ authority: String, _ basePath: String) throws {
        let endpoint = try #require(ServiceEndpoint(url: url))
        #expect(endpoint.scheme == scheme)
        #expect(endpoint.authority == authority)
        #expect(endpoint.basePath == basePath)
    }

    @Test(arguments: ["connect.amazonaws.com", "ftp://host", "https://", "https://h/x?y=1", "https://user@h", "https://h/#f"])
    func rejectsTextThatIsNotAnEndpoint(_ url: String) {
        #expect(ServiceEndpoint(url: url) == nil)
    }
}
