import Foundation
import Testing
@testable import ChatctlCore

/// Every class of hostile input of issue 2 point 3 ends in a clean diagnostic. Each test
/// also proves the work stayed bounded — not with a stopwatch but by where loading
/// stopped: at the limit's position, not at the end of the input.
@Suite struct HostileInputTests {
    @Test func tabIndentationIsASyntaxErrorWithAHint() {
        let (_, diagnostics) = compose("spec:\n\tflow: x\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.code == "yaml.syntax")
        #expect(diagnostics.first?.location?.line == 2)
        #expect(diagnostics.first?.hint == "YAML does not allow tabs for indentation; indent with spaces")
    }

    @Test func invalidUTF8IsAnEncodingErrorAtItsLineAndColumn() {
        var bytes = Array("a: 1\nname: ab".utf8)
        bytes.append(0xFF)
        bytes += Array("c\n".utf8)
        let (documents, diagnostics) = compose(bytes: bytes)
        #expect(documents.isEmpty)
        #expect(summaries(diagnostics) == ["2:9: yaml.encoding: the file is not valid UTF-8 text here; save it as UTF-8"])
    }

    @Test func aControlCharacterIsReportedAtItsLineAndColumn() {
        let (_, diagnostics) = compose("a: 1\nname: é\u{01}x\n")
        #expect(summaries(diagnostics) == ["2:8: yaml.syntax: invalid YAML: control characters are not allowed"])
    }

    @Test func truncatedMultibyteSequenceIsAnEncodingError() {
        let (_, diagnostics) = compose(bytes: Array("a: é".utf8).dropLast())
        #expect(diagnostics.map(\.code) == ["yaml.encoding"])
    }

    @Test(arguments: [
        ("UTF-8 BOM", [0xEF, 0xBB, 0xBF] + Array("kind: x\n".utf8)),
        ("UTF-16LE BOM", [0xFF, 0xFE] + Array("kind: x\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
        ("UTF-16BE BOM", [0xFE, 0xFF] + Array("kind: x\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }),
        ("UTF-32LE BOM", [0xFF, 0xFE, 0, 0] + "kind: x\n".unicodeScalars.flatMap { [UInt8($0.value & 0xFF), 0, 0, 0] }),
        ("UTF-32BE BOM", [0, 0, 0xFE, 0xFF] + "kind: x\n".unicodeScalars.flatMap { [0, 0, 0, UInt8($0.value & 0xFF)] }),
    ] as [(String, [UInt8])])
    func readsTextWithAByteOrderMark(name: String, bytes: [UInt8]) {
        let (documents, diagnostics) = compose(bytes: bytes)
        #expect(diagnostics.isEmpty, "\(name)")
        #expect(documents.first?.root["kind"]?.jsonValue == .string("x"), "\(name)")
    }

    @Test func utf16WithALoneSurrogateIsAnEncodingError() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x3A, 0x00, 0x20, 0x00, 0x00, 0xD8, 0x0A, 0x00]
        let (_, diagnostics) = compose(bytes: bytes)
        #expect(summaries(diagnostics) == ["1:4: yaml.encoding: the file is not valid UTF-16LE text here; save it as UTF-8"])
    }

    @Test func nulBytesAreASyntaxError() {
        let (_, diagnostics) = compose(bytes: Array("a: b".utf8) + [0] + Array("c\n".utf8))
        #expect(diagnostics.map(\.code) == ["yaml.syntax"])
    }

    @Test func anAliasBombStopsAtTheAliasThatCrossesTheLimit() {
        // Nine levels of ten aliases each would expand to 10^9 nodes.
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let (documents, diagnostics) = compose(text)
        #expect(documents.isEmpty)
        #expect(diagnostics.map(\.code) == ["yaml.alias-limit"])
        // 11 nodes per a0 alias, 111 per a1 alias, ~1111 per a2 alias: the limit of
        // 10,000 is crossed in line 4 (level 3), long before the bomb's 10^9 nodes.
        #expect(diagnostics.first?.location?.line == 4)
    }

    @Test(arguments: ["block", "flow"])
    func deepNestingStopsAtTheDepthLimit(style: String) {
        let depth = 100_000
        let text = style == "flow"
            ? String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            : (0..<200).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " v\n"
        let (documents, diagnostics) = compose(text)
        #expect(documents.isEmpty)
        #expect(diagnostics.map(\.code) == ["yaml.depth-limit"])
        // Stopped at the 65th level: for flow style that is column 65 of a 100,000-column line.
        if style == "flow" { #expect(diagnostics.first?.location?.column == 65) }
    }

    @Test func nestingAtTheLimitIsAccepted() {
        let (documents, diagnostics) = compose(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
        #expect(diagnostics.isEmpty)
        #expect(documents.count == 1)
    }

    @Test func aMappingWithTooManyKeysStopsAtTheKeyOverTheLimit() {
        var limits = YAMLLimits()
        limits.maxKeysPerMapping = 1_000
        let text = (0...5_000).map { "k\($0): v" }.joined(separator: "\n")
        let (_, diagnostics) = compose(text, limits: limits)
        #expect(summaries(diagnostics) == ["1001:1: yaml.too-many-keys: a mapping has more than 1000 keys"])
    }

    @Test func aFileOverTheSizeLimitIsRefusedBeforeItIsRead() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("big.yaml")
        // A sparse file: 33 MiB on paper, no disk used; stat alone rejects it.
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 33 * 1024 * 1024)
        try handle.close()
        let input = ProfileLoader().load(paths: [path])
        #expect(input.diagnostics.map(\.code) == ["file.too-large"])
    }

    @Test func aHugeSingleLineIsReadWithoutTrouble() {
        let long = String(repeating: "x", count: 1_000_000)
        let (documents, diagnostics) = compose("content: \(long)\n")
        #expect(diagnostics.isEmpty)
        #expect(documents.first?.root["content"]?.scalar?.text.count == 1_000_000)
    }

    @Test(arguments: 0..<64)
    func arbitraryBytesNeverCrash(seed: Int) {
        // A deterministic pseudo-random byte soup, biased towards YAML's punctuation.
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        let alphabet = Array("-:[]{},&*!|>'\"#%@` \n\tab1".utf8) + [0x00, 0xC3, 0xFF, 0xEF]
        var bytes: [UInt8] = []
        for _ in 0..<512 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(alphabet[Int(state >> 33) % alphabet.count])
        }
        let (_, diagnostics) = compose(bytes: bytes)
        for diagnostic in diagnostics {
            #expect(diagnostic.location.map { $0.line >= 1 && $0.column >= 1 } ?? true)
        }
    }
}
