import Foundation
import Testing

/// Compares output people read with a file under Fixtures/golden/.
/// `CHATCTL_UPDATE_GOLDEN=1 swift test` rewrites the files; review the diff before committing.
enum GoldenFile {
    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = ChatctlProcess.fixtures.appendingPathComponent("golden/\(name)")
        if ProcessInfo.processInfo.environment["CHATCTL_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "golden file \(name)", sourceLocation: sourceLocation)
    }
}
