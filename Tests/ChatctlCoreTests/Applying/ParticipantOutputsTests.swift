import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

@Suite struct ParticipantOutputsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func response(_ contact: String) -> StartChatContactResponse {
        StartChatContactResponse(contactId: contact, participantId: "p-\(contact)", participantToken: Sensitive("token-\(contact)"))
    }

    static func participants(_ path: String) throws -> [String: JSONValue] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(JSONParser.parse([UInt8](data))["participants"]?.objectValue)
    }

    @Test func isCreated0600FromTheStartWithExclusiveCreation() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("outputs.json")
        let fileSystem = RecordingFileSystem()
        let outputs = try ParticipantOutputs(path: path, now: Self.now, fileSystem: fileSystem)
        try await outputs.record("a", response: Self.response("c1"), startedAt: Self.now, region: "us-east-1", instance: "i")
        #expect(fileSystem.calls.first?.hasPrefix("createNew 600 \(folder.path(".outputs.json.chatctl-tmp-"))") == true)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        let member = try #require(try Self.participants(path)["a"])
        #expect(member["participantToken"]?.stringValue == "token-c1")
        #expect(member["connectBy"]?.stringValue == RFC3339.string(from: Self.now.addingTimeInterval(300)))
    }

    @Test func keepsTheTokensOfAnEarlierRunStillInsideTheirWindow() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("outputs.json")
        let earlier = try ParticipantOutputs(path: path, now: Self.now, fileSystem: PosixFileSystem())
        try await earlier.record("old", response: Self.response("c-old"), startedAt: Self.now.addingTimeInterval(-400), region: nil, instance: nil)
        try await earlier.record("recent", response: Self.response("c-recent"), startedAt: Self.now.addingTimeInterval(-60), region: nil, instance: nil)
        let resumed = try ParticipantOutputs(path: path, now: Self.now)
        try await resumed.record("new", response: Self.response("c-new"), startedAt: Self.now, region: nil, instance: nil)
        let participants = try Self.participants(path)
        #expect(Set(participants.keys) == ["recent", "new"], "the old token's 5 minutes are over")
        #expect(participants["recent"]?["participantToken"]?.stringValue == "token-c-recent")
    }

    /// A file that cannot be written (here, its folder does not exist) is refused when it is
    /// opened, before apply makes any call: found at the first token, it would leave chats
    /// started whose tokens are lost. One that can be written is not written until a chat
    /// starts, and the check leaves nothing behind.
    @Test func aFileThatCannotBeWrittenIsRefusedWhenOpened() throws {
        let folder = try TemporaryFolder()
        let missing = folder.path("no-such-folder/outputs.json")
        let error = #expect(throws: LockfileError.self) { try ParticipantOutputs(path: missing, now: Self.now) }
        #expect(error?.diagnostic.message.hasPrefix("\(missing): cannot write it: cannot create a file in its folder: ") == true)
        // A path ending in / names a folder: its parent can be written, the file cannot.
        let slash = #expect(throws: LockfileError.self) { try ParticipantOutputs(path: folder.path("tokens") + "/", now: Self.now) }
        #expect(slash?.diagnostic.message.hasSuffix("tokens/: cannot write it: it names a folder (it ends in /)") == true)
        let path = folder.path("outputs.json")
        _ = try ParticipantOutputs(path: path, now: Self.now)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    @Test func refusesToOverwriteAFileThatIsNotAnOutputsFile() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("outputs.json", "{\"something\": \"else\"}")
        #expect(throws: LockfileError.self) { try ParticipantOutputs(path: path, now: Self.now) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"something\": \"else\"}")
    }
}
