import Foundation
import Testing

/// `chatctl plan --out FILE` then `chatctl apply FILE` (SPEC section 6): a saved plan is
/// applied only while both the lockfile and the inputs are as they were when it was made.
@Suite struct SavedPlanTests {
    /// A copy of the examples with a plan saved to plan.json, then `file` edited from
    /// `old` to `new`; returns the folder and the file's text before the edit.
    static func savedThenEdited(_ file: String, _ old: String, _ new: String) throws -> (URL, String) {
        let folder = try ApplyCommandTests.copyOfExamples()
        #expect(try ChatctlProcess.run(["plan", "--out", "plan.json"], in: folder).status == 0)
        let url = folder.appendingPathComponent(file)
        let original = try String(contentsOf: url, encoding: .utf8)
        let edited = original.replacingOccurrences(of: old, with: new)
        try #require(edited != original, "\(file) holds \(old)")
        try Data(edited.utf8).write(to: url)
        return (folder, original)
    }

    /// A plan saved while another, killed during its write, left its temporary file
    /// (`.NAME.chatctl-tmp-PID-N`, written as the plan is rendered) removes that file; one of
    /// a process still running is left alone.
    @Test func removesTheTemporaryFileAKilledSaveLeft() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A pid above Linux's largest (4,194,304): no process has it.
        let leftover = folder.appendingPathComponent(".plan.json.chatctl-tmp-99999999-1")
        let running = folder.appendingPathComponent(".plan.json.chatctl-tmp-\(getpid())-1")
        try Data("{\"actions\": [".utf8).write(to: leftover)
        try Data("{".utf8).write(to: running)
        let saved = try ChatctlProcess.run(["plan", "--out", "plan.json"], in: folder)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(!FileManager.default.fileExists(atPath: leftover.path), "the dead run's temporary file is removed")
        #expect(FileManager.default.fileExists(atPath: running.path), "a running process's is left")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("plan.json").path))
    }

    @Test func refusesASavedPlanOnceTheProfilesChanged() throws {
        let (folder, original) = try Self.savedThenEdited("profiles/vip-greeting.yaml", "duration: 25h", "duration: 26h")
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try ChatctlProcess.run(["apply", "--emulator", "--yes", "plan.json"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(
            "error: the saved plan plan.json is stale: the profiles or the project changed since it was made"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.lock.json").path),
                "nothing was applied")

        // Put back as it was, the same plan applies.
        try Data(original.utf8).write(to: folder.appendingPathComponent("profiles/vip-greeting.yaml"))
        let applied = try ChatctlProcess.run(["apply", "--emulator", "--yes", "plan.json"], in: folder)
        #expect(applied.status == 0, "\(applied.stderr)")
    }

    @Test func refusesASavedPlanOnceTheProjectChanged() throws {
        // The project's default duration is merged under every profile that sets none.
        let (folder, _) = try Self.savedThenEdited("chatctl.yaml", "duration: 2h", "duration: 3h")
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try ChatctlProcess.run(["apply", "--emulator", "--yes", "plan.json"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the profiles or the project changed since it was made"))
    }
}
