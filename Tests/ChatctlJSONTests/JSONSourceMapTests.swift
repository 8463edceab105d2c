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

    /// `JSONParser.position(of:atKey:in:)` (one place, nothing kept) agrees with the map of
    /// every place at every pointer of a document, values and member names, in arrays of
    /// several elements (counted apart from the elements it does not keep), after a byte
    /// order mark, CR, LF and CRLF line breaks and characters of several bytes, and for
    /// pointers to nothing (their nearest ancestor).
    @Test func aSinglePositionAgreesWithTheMapAtEveryPointer() throws {
        let texts = [
            Self.text,
            "\u{FEFF}[0, [1, 2, {\"k\": [3, 4]}],\r\n\"ü\", {\"x\": {\"y\": [null, false, {\"z\": \"€\"}]}},\r\"end\"]",
            "{\"entries\": {\"a\": {\"status\": \"started\"},\n \"b\": {\"status\": \"begun\", \"n\": [1, 2, 3]}}}",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let (value, map) = try JSONParser.parseKeepingPositions(bytes)
            var pointers: [JSONPointer] = []
            func collect(_ value: JSONValue, at pointer: JSONPointer) {
                pointers.append(pointer)
                pointers.append(pointer.appending(key: "missing"))
                switch value {
                case .object(let members): for (key, member) in members { collect(member, at: pointer.appending(key: key)) }
                case .array(let elements): for (index, element) in elements.enumerated() { collect(element, at: pointer.appending(index: index)) }
                default: break
                }
            }
            collect(value, at: JSONPointer())
            #expect(pointers.count > 10)
            for pointer in pointers {
                for atKey in [false, true] {
                    let single = JSONParser.position(of: pointer, atKey: atKey, in: bytes)
                    let whole = map.position(of: pointer, atKey: atKey)
                    #expect(single == whole, "\(pointer.rfc6901) atKey \(atKey): \(single) against \(whole)")
                }
            }
        }
    }

    @Test func reportsSyntaxErrorsAsThePlainParseDoes() {
        #expect(throws: JSONParseError.self) { try JSONParser.parseKeepingPositions(Array("{\"a\": [1,]}".utf8)) }
    }
}
