import ChatctlAWS
import Testing

@Suite struct HTTPRequestTests {
    @Test func parsesAnAbsoluteURL() throws {
        let request = try #require(HTTPRequest(method: "GET", url: "https://connect.us-east-1.amazonaws.com:8443/contacts/a/b?x=1&y#frag"))
        #expect(request.scheme == "https")
        #expect(request.authority == "connect.us-east-1.amazonaws.com:8443")
        #expect(request.path == "/contacts/a/b")
        #expect(request.query == "x=1&y")
        #expect(request.urlString == "https://connect.us-east-1.amazonaws.com:8443/contacts/a/b?x=1&y")
    }

    @Test func defaultsAnEmptyPathToSlash() throws {
        let request = try #require(HTTPRequest(method: "GET", url: "http://127.0.0.1:9000"))
        #expect(request.path == "/")
        #expect(request.query == nil)
        #expect(request.target == "/")
    }

    @Test func rejectsTextThatIsNotAnAbsoluteURL() {
        #expect(HTTPRequest(method: "GET", url: "connect.amazonaws.com/x") == nil)
        #expect(HTTPRequest(method: "GET", url: "https:///x") == nil)
    }

    @Test func descriptionRedactsCredentialsAndOmitsTheBody() {
        let request = HTTPRequest(
            method: "PUT", authority: "h", path: "/contact/chat",
            headers: [
                "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=abcdef",
                "X-Amz-Security-Token": "secret-token",
            ],
            body: Array(#"{"CustomerId":"c-1"}"#.utf8))
        let text = request.description
        #expect(!text.contains("abcdef"))
        #expect(!text.contains("secret-token"))
        #expect(!text.contains("c-1"))
        #expect(text.contains("SignedHeaders=host, Signature=(redacted)"))
        #expect(text.contains("X-Amz-Security-Token: (redacted)"))
    }
}

@Suite struct HTTPHeadersTests {
    @Test func matchesNamesCaseInsensitivelyAndKeepsRepeats() {
        var headers: HTTPHeaders = ["A": "1", "a": "2", "B": "3"]
        #expect(headers["a"] == "1")
        #expect(headers.values(for: "A") == ["1", "2"])
        headers.replaceOrAdd(name: "a", value: "9")
        #expect(headers.values(for: "A") == ["9"])
        #expect(headers.map(\.name) == ["B", "a"])
        headers.remove(name: "b")
        #expect(!headers.contains(name: "B"))
    }
}
