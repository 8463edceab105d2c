import Foundation
import Testing

@testable import ChatctlCore

/// The rules across profiles on their compact records: names found through the name
/// table as it grows, positions kept across many files, references from duplicates left
/// out of the graph, cycles named in full.
@Suite struct ReferenceRulesTests {
    private static func at(_ file: String, _ line: Int, _ column: Int = 3) -> ChatctlCore.SourceLocation {
        ChatctlCore.SourceLocation(file: file, line: line, column: column)
    }

    private static func dependsOn(_ targets: String..., file: String, line: Int) -> [ChatLaunchProfile.Reference] {
        targets.enumerated().map { index, target in
            .init(kind: .dependsOn, target: target, location: at(file, line, 20 + index))
        }
    }

    @Test func theNameTableFindsTheFirstHolderOfEveryNameAsItGrows() {
        var names: [String?] = []
        var firstSeen: [String: Int32] = [:]
        var table = NameTable()
        // Thousands of names (many growths), every third one a repeat of an earlier name, some absent.
        for index in 0..<5000 {
            let name = index % 7 == 6 ? nil : index % 3 == 2 ? "n\(index / 3)" : "n\(index)"
            names.append(name)
            if let name, firstSeen[name] == nil { firstSeen[name] = Int32(index) }
            let first = table.insert(at: Int32(index), in: names)
            #expect(first == name.flatMap { firstSeen[$0] } ?? Int32(index), "\(name ?? "-")")
        }
        for (name, first) in firstSeen {
            #expect(table.first(named: name, in: names) == first)
        }
        #expect(table.first(named: "absent", in: names) == nil)
        #expect(table.count == firstSeen.count)
    }

    @Test func reportsDuplicatesUnknownTargetsAndCyclesAtTheirPlacesAcrossFiles() {
        var rules = ReferenceRules()
        // 3,000 profiles in 300 files; each depends on the one before it.
        for index in 0..<3000 {
            let file = "f\(index / 10).yaml"
            let line = 1 + 10 * (index % 10)
            rules.append(
                name: "p\(index)", nameLocation: Self.at(file, line),
                references: index == 0 ? [] : Self.dependsOn("p\(index - 1)", file: file, line: line + 1))
        }
        // A duplicate name (its reference makes no edge), an unknown target, a cycle of three.
        rules.append(name: "p5", nameLocation: Self.at("g.yaml", 4), references: Self.dependsOn("p2999", file: "g.yaml", line: 5))
        rules.append(
            name: "x", nameLocation: Self.at("g.yaml", 10),
            references: Self.dependsOn("p1", "p29999", file: "g.yaml", line: 11))
        rules.append(name: "c1", nameLocation: Self.at("h.yaml", 1), references: Self.dependsOn("c2", file: "h.yaml", line: 2))
        rules.append(
            name: "c2", nameLocation: Self.at("h.yaml", 10),
            references: [.init(kind: .relatedContact, target: "c3", location: Self.at("h.yaml", 11, 9))])
        rules.append(
            name: "c3", nameLocation: Self.at("h.yaml", 20),
            references: [.init(kind: .persistence, target: "c1", location: Self.at("h.yaml", 21, 9))])
        rules.append(name: nil, nameLocation: nil, references: Self.dependsOn("c1", file: "h.yaml", line: 30))

        let rendered = Diagnostic.sortedAndUnique(rules.check()).map {
            "\($0.location.map(\.description) ?? "-") \($0.code) \($0.path ?? "") \($0.message) \($0.hint ?? "")"
        }
        #expect(rendered == [
            "g.yaml:4:3 name.duplicate metadata.name duplicate profile name \"p5\" (first defined at f0.yaml:51:3) profile names must be unique across the repository",
            "g.yaml:11:21 ref.unknown spec.dependsOn[1] no profile is named \"p29999\" did you mean \"p2999\"?",
            "h.yaml:2:20 ref.cycle spec.dependsOn[0] dependency cycle: c1 → c2 → c3 → c1 profiles must not depend on each other in a loop; remove one of these references",
        ])
    }

    /// Positions keep the file they are in by its bytes: a path canonically equal to the
    /// file before it (`==` holds) is another file, whether the two differ in length (a
    /// KELVIN SIGN for `K`) or only in the order of their combining marks.
    @Test func aPathEqualAsTextToTheFileBeforeItIsAnotherFile() {
        let pairs = [
            ("K.yaml", "\u{212A}.yaml"), ("a;.yaml", "a\u{37E}.yaml"),
            ("x\u{301}\u{327}.yaml", "x\u{327}\u{301}.yaml"), ("caf\u{E9}.yaml", "cafe\u{301}.yaml"),
        ]
        for (first, second) in pairs {
            #expect(first == second && first.utf8.elementsEqual(second.utf8) == false)
            var rules = ReferenceRules()
            rules.append(name: "one", nameLocation: Self.at(first, 1), references: Self.dependsOn("missing", file: first, line: 2))
            rules.append(name: "two", nameLocation: Self.at(second, 1), references: Self.dependsOn("absent", file: second, line: 2))
            rules.append(name: "three", nameLocation: Self.at(first, 5), references: Self.dependsOn("gone", file: first, line: 6))
            let files = rules.check().map { ($0.message, $0.location.map { Array($0.file.utf8) }) }
            #expect(files.count == 3)
            for (message, file) in files {
                let expected = message.contains("absent") ? second : first
                #expect(file == Array(expected.utf8), "\(message) in \(first) / \(second)")
            }
        }
        // The check itself: bytes, whatever `==` says; and which texts are ASCII.
        #expect("p/a.yaml".isExactly("p/a.yaml") && "".isExactly(""))
        #expect(!"\u{212A}.yaml".isExactly("K.yaml") && !"p/b.yaml".isExactly("p/a.yaml") && !"p/a.yaml".isExactly("p/a.yam"))
        #expect(!"x\u{327}\u{301}".isExactly("x\u{301}\u{327}") && "x\u{301}\u{327}".isExactly("x\u{301}\u{327}"))
        #expect("K.yaml".isASCII && "".isASCII && !"\u{212A}.yaml".isASCII && !"caf\u{E9}".isASCII)
    }

    @Test func aSelfReferenceIsACycleAndALongChainIsNot() {
        var rules = ReferenceRules()
        for index in 0..<100_000 {
            rules.append(
                name: "p\(index)", nameLocation: Self.at("a.yaml", index + 1),
                references: index == 0 ? [] : Self.dependsOn("p\(index - 1)", file: "a.yaml", line: index + 1))
        }
        #expect(rules.check().isEmpty)
        rules.append(name: "me", nameLocation: Self.at("b.yaml", 1), references: Self.dependsOn("x", "me", file: "b.yaml", line: 2))
        #expect(rules.check().map { "\($0.code) \($0.path ?? "") \($0.message)" } == [
            "ref.unknown spec.dependsOn[0] no profile is named \"x\"",
            "ref.cycle spec.dependsOn[1] dependency cycle: me → me",
        ])
    }

    /// Files are checked a round at a time; rules across profiles and per-file results
    /// must not depend on where the rounds end.
    @Test func validatingInRoundsFindsWhatOneRoundFinds() throws {
        let folder = try TemporaryFolder()
        let count = ProfileValidator.filesPerRound + 5
        for index in 0..<count {
            // Each profile depends on the next file's; the last closes a cycle through the
            // first round's boundary; one name repeats in the last round.
            let name = index == count - 1 ? "p0" : "p\(index)"
            try folder.write(String(format: "profiles/%05d.yaml", index), """
                apiVersion: chatctl/v1
                kind: ChatLaunchProfile
                metadata: {name: \(name)}
                spec:
                  instance: 12345678-1234-1234-1234-123456789012
                  flow: 846ec553-a005-41c0-8341-0123456789ab
                  participant: {displayName: Jane}
                  dependsOn: [p\((index + 1) % (count - 1))]

                """)
        }
        let streamed = try ProfileValidator().validate(paths: [folder.url.path], retainingProfiles: false)
        let loaded = try ProfileValidator().validate(ProfileLoader().load(paths: [folder.url.path]))
        #expect(streamed.diagnostics == loaded.diagnostics)
        #expect(streamed.profileCount == count)
        #expect(streamed.diagnostics.map(\.code) == ["ref.cycle", "name.duplicate"])
    }
}
