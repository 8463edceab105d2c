import ChatctlEmulator
import Foundation
import Testing

@Suite struct FlowLibraryTests {
    static func folder(_ files: [String: [UInt8]]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flows-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name)) }
        return path
    }

    @Test func servesEachValidFileUnderItsFlowId() throws {
        let minimal = try FlowFixturePaths.bytes("valid/example-minimal-chat-flow.json")
        let path = try Self.folder([
            "abc.json": minimal, "broken.json": Array("{".utf8), "notes.txt": Array("x".utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = FlowLibrary.load(directory: path)
        #expect(loaded.files.map { ($0 as NSString).lastPathComponent } == ["abc.json", "broken.json"])
        #expect(Array(loaded.library.flows.keys) == ["abc"])
        #expect(loaded.problems.map(\.code) == ["flow.syntax"])
        #expect(loaded.library.flow(forContactFlowId: "arn:aws:connect:us-east-1:111122223333:instance/i/contact-flow/abc") != nil)
    }

    @Test func refusesAnOversizedFileWithoutReadingItAll() throws {
        let path = try Self.folder(["big.json": [UInt8](repeating: 0x20, count: FlowLibrary.maximumFileBytes + 10)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = FlowLibrary.load(directory: path)
        #expect(loaded.problems.map(\.code) == ["flow.file"])
        #expect(loaded.library.flows.isEmpty)
    }

    /// An empty file says so (it used to read "cannot read the file", which sent a user
    /// looking at permissions).
    @Test func saysAnEmptyFileIsEmpty() throws {
        let path = try Self.folder(["empty.json": []])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = FlowLibrary.load(directory: path)
        #expect(loaded.problems.map(\.code) == ["flow.file"])
        #expect(loaded.problems.first?.message == "the file is empty; an exported contact flow is a JSON object")
    }

    @Test func reportsAFolderThatCannotBeRead() {
        let loaded = FlowLibrary.load(directory: "/nonexistent/flows")
        #expect(loaded.problems.map(\.code) == ["flow.folder"])
    }
}
