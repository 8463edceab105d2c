import ChatctlJSON
import Testing

@testable import ChatctlCore

/// The customer id is never printed (SPEC §2): which fields hold it, and which lines of a
/// YAML file a snippet must not show.
@Suite struct SensitiveValuesTests {
    /// The lines of `text` (1-based) that ``SensitiveValues/lines(inYAML:)`` keeps out of
    /// snippets, among its first `count` lines.
    static func hidden(_ text: String) -> [Int] {
        let lines = SensitiveValues.lines(inYAML: Array(text.utf8))
        let count = SensitiveValues.sourceLines(of: text).count
        return (1...count).filter { lines.contains($0) }
    }

    @Test func theCustomerIdOfAParticipantIsSensitiveAndNothingElse() {
        #expect(SensitiveValues.isSensitive(JSONPointer([.key("spec"), .key("participant"), .key("customerId")])))
        #expect(SensitiveValues.isSensitive(
            JSONPointer([.key("spec"), .key("defaults"), .key("participant"), .key("customerId")])))
        #expect(!SensitiveValues.isSensitive(JSONPointer([.key("spec"), .key("participant"), .key("displayName")])))
        #expect(!SensitiveValues.isSensitive(JSONPointer([.key("spec"), .key("attributes"), .key("customerId")])))
        #expect(SensitiveValues.isSensitive(fieldPath: "spec.participant.customerId"))
        #expect(SensitiveValues.isSensitive(fieldPath: "participant.customerId"))
        #expect(!SensitiveValues.isSensitive(fieldPath: "spec.participant.displayName"))
        #expect(!SensitiveValues.isSensitive(fieldPath: "spec.participant.customerIdentity"))
    }

    @Test func hidesTheLineOfAPlainOrQuotedValueAndShowsTheOthers() {
        let text = """
            spec:
              participant:
                displayName: Jane
                customerId: 4111222233334444
              duration: 1h
            """
        // The next node's line may hold the end of the value (a flow mapping): hidden too.
        #expect(Self.hidden(text) == [4, 5])
        #expect(Self.hidden("participant: {displayName: Jane, customerId: '4111'}\nregion: x") == [1, 2])
        #expect(Self.hidden("displayName: Jane\nregion: x") == [])
    }

    @Test func hidesEveryLineOfAValueWrittenOverSeveralLines() {
        let literal = """
            participant:
              customerId: |
                4111
                2222
              displayName: Jane
            other: 1
            """
        #expect(Self.hidden(literal) == [2, 3, 4, 5])
        let quoted = """
            participant:
              customerId: "4111
              2222"
            other: 1
            """
        #expect(Self.hidden(quoted) == [2, 3, 4])
        let nextLine = "participant:\n  customerId:\n    4111\nother: 1"
        #expect(Self.hidden(nextLine) == [2, 3, 4])
    }

    @Test func hidesTheAnchoredValueAnAliasGivesIt() {
        let text = """
            secret: &id 4111222233334444
            note: here
            participant:
              customerId: *id
            other: 1
            """
        #expect(Self.hidden(text) == [1, 2, 4, 5])
    }

    /// A key spelled with escapes is the same key; a value that never ends (a syntax error
    /// inside it) hides every line from its key on.
    @Test func findsTheKeyHoweverItIsSpelledAndHidesToTheEndAfterAnError() {
        #expect(Self.hidden("participant:\n  \"customer\\x49d\": 4111\nother: 1") == [2, 3])
        #expect(Self.hidden("a: 1\nparticipant:\n  customerId: \"4111\n  2222\n") == [3, 4, 5])
        // An error before any customer id hides nothing.
        #expect(Self.hidden("a: [1\nb: 2") == [])
        // libyaml stops before the key: a tab, or a missing colon on the line above (the
        // error is then reported on the customer id's line).
        #expect(Self.hidden("participant:\n\tcustomerId: 4111\nother: 1") == [2, 3])
        #expect(Self.hidden("participant:\n  displayName Jane\n  customerId: 4111\n  other: 1") == [3, 4])
    }

    /// A misspelt key (the API's own `CustomerId`, `customer_id`), or one glued to its
    /// value (`customerId:4111` in a flow mapping is one plain scalar), hides its line, and
    /// a field path never shows a key that may hold the value; an alias may be the key.
    @Test func misspeltGluedAndAliasedKeysAreSensitiveToo() {
        #expect(Self.hidden("participant:\n  CustomerId: 4111\n  customer_id: 4111\nother: 1") == [2, 3])
        #expect(Self.hidden("participant: {displayName: Jane, customerId:4111}\nother: 1") == [1])
        #expect(SensitiveValues.mayHoldValue(key: "customerId:4111"))
        #expect(SensitiveValues.mayHoldValue(key: "Customer_Id 4111"))
        #expect(!SensitiveValues.mayHoldValue(key: "customerId"))
        #expect(!SensitiveValues.mayHoldValue(key: "CustomerID"))
        #expect(!SensitiveValues.mayHoldValue(key: "displayName"))
        #expect(Self.hidden("k: &k customerId\np:\n  *k : 4111\n  other: 1\nlast: 1") == [1, 3, 4])
    }

    /// Lines are numbered as libyaml numbers them: CR LF, CR, NEL, LS and PS end lines too
    /// (split at LF alone, a CR LF file is one line, and its snippet the whole file).
    @Test func countsLinesAsLibyamlDoes() {
        let text = "a: 1\r\nb: 2\rc: 3\u{85}d: 4\u{2028}e: 5\u{2029}f: 6\ng: 7"
        #expect(SensitiveValues.sourceLines(of: text) == ["a: 1", "b: 2", "c: 3", "d: 4", "e: 5", "f: 6", "g: 7"])
        #expect(SensitiveValues.sourceLines(of: "") == [""])
        #expect(SensitiveValues.sourceLines(of: "a\n") == ["a", ""])
        #expect(Self.hidden("participant:\r\n  customerId: 4111\r\nother: 1\r\nlast: 1") == [2, 3])
    }

    /// Found by binary search among merged ranges: as many lines as a hostile file has.
    @Test func findsEachHiddenLineAmongManyRanges() {
        let text = (0..<3000).map { "k\($0): {customerId: \($0)}\nx\($0): 1" }.joined(separator: "\n")
        let hidden = Set(Self.hidden(text))
        // Each customer id's line, and the next line (the next node's).
        #expect(hidden == Set((0..<6000).map { $0 + 1 }))
        let sparse = (0..<3000).map { "k\($0): {customerId: \($0)}\nx\($0): 1\ny\($0): 1" }.joined(separator: "\n")
        let lines = SensitiveValues.lines(inYAML: Array(sparse.utf8))
        for index in 0..<3000 {
            #expect(lines.contains(3 * index + 1) && lines.contains(3 * index + 2) && !lines.contains(3 * index + 3))
        }
    }
}
