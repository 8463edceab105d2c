import Foundation
import Testing

/// One input kept from fuzzing (`scripts/fuzz`, docs/robustness.md): a crash, hang or
/// out-of-memory input after its fix, or an input kept because it is hostile in an
/// interesting way. The folder is named after the fuzz target that reads it.
struct FuzzRegressionFile: CustomTestStringConvertible, Sendable {
    var target: String
    var name: String

    var testDescription: String { "\(target)/\(name)" }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz-regressions")

    /// Every file of the target's folder, sorted by name.
    static func all(_ target: String) -> [FuzzRegressionFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(target).path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { FuzzRegressionFile(target: target, name: $0) }
    }

    func bytes() throws -> [UInt8] {
        Array(try Data(contentsOf: Self.root.appendingPathComponent("\(target)/\(name)")))
    }
}
