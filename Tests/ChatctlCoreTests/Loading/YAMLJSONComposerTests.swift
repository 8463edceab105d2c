import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

/// The one pass from libyaml's events to JSON must give what the tree path gives (the
/// tree's `jsonValue`, its document locations, the positions of the watched pointers),
/// and must give up wherever the tree path has something to report.
@Suite struct YAMLJSONComposerTests {
    static let examples = StreamingValidationTests.examples

    /// Limits small enough that a few lines reach them.
    static var smallLimits: YAMLLimits {
        var limits = YAMLLimits()
        limits.maxDepth = 3
        limits.maxKeysPerMapping = 2
        return limits
    }

    /// The one pass on `text`, next to the tree path's documents and diagnostics.
    static func both(_ text: String, limits: YAMLLimits = YAMLLimits())
        -> (fast: [YAMLJSONComposer.Document]?, tree: [YAMLDocument], diagnostics: [Diagnostic])
    {
        let (tree, diagnostics) = compose(text, limits: limits)
        let fast = YAMLJSONComposer(file: "t.yaml", limits: limits).compose(utf8: Array(text.utf8))
        return (fast, tree, diagnostics)
    }

    /// Every watched pointer the tree has, with the tree's position for it.
    static func watchedPositions(in root: YAMLNode) -> [JSONPointer: ChatctlCore.SourceLocation] {
        var positions: [JSONPointer: ChatctlCore.SourceLocation] = [:]
        var pointers = [JSONPointer([.key("metadata"), .key("name")])]
        for key in ["persistence", "relatedContact"] { pointers.append(JSONPointer([.key("spec"), .key(key), .key("from")])) }
        if case .sequence(let items)? = root["spec"]?["dependsOn"]?.content {
            for index in items.indices { pointers.append(JSONPointer([.key("spec"), .key("dependsOn"), .index(index)])) }
        }
        for pointer in pointers where root.node(at: pointer) != nil { positions[pointer] = root.location(of: pointer) }
        return positions
    }

    /// Compares the one pass with the tree path on a text the tree path reports nothing on.
    static func expectSame(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let (fast, tree, diagnostics) = both(text)
        #expect(diagnostics.isEmpty, "\(text)", sourceLocation: sourceLocation)
        guard let fast else {
            Issue.record("gave up on \(text)", sourceLocation: sourceLocation)
            return
        }
        #expect(fast.count == tree.count, "\(text)", sourceLocation: sourceLocation)
        for (one, node) in zip(fast, tree) {
            #expect(one.value == node.root.jsonValue, "\(text)", sourceLocation: sourceLocation)
            #expect(one.location == node.location, "\(text)", sourceLocation: sourceLocation)
            #expect(one.positions == watchedPositions(in: node.root), "\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func composesTheExamplesAsTheTreeDoes() throws {
        let folder = Self.examples.appendingPathComponent("profiles").path
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 5)
        for name in names {
            Self.expectSame(try String(contentsOfFile: folder + "/" + name, encoding: .utf8))
        }
    }

    /// Every node kind at every watched pointer: plain, quoted, block and tagged scalars,
    /// flow and block collections, empty values, several documents, and a wide character
    /// before a value (columns count Unicode scalars).
    @Test func placesEveryKindOfNodeAsTheTreeDoes() {
        // `@` starts a line indented below the key the value belongs to.
        let values = [
            "a", "'a b'", "\"é\\u00e9\"", "!!str 12", "! x", "12", "0x1F", "-.inf", "~", "", "null", "true", "[x, 'y']",
            "{p: q}", "|@text@more", ">-@folded@text", "@- one@- two", "@k: v@w: [1]",
        ]
        var generator = SplitMix64(seed: 153)
        for _ in 0..<400 {
            func pick(indent: Int) -> String {
                values[Int(generator.next() % UInt64(values.count))]
                    .replacingOccurrences(of: "@", with: "\n" + String(repeating: " ", count: indent))
            }
            var text = "kind: ChatLaunchProfile\n"
            if generator.next() % 2 == 0 { text += "\"ü\": x\n" }
            text += "metadata: {name: \(["n", "'ü n'", "\"q\"", "[a]", "12"][Int(generator.next() % 5)])}\n"
            text += "spec:\n  persistence:\n    from: \(pick(indent: 6))\n"
            text += "  dependsOn:\n"
            for _ in 0..<Int(generator.next() % 4) { text += "  - \(pick(indent: 4))\n" }
            if generator.next() % 2 == 0 { text += "  relatedContact: {from: \(["a", "'b'", "[c]", "{d: e}"][Int(generator.next() % 4)])}\n" }
            if generator.next() % 3 == 0 { text += "---\n# a second document\nkind: ChatLaunchProfile\nmetadata:\n  name:   x\n" }
            if generator.next() % 5 == 0 { text += "---\n" }
            Self.expectSame(text)
        }
    }

    /// Collections that follow one another at one depth (their frames are reused) each
    /// hold only their own members: large mappings (their keys indexed in a set) and small
    /// ones, mappings and sequences in turn, the same keys in siblings, across documents.
    @Test func collectionsAtOneDepthHoldOnlyTheirOwnMembers() {
        func mapping(_ count: Int, from first: Int, indent: Int) -> String {
            (first..<(first + count)).map { String(repeating: " ", count: indent) + "k\($0): v\($0)\n" }.joined()
        }
        var text = "items:\n"
        for (index, count) in [20, 1, 17, 3, 0, 40, 2, 16, 5].enumerated() {
            if count == 0 {
                text += "  - [a, b, [c, d], {e: f}]\n"
                continue
            }
            // Each mapping starts where the one before ended, so siblings share key names.
            text += "  - name: m\(index)\n" + mapping(count, from: index % 3 == 0 ? 0 : 10, indent: 4)
            text += "    nested:\n" + mapping(count % 7 + 1, from: index, indent: 6)
        }
        text += "after: {k0: last}\n---\nsecond:\n  k1: a\n  k2: [x]\nthird: {k1: b}\n"
        Self.expectSame(text)
        Self.expectSame(text + "---\n" + text)
    }

    /// Keys of one mapping that are one key as text (`String`'s `==`) but not byte for
    /// byte: KELVIN SIGN and `K`, `café` precomposed and decomposed (other lengths), and
    /// combining marks in either order (the same length), in both orders and after other keys.
    static let canonicallyEqualKeys = [
        "K: a\n\u{212A}: b\n", "\u{212A}: a\nK: b\n", "x: 1\n\u{212A}: a\ny: 2\nK: b\n",
        "caf\u{E9}: 1\ncafe\u{301}: 2\n", "cafe\u{301}: 1\ncaf\u{E9}: 2\n",
        "a\u{301}\u{327}: 1\na\u{327}\u{301}: 2\n", "spec:\n  attributes: {K: a, \u{212A}: b}\n",
    ]

    /// Anchors and aliases, merge keys, duplicate and non-string keys, collections as
    /// keys, tags, the limits and syntax errors: the one pass gives up on each.
    @Test(arguments: [
        "a: &x 1\nb: *x\n", "a: &x {p: 1}\n", "a: *nowhere\n", "base: &b {p: 1}\nc:\n  <<: *b\n", "<<: {p: 1}\n", "a: 1\na: 2\n",
        "1: a\n", "true: a\n", "null: a\n", "? [a]\n: b\n", "? {a: b}\n: c\n", "a: !custom x\n", "a: !!int 1\n",
        "a: !!map {p: 1}\n", "a: [1\n", "a: b: c\n", "a:\n  b:\n    c:\n      d: 1\n", "a: 1\nb: 2\nc: 3\n",
    ] + canonicallyEqualKeys)
    func givesUpWhereTheTreePathReportsOrExpands(text: String) {
        let limits = Self.smallLimits
        let (fast, _, _) = Self.both(text, limits: limits)
        #expect(fast == nil, "\(text)")
    }

    /// What gives up there is reported by the tree path (except anchors and aliases,
    /// which it expands): the one pass never hides a diagnostic.
    @Test func everyTextItGivesUpOnWithoutAnAliasIsReportedByTheTree() {
        let limits = Self.smallLimits
        for text in ["a: *nowhere\n", "<<: {p: 1}\n", "a: 1\na: 2\n", "1: a\n", "? [a]\n: b\n", "a: !custom x\n", "a: [1\n",
                     "a:\n  b:\n    c:\n      d: 1\n", "a: 1\nb: 2\nc: 3\n"] + Self.canonicallyEqualKeys {
            #expect(!Self.both(text, limits: limits).diagnostics.isEmpty, "\(text)")
        }
    }

    /// The project's defaults are merged at the JSON level as the tree path merges nodes:
    /// mappings key by key (deeply), the profile winning, lists and plain values replaced.
    @Test func mergesTheDefaultsAsTheTreeDoes() throws {
        let projectText = """
            kind: Project
            spec:
              defaults:
                duration: 2h
                contentTypes: [text/plain, text/markdown]
                participant: {displayName: Bot, responseMode: COMPLETE, extra: {a: 1, b: 2}}
                attributes: {launchedBy: chatctl}
            """
        let profileText = """
            kind: ChatLaunchProfile
            metadata: {name: p}
            spec:
              contentTypes: [text/plain]
              participant: {displayName: Ann, extra: {b: 3, c: 4}}
              attributes: x
            ---
            kind: ChatLaunchProfile
            metadata: {name: q}
            spec: {}
            ---
            kind: ChatLaunchProfile
            metadata: {name: r}
            spec: [not, a, mapping]
            """
        let loader = ProfileLoader()
        var diagnostics: [Diagnostic] = []
        let projectDocument = try #require(loader.documents(in: Array(projectText.utf8), file: "chatctl.yaml", diagnostics: &diagnostics).first)
        let project = LoadedProject(file: "chatctl.yaml", document: projectDocument, directory: ".")
        let bytes = Array(profileText.utf8)
        let tree = loader.loadFile("p.yaml", bytes: bytes, readDiagnostics: [], project: project)
        let fast = try #require(loader.cleanProfiles(in: bytes, file: "p.yaml", defaults: ProfileLoader.defaultsJSON(of: project)))
        #expect(fast.count == 3 && tree.profiles.count == 3)
        for (one, loaded) in zip(fast, tree.profiles) { #expect(one.value == loaded.merged.jsonValue) }
        #expect(fast[0].value["spec"]?["participant"]?["extra"] == .object(["a": .integer(1), "b": .integer(3), "c": .integer(4)]))
    }
}
