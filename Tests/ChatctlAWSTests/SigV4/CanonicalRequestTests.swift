import ChatctlAWS
import Testing

@Suite struct CanonicalRequestTests {
    @Test(arguments: [
        ("/", "/"), ("", "/"), ("//", "/"), ("/a/./b/../c", "/a/c"), ("/a/b/..", "/a/"), ("/a/.", "/a/"),
        ("//a//b//", "/a/b/"), ("/../..", "/"), ("/a/b/../../..", "/"), ("/a b/", "/a b/"),
    ])
    func normalisesDotSegmentsAndRepeatedSlashes(_ input: String, _ expected: String) {
        #expect(CanonicalRequest.normalizedPath(input) == expected)
    }

    @Test func doubleEncodingEncodesExistingEscapesAgain() {
        #expect(CanonicalRequest.canonicalURI(path: "/a%20b/ሴ", normalize: true, doubleEncode: true) == "/a%2520b/%E1%88%B4")
    }

    @Test func singleEncodingKeepsExistingEscapesAndEncodesTheRest() {
        #expect(CanonicalRequest.canonicalURI(path: "/a%2fb c/%zz", normalize: false, doubleEncode: false) == "/a%2Fb%20c/%25zz")
    }

    @Test func unnormalisedPathKeepsDotSegments() {
        #expect(CanonicalRequest.canonicalURI(path: "/./a/../b//", normalize: false, doubleEncode: true) == "/./a/../b//")
    }

    @Test func contactPathsAreUnchanged() {
        #expect(
            CanonicalRequest.canonicalURI(path: "/contacts/inst-1/c_2.x~y", normalize: true, doubleEncode: true)
                == "/contacts/inst-1/c_2.x~y")
    }

    @Test(arguments: [
        (nil, ""),
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1&a=10", "a=1&a=10&a=2"),
        ("flag&x=", "flag=&x="),
        ("k=a+b&s=a%20b", "k=a%2Bb&s=a%20b"),
        ("path=/x/y&c=%2f", "c=%2F&path=%2Fx%2Fy"),
        ("%E1%88%B4=1&Z=2&a=3", "%E1%88%B4=1&Z=2&a=3"),
        ("x=1&&y=2", "x=1&y=2"),
        ("eq=a=b", "eq=a%3Db"),
    ] as [(String?, String)])
    func canonicalisesQueryStrings(_ query: String?, _ expected: String) {
        #expect(CanonicalRequest.canonicalQueryString(query: query) == expected)
    }

    @Test(arguments: [
        ("value", "value"), ("  value  ", "value"), ("a   b\t\tc", "a b c"), ("v1\n  v2\n     v3", "v1 v2 v3"),
        ("", ""), ("   ", ""), ("\"a   b   c\"", "\"a b c\""),
    ])
    func trimsAndFoldsHeaderValues(_ value: String, _ expected: String) {
        #expect(CanonicalRequest.canonicalHeaderValue(value) == expected)
    }

    @Test func joinsRepeatedHeadersInOrderAndSortsNames() {
        let headers: HTTPHeaders = ["X-B": "2", "host": "h", "X-b": " 1 ", "X-A": "a"]
        let canonical = CanonicalRequest.canonicalHeaders(headers)
        #expect(canonical.map(\.name) == ["host", "x-a", "x-b"])
        #expect(canonical.map(\.value) == ["h", "a", "2,1"])
    }

    @Test func textHasSixLinesAndNoTrailingNewline() {
        let request = CanonicalRequest(
            method: "GET", canonicalURI: "/", canonicalQueryString: "",
            canonicalHeaders: [HTTPHeader(name: "host", value: "h")], payloadHash: "abc")
        #expect(request.text == "GET\n/\n\nhost:h\n\nhost\nabc")
        #expect(request.signedHeaders == "host")
    }
}
