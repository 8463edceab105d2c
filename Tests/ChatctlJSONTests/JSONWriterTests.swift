import ChatctlJSON
import Testing

@Suite struct JSONWriterTests {
    static let sample = JSONValue.object([
        "serial": .integer(3),
        "entries": .object([
            "vip-greeting": .object(["status": .string("started"), "attempts": .integer(1), "error": .null]),
            "intake": .object(["status": .string("pending"), "tags": .array([]), "extra": .object([:])]),
        ]),
        "lockfileVersion": .integer(1),
        "ratio": .double(0.5),
        "list": .array([.bool(true), .bool(false), .array([.integer(1)])]),
    ])

    @Test func writesSortedIndentedJSONWithATrailingNewline() {
        #expect(JSONWriter.pretty.string(Self.sample) == """
        {
          "entries": {
            "intake": {
              "extra": {},
              "status": "pending",
              "tags": []
            },
            "vip-greeting": {
              "attempts": 1,
              "error": null,
              "status": "started"
            }
          },
          "list": [
            true,
            false,
            [
              1
            ]
          ],
          "lockfileVersion": 1,
          "ratio": 0.5,
          "serial": 3
        }

        """)
    }

    @Test func writesCompactJSONWithoutWhitespace() {
        #expect(JSONWriter.compact.string(Self.sample) == #"""
        {"entries":{"intake":{"extra":{},"status":"pending","tags":[]},"vip-greeting":{"attempts":1,"error":null,"status":"started"}},"list":[true,false,[1]],"lockfileVersion":1,"ratio":0.5,"serial":3}
        """#)
    }

    @Test func writesEmptyContainersOnOneLine() {
        #expect(JSONWriter.pretty.string(.object([:])) == "{}\n")
        #expect(JSONWriter.pretty.string(.array([])) == "[]\n")
        #expect(JSONWriter(style: .compact).string(.object(["a": .array([])])) == #"{"a":[]}"#)
    }

    @Test func sortsKeysByUnicodeScalarValue() {
        let keys = ["b", "a", "B", "é", "z", "ä", "\u{FFFD}", "😀", "", "a b", "ab"]
        let value = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.null) }))
        // UTF-16 order would put 😀 (a surrogate pair) before U+FFFD; scalar order does not.
        #expect(JSONWriter.compact.string(value)
            == #"{"":null,"B":null,"a":null,"a b":null,"ab":null,"b":null,"z":null,"ä":null,"é":null,"\#u{FFFD}":null,"😀":null}"#)
    }

    @Test func writesTheSameBytesWhateverTheInsertionOrder() {
        var forward: [String: JSONValue] = [:]
        var backward: [String: JSONValue] = [:]
        let names = (0..<500).map { "entry-\($0)" }
        for name in names { forward[name] = .string(name) }
        for name in names.reversed() { backward[name] = .string(name) }
        #expect(JSONWriter.pretty.bytes(.object(forward)) == JSONWriter.pretty.bytes(.object(backward)))
    }

    @Test func writesNumbers() {
        let cases: [(JSONValue, String)] = [
            (.integer(1), "1"), (.integer(-7), "-7"), (.integer(Int.min), "-9223372036854775808"),
            (.double(1.0), "1.0"), (.double(0.1), "0.1"), (.double(-0.0), "-0.0"), (.double(100), "100.0"),
            (.double(1e-8), "1e-08"), (.double(1e16), "1e+16"), (.double(1.5e300), "1.5e+300"),
            (.double(.infinity), "null"), (.double(-.infinity), "null"), (.double(.nan), "null"),
        ]
        for (value, text) in cases {
            #expect(JSONWriter.compact.string(value) == text, "\(value)")
        }
    }

    /// A string without anything to escape is copied whole; one byte to escape anywhere
    /// in it (first, middle, last) sends it the escaping way.
    @Test func escapesASingleEscapableByteAnywhereInAPlainString() {
        let escapable: [(Character, String)] = [
            ("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\t", #"\t"#), ("\u{00}", #"\u0000"#), ("\u{01}", #"\u0001"#),
            ("\u{08}", #"\b"#), ("\u{0C}", #"\f"#), ("\r", #"\r"#), ("\u{1E}", #"\u001e"#), ("\u{1F}", #"\u001f"#),
        ]
        #expect(JSONWriter.compact.string(.string("plain é 😀 \u{7F} / text")) == "\"plain é 😀 \u{7F} / text\"")
        for (character, escaped) in escapable {
            for (before, after) in [("", "abc"), ("ab", "c"), ("abc", "")] {
                let text = before + String(character) + after
                #expect(JSONWriter.compact.string(.string(text)) == "\"" + before + escaped + after + "\"", "\(escaped)")
            }
        }
    }

    /// A string with nothing to escape is written as it is at every length, short ones
    /// (copied byte by byte) and long ones (copied whole), ASCII or not, and a byte to
    /// escape at its end is escaped whatever the length.
    @Test func writesAPlainStringOfEveryLengthAsItIs() {
        // Printable ASCII but the quote and the backslash, in turn.
        let printable = (0x20...0x7E).filter { $0 != 0x22 && $0 != 0x5C }.map { Character(Unicode.Scalar(UInt8($0))) }
        for length in 0...80 {
            let ascii = String((0..<length).map { printable[$0 % printable.count] })
            for text in [ascii, String(repeating: "é", count: length / 2) + "z", "😀" + ascii] {
                #expect(JSONWriter.compact.string(.string(text)) == "\"" + text + "\"", "\(length): \(text)")
                #expect(JSONWriter.compact.string(.string(text + "\n")) == "\"" + text + "\\n\"", "\(length)")
            }
        }
    }

    @Test func escapesOnlyWhatJSONRequires() {
        let text = "\"\\/\n\t\r\u{8}\u{C}\u{0}\u{1}\u{1F}\u{7F}é😀\u{2028}"
        #expect(JSONWriter.compact.string(.string(text)) == #""\"\\/\n\t\r\b\f\u0000\u0001\u001f\#u{7F}é😀\#u{2028}""#)
    }

    @Test func roundTripsThroughTheParser() throws {
        let value = JSONValue.object([
            "text": .string("tab\tquote\"slash/emoji😀nul\u{0}"),
            "numbers": .array([.integer(0), .integer(Int.max), .double(1e-8), .double(0.1), .double(-0.0), .double(123.456)]),
            "nested": .object(["a": .array([.object([:]), .array([]), .null, .bool(false)])]),
        ])
        for writer in [JSONWriter.pretty, JSONWriter.compact] {
            let parsed = try JSONParser.parse(writer.bytes(value))
            #expect(parsed == value)
            // Doubles come back as doubles with the same bits, integers as integers.
            guard case .array(let numbers)? = parsed["numbers"] else {
                Issue.record("numbers missing")
                continue
            }
            #expect(numbers.map { if case .integer = $0 { true } else { false } } == [true, true, false, false, false, false])
            if case .double(let zero) = numbers[4] { #expect(zero.sign == .minus) }
            #expect(writer.bytes(parsed) == writer.bytes(value))
        }
    }

    @Test func rewritesCanonicalTextUnchanged() throws {
        let text = """
        {
          "a": [
            1,
            2.5,
            "x"
          ],
          "b": {}
        }

        """
        #expect(JSONWriter.pretty.string(try JSONParser.parse(text)) == text)
    }
}
