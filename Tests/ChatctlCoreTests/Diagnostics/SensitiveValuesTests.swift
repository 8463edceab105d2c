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
        let count = text.split(separator: "\n", omittingEmptySubsequences: false).count
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
    }
}
