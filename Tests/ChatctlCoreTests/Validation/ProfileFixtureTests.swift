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
        #expect(try Self.render("valid", name) == "")
    }

    @Test func hasAFixtureForEveryRule() {
        let invalid = Set(Self.cases("invalid"))
        for rule in ["missing-required", "arns", "duration", "content-types", "guide-subtype", "persistence",
                     "references", "cycle", "attributes-size", "lengths", "unknown-fields", "duplicate-names",
                     "typing", "labels-and-names", "segment-attributes", "enums"] {
            #expect(invalid.contains(rule), "no fixture for \(rule)")
        }
    }
}
