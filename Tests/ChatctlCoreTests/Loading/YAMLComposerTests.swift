import ChatctlJSON
import Testing
@testable import ChatctlCore

@Suite struct YAMLComposerTests {
    @Test func givesEveryKeyAndValueItsOneBasedPosition() throws {
        let (documents, diagnostics) = compose("""
            a: 1
            b:
              - x
              - {c: "d"}
            """)
        #expect(diagnostics.isEmpty)
        let root = try #require(documents.first?.root)
        let b = try #require(root.entry("b"))
        #expect(b.keyLocation.line == 2 && b.keyLocation.column == 1)
        #expect(root.location(of: JSONPointer([.key("a")])).column == 4)
        let inner = JSONPointer([.key("b"), .index(1), .key("c")])
        #expect(root.location(of: inner).line == 4)
        #expect(root.location(of: inner).column == 9)
        #expect(root.location(of: inner, atKey: true).column == 6)
    }

    @Test func countsColumnsInCodePointsNotBytes() throws {
        let (documents, _) = compose("name: \"héllo wörld\"\nkey: value\n\"ü\": x\n")
        let root = try #require(documents.first?.root)
        // "ü" is two bytes in UTF-8 but one column: the value after `"ü": ` starts at column 6.
        #expect(root.location(of: JSONPointer([.key("ü")])).column == 6)
    }

    @Test func readsEveryDocumentOfAStreamAndSkipsEmptyOnes() {
        let (documents, diagnostics) = compose("a: 1\n---\n---\n# only a comment\n---\nb: 2\n")
        #expect(diagnostics.isEmpty)
        #expect(documents.map(\.index) == [0, 3])
        #expect(documents.map(\.location.line) == [1, 5])
    }

    @Test func emptyAndCommentOnlyFilesHaveNoDocumentsAndNoErrors() {
        #expect(compose("").documents.isEmpty)
        #expect(compose("").diagnostics.isEmpty)
        #expect(compose("# nothing here\n\n# at all\n").documents.isEmpty)
        #expect(compose("# nothing here\n").diagnostics.isEmpty)
    }

    @Test func reportsADuplicateKeyAtTheSecondKeyAndKeepsTheFirstValue() throws {
        let (documents, diagnostics) = compose("a: 1\nb: 2\na: 3\n")
        #expect(summaries(diagnostics) == [#"3:1: yaml.duplicate-key: duplicate key "a" (first at line 1, column 1)"#])
        #expect(documents.first?.root.jsonValue == .object(["a": .integer(1), "b": .integer(2)]))
    }

    /// Small mappings search their keys; from 16 keys on, a set does. Both must find a
    /// duplicate, wherever it falls relative to the switch.
    @Test(arguments: [2, 14, 15, 16, 17, 40])
    func findsADuplicateKeyInAMappingOfAnySize(keys: Int) {
        let lines = (0..<keys).map { "k\($0): \($0)" } + ["k0: again", "k\(keys - 1): again"]
        let (documents, diagnostics) = compose(lines.joined(separator: "\n") + "\n")
        #expect(diagnostics.map(\.code) == ["yaml.duplicate-key", "yaml.duplicate-key"])
        #expect(diagnostics.map(\.location?.line) == [keys + 1, keys + 2])
        #expect(documents.first?.root.entries?.count == keys)
    }

    @Test func treatsQuotedAndPlainSpellingsOfAKeyAsTheSameKey() {
        let (_, diagnostics) = compose("name: a\n\"name\": b\n")
        #expect(diagnostics.map(\.code) == ["yaml.duplicate-key"])
    }

    @Test func rejectsKeysThatAreNotStrings() {
        let (_, diagnostics) = compose("1: a\ntrue: b\n~: c\n\"2\": ok\n")
        #expect(summaries(diagnostics) == [
            "1:1: yaml.non-string-key: the key 1 is not a string",
            "2:1: yaml.non-string-key: the key true is not a string",
            "3:1: yaml.non-string-key: the key ~ is not a string",
        ])
    }

    @Test func rejectsAMappingUsedAsAKey() {
        let (_, diagnostics) = compose("? {a: 1}\n: b\n")
        #expect(diagnostics.map(\.code) == ["yaml.non-string-key"])
    }

    @Test func honoursStrTagsAndRejectsEveryOtherTag() throws {
        let (documents, diagnostics) = compose("a: !!str 123\nb: !!int 5\nc: !custom x\nd: !!python/object:os.system x\n")
        #expect(summaries(diagnostics) == [
            "2:4: yaml.tag: the tag !!int is not supported",
            "3:4: yaml.tag: the tag !custom is not supported",
            "4:4: yaml.tag: the tag !!python/object:os.system is not supported",
        ])
        #expect(documents.first?.root["a"]?.jsonValue == .string("123"))
    }

    @Test func reportsMergeKeysAsUnsupported() {
        let (_, diagnostics) = compose("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
        #expect(summaries(diagnostics) == ["3:3: yaml.merge-key: merge keys (<<) are not supported"])
    }

    @Test func expandsAliasesToTheAnchoredValue() throws {
        let (documents, diagnostics) = compose("a: &x [1, 2]\nb: *x\n")
        #expect(diagnostics.isEmpty)
        #expect(documents.first?.root["b"]?.jsonValue == .array([.integer(1), .integer(2)]))
    }

    @Test func rejectsAnAliasToAnUndefinedAnchor() {
        let (_, diagnostics) = compose("a: *nowhere\n")
        #expect(diagnostics.map(\.code) == ["yaml.alias"])
    }

    @Test func keepsAnchorsWithinTheirDocument() {
        let (_, diagnostics) = compose("a: &x 1\n---\nb: *x\n")
        #expect(diagnostics.map(\.code) == ["yaml.alias"])
    }

    @Test func reportsSyntaxErrorsWithLibyamlsPosition() {
        let (_, diagnostics) = compose("a: [1, 2\nb: 3\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.code == "yaml.syntax")
        #expect(diagnostics.first?.message.hasPrefix("invalid YAML: ") == true)
    }

    @Test func suggestsQuotingWhenAValueContainsAColon() {
        let (_, diagnostics) = compose("content: Hello: world\n")
        #expect(diagnostics.first?.code == "yaml.syntax")
        #expect(diagnostics.first?.hint == "a value that contains \": \" must be quoted")
    }

    @Test func keepsDocumentsBeforeASyntaxError() {
        let (documents, diagnostics) = compose("a: 1\n---\nb: [\n")
        #expect(documents.count == 1)
        #expect(diagnostics.map(\.code) == ["yaml.syntax"])
    }
}
