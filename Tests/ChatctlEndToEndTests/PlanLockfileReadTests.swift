import ChatctlCore
import Foundation
import Testing

/// `plan` reads the lockfile on a thread of its own while it validates the profiles
/// (issue 15, item 2). It must read the file the workspace names (the project's
/// `spec.lockfile`, its emulator twin), and report what it finds only where the read after
/// validation reported it: a lockfile's error only for valid profiles, never instead of
/// their problems.
@Suite struct PlanLockfileReadTests {
    static let project = """
        apiVersion: chatctl/v1
        kind: Project
        spec:
          profiles: [profiles/]
          lockfile: state/custom.lock.json
          region: us-west-2
          defaults:
            instance: 12345678-1234-1234-1234-123456789012
            flow: 846ec553-a005-41c0-8341-0123456789ab

        """

    static let profile = "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: here}\nspec: {participant: {displayName: Ann}}\n"

    /// A lockfile whose one entry, `name`, has no profile: a plan that read it forgets it.
    static func lockfile(forgetting name: String, endpoint: String) -> String {
        """
        {"endpoint": {"kind": "\(endpoint)"}, "lockfileVersion": 3, "serial": 4, "entries": {"\(name)": {
          "clientToken": "token-1", "digest": "sha256:\(String(repeating: "0", count: 64))", "generation": 1,
          "status": "failed", "error": {"code": "ThrottlingException", "message": "slow down"}}}}

        """
    }

    static func repository(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-planread-\(UUID().uuidString)")
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    @Test func readsTheLockfileTheProjectNamesAndItsEmulatorTwin() throws {
        let folder = try Self.repository([
            "chatctl.yaml": Self.project, "profiles/here.yaml": Self.profile,
            "state/custom.lock.json": Self.lockfile(forgetting: "gone-real", endpoint: "aws"),
            "state/custom.emulator.lock.json": Self.lockfile(forgetting: "gone-emulated", endpoint: "emulator"),
            "chatctl.lock.json": Self.lockfile(forgetting: "gone-default", endpoint: "aws"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = try ChatctlProcess.run(["plan"], in: folder)
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.contains("+ launch here") && real.stdout.contains("- forget gone-real"), "\(real.stdout)")
        #expect(!real.stdout.contains("gone-default") && !real.stdout.contains("gone-emulated"), "\(real.stdout)")
        let emulated = try ChatctlProcess.run(["plan", "--emulator"], in: folder)
        #expect(emulated.status == 0, "\(emulated.stderr)")
        #expect(emulated.stdout.contains("- forget gone-emulated") && !emulated.stdout.contains("gone-real"), "\(emulated.stdout)")
        let named = try ChatctlProcess.run(["plan", "--lockfile", "chatctl.lock.json"], in: folder)
        #expect(named.stdout.contains("- forget gone-default") && !named.stdout.contains("gone-real"), "\(named.stdout)")
    }

    @Test func reportsABrokenLockfileOnlyOnceTheProfilesAreValid() throws {
        let broken = "{\"lockfileVersion\": 3, \"serial\": 1, \"entries\": {\"x\": 7}}\n"
        let folder = try Self.repository([
            "chatctl.yaml": Self.project, "profiles/here.yaml": Self.profile, "state/custom.lock.json": broken,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected: LockfileError
        do {
            _ = try LockfileStore(path: folder.appendingPathComponent("state/custom.lock.json").path).readReplayingJournal()
            Issue.record("the broken lockfile was read")
            return
        } catch let error as LockfileError {
            expected = error
        }
        let plan = try ChatctlProcess.run(["plan"], in: folder)
        #expect(plan.status == 1)
        #expect(plan.stdout == "")
        #expect(plan.stderr.contains(expected.diagnostic.message), "\(plan.stderr)")

        // With an invalid profile, its problem alone is reported, as when the lockfile was
        // read after the profiles.
        try Data("apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: here}\nspec: {participant: {displayName: Ann}, duration: soon}\n".utf8)
            .write(to: folder.appendingPathComponent("profiles/here.yaml"))
        let invalid = try ChatctlProcess.run(["plan"], in: folder)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("profiles/here.yaml:4:"), "\(invalid.stderr)")
        #expect(!invalid.stderr.contains(expected.diagnostic.message) && !invalid.stderr.contains("custom.lock.json"), "\(invalid.stderr)")
    }
}
