import ChatctlJSON
import Testing
@testable import ChatctlCore

@Suite struct YAMLLocatorTests {
    @Test func findsTheSamePlacesAsTheNodeInSmallAndLargeMappings() throws {
        var text = "spec:\n  list: [a, b]\n"
        for index in 0..<40 { text += "  key\(index): {inner: \(index)}\n" }
        let (documents, diagnostics) = compose(text)
        #expect(diagnostics.isEmpty)
        let root = try #require(documents.first?.root)
        let locator = YAMLLocator(root)
        let pointers: [(JSONPointer, Bool)] = [
            (JSONPointer([.key("spec"), .key("key39")]), true),
            (JSONPointer([.key("spec"), .key("key39"), .key("inner")]), false),
            (JSONPointer([.key("spec"), .key("list"), .index(1)]), false),
            (JSONPointer([.key("spec"), .key("list"), .index(7)]), false),
            (JSONPointer([.key("spec"), .key("absent"), .key("deeper")]), true),
            (JSONPointer([.key("spec"), .key("key3"), .key("inner")]), true),
        ]
        for (pointer, atKey) in pointers {
            #expect(locator.location(of: pointer, atKey: atKey) == root.location(of: pointer, atKey: atKey), "\(pointer.rfc6901)")
            #expect(locator.node(at: pointer)?.location == root.node(at: pointer)?.location, "\(pointer.rfc6901)")
        }
    }

    @Test func onlyTheFirstHundredUnknownFieldsOfADocumentGetASuggestion() {
        let violations = (0..<150).map { index in
            SchemaViolation(
                instancePath: JSONPointer([.key("flw\(index)")]), pointsAtKey: true, keyword: "additionalProperties",
                schemaPath: JSONPointer(), message: "unknown field", kind: .unknownProperty(name: "flow", allowed: ["flow"]))
        }
        let diagnostics = violations.diagnostics(in: YAMLNode(.mapping([]), at: SourceLocation(file: "t.yaml", line: 1, column: 1)))
        #expect(diagnostics.prefix(100).allSatisfy { $0.hint == "did you mean \"flow\"?" })
        #expect(diagnostics.dropFirst(100).allSatisfy { $0.hint == "allowed here: flow" })
    }
}
