import ChatctlCore
import Foundation
import Testing

/// `chatctl stop` and `chatctl refresh` moving a persistent chain on, against `chatctl emulator`.
@Suite struct StopCommandTests {
    static func chain() throws -> URL {
        try CommandFlagTests.repository([
            CommandFlagTests.document("intake"),
            CommandFlagTests.document("follow-up", ["persistence: {rehydration: ENTIRE_PAST_SESSION, from: intake}"]),
            CommandFlagTests.document("other"),
        ])
    }

    static func run(_ arguments: [String], _ folder: URL, _ emulator: EmulatorProcess) throws -> ChatctlProcess.Result {
        try ChatctlProcess.run(
            arguments + ["--endpoint-url", emulator.endpoint, "--region", "us-east-1"], in: folder,
            environment: CommandFlagTests.credentials)
    }

    @Test(.timeLimit(.minutes(2)))
    func stopRecordsTheChatAsStoppedAndMovesTheChainOn() throws {
        let emulator = try EmulatorProcess.start(["--instance", CommandFlagTests.instance, "--seed", "31"])
        defer { _ = emulator.stop() }
        let folder = try Self.chain()
        defer { try? FileManager.default.removeItem(at: folder) }
        try #require(try CommandFlagTests.apply(folder, emulator).status == 0)
        let waiting = try ChatctlProcess.run(["plan", "--detailed-exitcode"], in: folder)
        #expect(waiting.status == 2)
        #expect(waiting.stdout.contains("waiting: intake has not ended (its chat runs until "))
        #expect(waiting.stdout.contains("`chatctl refresh` records an earlier end, `chatctl stop intake` ends it"))
        let intake = try #require(try CommandFlagTests.lockfile(folder).entries["intake"]?.contactId)

        let stopped = try Self.run(["stop", "intake", "ghost"], folder, emulator)
        #expect(stopped.status == 3, "\(stopped.stderr)")
        #expect(stopped.stdout.contains("- intake: stopped contact \(intake)\n"))
        #expect(stopped.stdout.contains("! ghost: the lockfile has no entry of that name\n"))
        #expect(stopped.stdout.contains("Stopped 1 chat. Lockfile: chatctl.lock.json (serial 2)."))
        let lockfile = try CommandFlagTests.lockfile(folder)
        #expect(lockfile.entries["intake"]?.status == .stopped)
        #expect(lockfile.entries["intake"]?.stoppedAt != nil)
        #expect(lockfile.entries["other"]?.status == .started)
        // The emulator ended it: refresh sees it ended.
        let refreshed = try Self.run(["refresh"], folder, emulator)
        #expect(refreshed.stdout.contains("~ intake: unobserved → ended at "), "\(refreshed.stdout)\(refreshed.stderr)")

        // Stopped, it is not relaunched; its continuation launches.
        let plan = try ChatctlProcess.run(["plan"], in: folder)
        #expect(plan.stdout.contains("Plan: 1 to launch, 0 to relaunch, 0 to stop."), "\(plan.stdout)")
        #expect(!plan.stdout.contains("waiting"))
        let json = try Self.run(["stop", "intake", "--format", "json"], folder, emulator)
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""result": "not-running""#))
        try #require(try CommandFlagTests.apply(folder, emulator).status == 0)
        #expect(try CommandFlagTests.lockfile(folder).entries["follow-up"]?.continuedFromContactId == intake)
    }

    /// A source stopped outside chatctl (an agent, the AWS CLI) holds the chain until a
    /// refresh observes it ended: `plan --refresh` shows it, `apply --refresh` records it.
    @Test(.timeLimit(.minutes(2)))
    func anObservedEndUnblocksAPersistentChain() throws {
        let emulator = try EmulatorProcess.start(["--instance", CommandFlagTests.instance, "--seed", "32"])
        defer { _ = emulator.stop() }
        let folder = try Self.chain()
        defer { try? FileManager.default.removeItem(at: folder) }
        try #require(try CommandFlagTests.apply(folder, emulator).status == 0)
        let intake = try #require(try CommandFlagTests.lockfile(folder).entries["intake"]?.contactId)
        #expect(try RefreshCommandTests.boto(emulator, "stop", contact: intake)["status"] as? Int == 200)
        #expect(try ChatctlProcess.run(["plan"], in: folder).stdout.contains("waiting: intake has not ended"))

        // plan --refresh plans with what it observed and writes nothing.
        let lockfilePath = folder.appendingPathComponent("chatctl.lock.json")
        let before = try Data(contentsOf: lockfilePath)
        let plan = try Self.run(["plan", "--refresh", "--detailed-exitcode"], folder, emulator)
        #expect(plan.status == 2)
        #expect(plan.stderr.contains("refresh: ~ intake: unobserved → ended at "), "\(plan.stderr)")
        #expect(!plan.stdout.contains("waiting"), "\(plan.stdout)")
        #expect(try Data(contentsOf: lockfilePath) == before)
        #expect(try ChatctlProcess.run(["plan"], in: folder).stdout.contains("waiting: intake has not ended"))
        // A saved plan is applied as it was made: never refreshed under it.
        #expect(try ChatctlProcess.run(["plan", "--out", "plan.json"], in: folder).status == 0)
        let saved = try CommandFlagTests.apply(folder.appendingPathComponent("plan.json"), emulator, ["--refresh"])
        #expect(saved.status == 1)
        #expect(saved.stderr.contains("error: --refresh cannot be used with a saved plan: it is applied as it was made"))
        #expect(try Data(contentsOf: lockfilePath) == before)

        // apply --refresh records it, then launches the continuation.
        let applied = try CommandFlagTests.apply(folder, emulator, ["--refresh"])
        #expect(applied.stdout.contains("Apply complete: 1 started."), "\(applied.stdout)\(applied.stderr)")
        let lockfile = try CommandFlagTests.lockfile(folder)
        #expect(lockfile.entries["follow-up"]?.continuedFromContactId == intake)
        #expect(lockfile.entries["intake"]?.observed?.state == .ended)
        #expect(try Self.run(["refresh", "--detailed-exitcode"], folder, emulator).status == 2, "follow-up is new")
    }

    /// `--replace --prune` stops the chat it replaced and says so, in text and JSON.
    @Test(.timeLimit(.minutes(2)))
    func aReplacedChatStoppedByPruneIsReported() throws {
        let emulator = try EmulatorProcess.start(["--instance", CommandFlagTests.instance, "--seed", "33"])
        defer { _ = emulator.stop() }
        let folder = try CommandFlagTests.repository([CommandFlagTests.document("intake"), CommandFlagTests.document("other")])
        defer { try? FileManager.default.removeItem(at: folder) }
        try #require(try CommandFlagTests.apply(folder, emulator).status == 0)
        let first = try #require(try CommandFlagTests.lockfile(folder).entries["intake"]?.contactId)
        let text = try CommandFlagTests.apply(folder, emulator, ["--replace", "intake", "--prune"])
        #expect(text.stdout.contains("; stopped the contact it replaced, \(first)"), "\(text.stdout)")
        #expect(text.stdout.contains("Apply complete: 1 started, 1 stopped."))
        let second = try #require(try CommandFlagTests.lockfile(folder).entries["intake"]?.contactId)
        let json = try CommandFlagTests.apply(folder, emulator, ["--replace", "intake", "--prune", "--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((document?["summary"] as? [String: Any])?["stopped"] as? Int == 1)
        let results = document?["results"] as? [[String: Any]] ?? []
        #expect(results.first { $0["profile"] as? String == "intake" }?["stoppedContactId"] as? String == second)
    }
}
