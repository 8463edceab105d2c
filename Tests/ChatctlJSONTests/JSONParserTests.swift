import ChatctlJSON
import Testing

/// Input that must be rejected, with the exact place and message.
struct ParseErrorCase: Sendable, CustomTestStringConvertible {
    let id: String
    let bytes: [UInt8]
    let line: Int
    let column: Int
    let message: String

    init(_ id: String, _ text: String, _ line: Int, _ column: Int, _ message: String) {
        self.id = id
        bytes = Array(text.utf8)
        self.line = line
        self.column = column
        self.message = message
    }

    init(_ id: String, bytes: [UInt8], _ line: Int, _ column: Int, _ message: String) {
        self.id = id
        self.bytes = bytes
        self.line = line
        self.column = column
        self.message = message
    }

    var testDescription: String { id }
}

@Suite struct JSONParserTests {
    // MARK: Values

    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"""
        {"null": null, "yes": true, "no": false, "int": -42, "double": 2.5,
         "text": "hi", "list": [1, [], {}], "map": {"a": {"b": []}}}
        """#)
        #expect(value == .object([
            "null": .null, "yes": .bool(true), "no": .bool(false), "int": .integer(-42), "double": .double(2.5),
            "text": .string("hi"), "list": .array([.integer(1), .array([]), .object([:])]),
            "map": .object(["a": .object(["b": .array([])])]),
        ]))
    }

    @Test func parsesTopLevelScalarsWithSurroundingWhitespace() throws {
        #expect(try JSONParser.parse(" \t\r\n 7 \n") == .integer(7))
        #expect(try JSONParser.parse("\"x\"") == .string("x"))
        #expect(try JSONParser.parse("null") == .null)
    }

    @Test func keepsIntegerLiteralsAsIntegersAndEverythingElseAsDoubles() throws {
        #expect(try Self.integer("1") == 1)
        #expect(try Self.double("1.0") == 1.0)
        #expect(try Self.double("1e2") == 100)
        #expect(try Self.double("1E-2") == 0.01)
        #expect(try Self.double("-2.5e+3") == -2500)
        #expect(try Self.integer("9223372036854775807") == Int.max)
        #expect(try Self.integer("-9223372036854775808") == Int.min)
        #expect(try Self.double("9223372036854775808") == 9_223_372_036_854_775_808.0)
        #expect(try Self.double("123456789012345678901234567890") == 1.2345678901234568e29)
        #expect(try Self.double("1e-400") == 0)
    }

    @Test func readsMinusZeroAsIntegerZeroAndMinusZeroPointZeroAsNegativeZero() throws {
        #expect(try Self.integer("-0") == 0)
        let negativeZero = try Self.double("-0.0")
        #expect(negativeZero == 0 && negativeZero?.sign == .minus)
    }

    @Test func decodesEveryEscape() throws {
        let value = try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00\u0000""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\tAé😀\u{0}"))
    }

    @Test func keepsUnicodeTextAsWritten() throws {
        #expect(try JSONParser.parse("\"é 😀 \u{2028} 中\"") == .string("é 😀 \u{2028} 中"))
        // Canonically equivalent spellings stay distinct code point sequences.
        guard case .string(let decomposed) = try JSONParser.parse("\"e\u{301}\"") else {
            Issue.record("not a string")
            return
        }
        #expect(Array(decomposed.unicodeScalars) == ["e", "\u{301}"])
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.integer(1)]))
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text)
        var levels = 0
        while case .array(let elements) = value {
            levels += 1
            value = elements.first ?? .null
        }
        #expect(levels == depth)
    }

    @Test func parsesALargeDocument() throws {
        let entries = (0..<20_000).map { #""profile-\#($0)": {"serial": \#($0), "status": "started", "ratio": 0.5}"# }
        let value = try JSONParser.parse("{" + entries.joined(separator: ",") + "}")
        #expect(value.objectValue?.count == 20_000)
        #expect(value["profile-19999"]?["serial"] == .integer(19_999))
    }

    // MARK: Errors

    static let errorCases: [ParseErrorCase] = [
        ParseErrorCase("empty input", "", 1, 1, "expected a JSON value, found the end of the input"),
        ParseErrorCase("only whitespace", "  \n ", 2, 2, "expected a JSON value, found the end of the input"),
        ParseErrorCase("trailing comma in object", #"{"a": 1,}"#, 1, 9, "a trailing comma is not allowed in an object"),
        ParseErrorCase("trailing comma in array", "[\r\n1,\r\n]", 3, 1, "a trailing comma is not allowed in an array"),
        ParseErrorCase("missing colon", #"{"a" 1}"#, 1, 6, "expected ':' after the member name"),
        ParseErrorCase("missing comma in object", #"{"a": 1 "b": 2}"#, 1, 9, "expected ',' or '}' after an object member"),
        ParseErrorCase("missing comma in array", "[1 2]", 1, 4, "expected ',' or ']' after an array element"),
        ParseErrorCase("unclosed object", #"{"a": 1"#, 1, 8, "expected ',' or '}' after an object member, found the end of the input"),
        ParseErrorCase("unclosed array", "[1,\n", 2, 1, "expected a JSON value, found the end of the input"),
        ParseErrorCase("single-quoted key", "{'a': 1}", 1, 2, "expected a member name in double quotes, found '''"),
        ParseErrorCase("unquoted key", "{a: 1}", 1, 2, "expected a member name in double quotes, found 'a'"),
        ParseErrorCase("duplicate key", "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}", 3, 2, #"duplicate key "a""#),
        ParseErrorCase("duplicate key after escapes", #"{"a": 1, "\u0061": 2}"#, 1, 10, #"duplicate key "a""#),
        ParseErrorCase("bad literal", "{\n  \"a\": tru\n}", 2, 8, "invalid literal, expected true"),
        ParseErrorCase("literal with garbage", "nullx", 1, 1, "invalid literal, expected null"),
        ParseErrorCase("comment", "// note\n1", 1, 1, "expected a JSON value, found '/'"),
        ParseErrorCase("unterminated string", #"["abc"#, 1, 2, "unterminated string"),
        ParseErrorCase("unterminated string after escape", #"["a\n"#, 1, 2, "unterminated string"),
        ParseErrorCase("raw line break in string", "\"a\nb\"", 1, 3, "a line break in a string must be escaped"),
        ParseErrorCase("raw tab in string", "\"a\tb\"", 1, 3, "a tab in a string must be escaped"),
        ParseErrorCase("raw control character", "\"a\u{1}\"", 1, 3, "control character U+0001 in a string must be escaped"),
        ParseErrorCase("unknown escape", #""a\x""#, 1, 3, #"invalid escape sequence '\x' in a string"#),
        ParseErrorCase("short unicode escape", #""\u12G4""#, 1, 2, #"a \u escape needs four hex digits"#),
        ParseErrorCase("lone high surrogate", #""\uD800""#, 1, 2, #"unpaired surrogate \uD800 in a string"#),
        ParseErrorCase("high surrogate then letter", #""\uD800\u0041""#, 1, 2, #"unpaired surrogate \uD800 in a string"#),
        ParseErrorCase("lone low surrogate", #""x\uDC00""#, 1, 3, #"unpaired surrogate \uDC00 in a string"#),
        ParseErrorCase("leading zero", "01", 1, 1, "a number must not have leading zeros"),
        ParseErrorCase("minus alone", "-", 1, 2, "expected a digit after '-'"),
        ParseErrorCase("plus sign", "+1", 1, 1, "expected a JSON value, found '+'"),
        ParseErrorCase("bare decimal point", "1.", 1, 3, "expected a digit after the decimal point"),
        ParseErrorCase("leading decimal point", ".5", 1, 1, "expected a JSON value, found '.'"),
        ParseErrorCase("empty exponent", "1e", 1, 3, "expected a digit in the exponent"),
        ParseErrorCase("number too large", "[1e400]", 1, 2, "the number 1e400 is too large"),
        ParseErrorCase("negative number too large", "-1e309", 1, 1, "the number -1e309 is too large"),
        ParseErrorCase("infinity", "Infinity", 1, 1, "expected a JSON value, found 'I'"),
        ParseErrorCase("trailing garbage", "[1] x", 1, 5, "unexpected 'x' after the JSON value"),
        ParseErrorCase("second value", "1 2", 1, 3, "unexpected '2' after the JSON value"),
        ParseErrorCase("columns count code points", #"{"é😀": x}"#, 1, 8, "expected a JSON value, found 'x'"),
        ParseErrorCase("non-ASCII outside a string", "[é]", 1, 2, "expected a JSON value, found 'é' (U+00E9)"),
        ParseErrorCase("invalid UTF-8 in a string", bytes: [0x22, 0x61, 0xFF, 0x22], 1, 3, "invalid UTF-8 byte 0xFF"),
        ParseErrorCase("overlong UTF-8", bytes: [0x22, 0xC0, 0x80, 0x22], 1, 2, "invalid UTF-8 byte 0xC0"),
        ParseErrorCase("encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], 1, 2, "invalid UTF-8 byte sequence starting with 0xED"),
        ParseErrorCase("truncated UTF-8", bytes: [0x22, 0xE2, 0x82], 1, 2, "invalid UTF-8 byte sequence starting with 0xE2"),
        ParseErrorCase("byte order mark then error", bytes: [0xEF, 0xBB, 0xBF, 0x78], 1, 1, "expected a JSON value, found 'x'"),
        ParseErrorCase("too deep", String(repeating: "[", count: 513), 1, 513, "nesting is deeper than 512 levels"),
    ]

    @Test(arguments: errorCases)
    func reportsErrorAtItsLineAndColumn(_ testCase: ParseErrorCase) {
        #expect {
            _ = try JSONParser.parse(testCase.bytes)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.line == testCase.line && error.column == testCase.column && error.message == testCase.message
        }
    }

    // MARK: Skipped members

    /// A skipped member is read as every value is: an error in it is the same error, at the
    /// same place, as when it is kept.
    @Test(arguments: errorCases)
    func reportsAnErrorInASkippedMemberAsWhenItIsKept(_ testCase: ParseErrorCase) {
        let bytes = Array(#"{"a": 1, "actions": "#.utf8) + testCase.bytes + Array("}".utf8)
        func error(_ parse: () throws(JSONParseError) -> JSONValue) -> JSONParseError? {
            do {
                _ = try parse()
                return nil
            } catch {
                return error
            }
        }
        let kept = error { () throws(JSONParseError) in try JSONParser.parse(bytes) }
        let skipped = error { () throws(JSONParseError) in try JSONParser.parse(bytes, skippingMembers: ["actions"]) }
        #expect(kept != nil)
        #expect(skipped == kept)
    }

    @Test func leavesOutOnlyTheTopLevelMembersNamed() throws {
        let text = #"{"actions": [{"x": {"actions": 1}}, 2, "three", [4]], "b": {"actions": [1]}, "c": 3, "d": null}"#
        #expect(try JSONParser.parse(Array(text.utf8), skippingMembers: ["actions", "d"]) == .object([
            "b": .object(["actions": .array([.integer(1)])]), "c": .integer(3),
        ]))
        #expect(try JSONParser.parse(Array("[1]".utf8), skippingMembers: ["actions"]) == .array([.integer(1)]))
    }

    @Test func findsASkippedMemberRepeated() {
        #expect {
            _ = try JSONParser.parse(Array(#"{"actions": [], "b": 1, "actions": [2]}"#.utf8), skippingMembers: ["actions"])
        } throws: { error in
            (error as? JSONParseError)?.description == #"1:25: duplicate key "actions""#
        }
    }

    @Test func describesAnErrorAsLineColonColumn() {
        #expect {
            _ = try JSONParser.parse("[1,\n  x]")
        } throws: { error in
            (error as? JSONParseError)?.description == "2:3: expected a JSON value, found 'x'"
        }
    }

    @Test func rejectsVeryDeepNestingWithoutCrashing() {
        let text = String(repeating: "[{\"a\":", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    // MARK: Helpers

    private static func integer(_ text: String) throws -> Int? {
        if case .integer(let value) = try JSONParser.parse(text) { return value }
        return nil
    }

    private static func double(_ text: String) throws -> Double? {
        if case .double(let value) = try JSONParser.parse(text) { return value }
        return nil
    }
}
