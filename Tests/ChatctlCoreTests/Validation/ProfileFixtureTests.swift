import Foundation
import Testing
@testable import ChatctlCore

/// One fixture per rule of SPEC section 2 (and per YAML hazard): each
/// `Fixtures/profiles/invalid/<case>.yaml` is validated on its own and every diagnostic
/// is compared, exactly — line, column, field path, message and hint — with
/// `<case>.expected`. Every `valid/` case must produce no diagnostic at all.
///
/// After a deliberate change of wording, `CHATCTL_UPDATE_GOLDEN=1 swift test` rewrites
/// the expected files; review the diff before committing it.
@Suite struct ProfileFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/profiles")

    static func cases(_ kind: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(kind).path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Validates one file and renders its diagnostics as the golden text.
    static func render(_ kind: String, _ name: String) throws -> String {
        let path = folder.appendingPathComponent("\(kind)/\(name).yaml").path
        let result = try ProfileValidator().validate(ProfileLoader().load(paths: [path]))
        let text = result.diagnostics.map { diagnostic in
            var text = ""
            if let location = diagnostic.location {
                text += "\(location.file):\(location.line):\(location.column): "
            }
            text += "\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.text)\n"
            if let hint = diagnostic.hint { text += "  hint: \(hint)\n" }
            return text
        }.joined()
        // Paths inside messages too (a duplicate names where the first one is): the
        // golden files must not depend on where the repository is checked out.
        return text.replacingOccurrences(of: folder.appendingPathComponent(kind).path + "/", with: "")
    }

    /// A parameterised test over no case passes without checking anything: both folders
    /// must hold fixtures (a missing or renamed folder is a failure, not a silent pass).
    @Test func hasCasesToCheck() {
        #expect(Self.cases("invalid").count >= 16)
        #expect(Self.cases("valid").count >= 6)
    }

    @Test(arguments: cases("invalid"))
    func reportsExactlyTheExpectedDiagnostics(name: String) throws {
        let actual = try Self.render("invalid", name)
        let expectedURL = Self.folder.appendingPathComponent("invalid/\(name).expected")
        if ProcessInfo.processInfo.environment["CHATCTL_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: expectedURL)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(!actual.isEmpty, "an invalid fixture must produce diagnostics")
        #expect(actual == expected)
    }

    @Test(arguments: cases("valid"))
    func acceptsValidProfiles(name: String) throws {
        let path = Self.folder.appendingPathComponent("valid/\(name).yaml").path
        let result = try ProfileValidator().validate(ProfileLoader().load(paths: [path]))
        #expect(try Self.render("valid", name) == "")
        #expect(result.isValid)
        #expect(result.profileCount > 0, "a valid fixture must hold profiles")
    }

    @Test func hasAFixtureForEveryRule() {
        let invalid = Set(Self.cases("invalid"))
        for rule in ["missing-required", "arns", "duration", "content-types", "guide-subtype", "persistence",
                     "references", "cycle", "attributes-size", "lengths", "unknown-fields", "duplicate-names",
                     "typing", "labels-and-names", "segment-attributes", "enums", "sensitive"] {
            #expect(invalid.contains(rule), "no fixture for \(rule)")
        }
    }
}

/// `validate(paths:)` reads and checks each file in one worker and frees its tree at once;
/// it must find exactly what loading everything first and then validating finds.
@Suite struct StreamingValidationTests {
    static let examples = ProfileFixtureTests.folder
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    static func render(_ result: ValidationResult) -> [String] {
        result.diagnostics.map { "\($0.location.map(\.description) ?? "-") \($0.code) \($0.text) \($0.hint ?? "")" }
    }

    @Test(arguments: ["invalid", "valid"])
    func findsWhatLoadingEverythingFirstFinds(kind: String) throws {
        let folder = ProfileFixtureTests.folder.appendingPathComponent(kind).path
        let validator = try ProfileValidator()
        let whole = validator.validate(ProfileLoader().load(paths: [folder]))
        let streamed = validator.validate(paths: [folder])
        // Each folder must exercise what it stands for: problems found in one, profiles
        // accepted from the other.
        if kind == "invalid" {
            #expect(!whole.diagnostics.isEmpty)
        } else {
            #expect(whole.diagnostics.isEmpty && whole.profileCount >= 6)
        }
        #expect(whole.files.count >= 6)
        #expect(Self.render(streamed) == Self.render(whole))
        #expect(streamed.files == whole.files)
        #expect(streamed.profileCount == whole.profileCount)
        #expect(streamed.profiles.map(\.name) == whole.profiles.map(\.name))
    }

    @Test func aProjectsDefaultsAndCountsMatchWithoutRetainingProfiles() throws {
        let validator = try ProfileValidator()
        let whole = validator.validate(ProfileLoader().load(paths: [Self.examples.path]))
        let lean = validator.validate(paths: [Self.examples.path], retainingProfiles: false)
        #expect(whole.profileCount == 8 && whole.profiles.count == 8 && whole.project != nil)
        #expect(lean.profiles.isEmpty, "nothing retained")
        #expect(lean.profileCount == whole.profileCount)
        #expect(lean.files == whole.files)
        #expect(Self.render(lean) == Self.render(whole))
    }

    /// Profiles that each check clean take the one pass from events to JSON without
    /// retaining profiles; the rules across profiles then place their reports with the
    /// positions that pass recorded (names, `dependsOn` items, `from:`), which must be the
    /// tree's, in flow and block style, in several documents, after a wide character.
    @Test func theOnePassPlacesWhatTheRulesAcrossProfilesReportAsTheTreeDoes() throws {
        let validator = try ProfileValidator()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-onepass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("profiles"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = """
            apiVersion: chatctl/v1
            kind: Project
            spec:
              defaults:
                instance: 4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d
                flow: 7a3c9e15-2d4b-4f86-b1a0-9e8d7c6b5a43
                participant: {displayName: Ann}
            """
        try Data(project.utf8).write(to: folder.appendingPathComponent("chatctl.yaml"))
        func profile(_ name: String, _ spec: String) -> String {
            "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata:\n  name:   \(name)\nspec:\n\(spec)"
        }
        let files = [
            "a.yaml": profile("a", "  dependsOn:\n  - b\n  -   missing\n  persistence:\n    rehydration: FROM_SEGMENT\n    from:\n      'c'\n")
                + "---\n" + profile("dup", "  relatedContact: {from: a}\n"),
            "b.yaml": profile("b", "  {attributes: {note: \"ü\"}, dependsOn: [a, \"nowhere\"]}\n"),
            "c.yaml": profile("\"dup\"", "  persistence: {from: c, rehydration: FROM_SEGMENT}\n") + "---\n" + profile("c", "  participant: {customerId: x}\n"),
        ]
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent("profiles/\(name)"))
        }
        let whole = validator.validate(ProfileLoader().load(paths: [folder.path]))
        let lean = validator.validate(paths: [folder.path], retainingProfiles: false)
        let codes = Set(whole.diagnostics.map(\.code))
        #expect(whole.profileCount == 5 && whole.diagnostics.count >= 4, "\(Self.render(whole))")
        #expect(codes == ["name.duplicate", "ref.cycle", "ref.unknown"], "\(Self.render(whole))")
        #expect(Self.render(lean) == Self.render(whole))
        // Each file checks clean on its own: the reports come from the rules across profiles.
        let loader = ProfileLoader()
        let defaults = ProfileLoader.defaultsJSON(of: loader.discover(paths: [folder.path]).project)
        for name in files.keys {
            let path = folder.appendingPathComponent("profiles/\(name)").path
            var diagnostics: [Diagnostic] = []
            let bytes = try #require(loader.readBytes(path, into: &diagnostics))
            #expect(loader.cleanProfiles(in: bytes, file: path, defaults: defaults) != nil, "\(name)")
        }
    }

    @Test func reportsAMissingPathAndAnEmptyFolderAsLoadingDoes() throws {
        let validator = try ProfileValidator()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("# nothing\n".utf8).write(to: folder.appendingPathComponent("empty.yaml"))
        for paths in [[folder.path], [folder.path + "/missing"], [folder.path, folder.path + "/missing"]] {
            let whole = validator.validate(ProfileLoader().load(paths: paths))
            let streamed = validator.validate(paths: paths)
            #expect(!whole.isValid)
            #expect(Self.render(streamed) == Self.render(whole))
        }
    }
}
