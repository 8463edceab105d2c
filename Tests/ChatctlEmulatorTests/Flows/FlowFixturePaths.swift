import Foundation

/// Where the flow fixtures of these tests are: `Tests/ChatctlEmulatorTests/Fixtures/flows`.
enum FlowFixturePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/flows").path

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
    }

    /// The cases of a folder: the names of its `.json` files without the extension, sorted.
    static func cases(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}
