import ChatctlJSON
import Testing

@Suite struct JSONSourceMapTests {
    static let text = "{\n  \"a\": [1, {\"é\": \"x\", \"b\": true}],\r\n  \"c\": null\n}"

    @Test func findsValuesAndKeysByPointer() throws {
        let (value, map) = try JSONParser.parseKeepingPositions(Array(Self.text.utf8))
        #expect(value == (try JSONParser.parse(Self.text)))
        let a = JSONPointer().appending(key: "a")
        #expect(map.position(of: a) == (2, 8))
        #expect(map.position(of: a, atKey: true) == (2, 3))
        #expect(map.position(of: a.appending(index: 1).appending(key: "b")) == (2, 28))
        #expect(map.position(of: a.appending(index: 1).appending(key: "b"), atKey: true) == (2, 23))
        // Columns count Unicode scalars; CRLF is one line break.
        #expect(map.position(of: a.appending(index: 1).appending(key: "é")) == (2, 18))
        #expect(map.position(of: JSONPointer().appending(key: "c")) == (3, 8))
    }

    @Test func resolvesAMissingMemberToItsObject() throws {
        let (_, map) = try JSONParser.parseKeepingPositions(Array(Self.text.utf8))
        let missing = JSONPointer().appending(key: "a").appending(index: 1).appending(key: "zz")
        #expect(map.position(of: missing) == (2, 12))
        #expect(map.position(of: JSONPointer()) == (1, 1))
    }

    @Test func reportsSyntaxErrorsAsThePlainParseDoes() {
        #expect(throws: JSONParseError.self) { try JSONParser.parseKeepingPositions(Array("{\"a\": [1,]}".utf8)) }
    }
}
