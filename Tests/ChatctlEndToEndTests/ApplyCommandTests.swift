import ChatctlCore
import Foundation
import Testing

/// `chatctl apply` run as CI runs it: the real binary, its in-process emulator, a copy
/// of the examples in a temporary folder.
@Suite struct ApplyCommandTests {
    /// A copy of examples/ (or a sub-project of it) in a fresh temporary folder.
    static func copyOfExamples(_ subfolder: String = "") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-apply-\(UUID().uuidString)")
        let source = ChatctlProcess.packageRoot.appendingPathComponent("examples/\(subfolder)")
        try FileManager.default.copyItem(at: source, to: folder)
        return folder
    }

    /// The lockfile `apply --emulator` writes (its own, beside the real one), or `name`.
    static func lockfile(_ folder: URL, _ name: String = "chatctl.emulator.lock.json") throws -> Lockfile {
        try LockfileStore(path: folder.appendingPathComponent(name).path).read()
    }

    @Test func launchesEveryExampleThenConverges() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Plan: 8 to launch, 0 to relaunch, 0 to stop."))
        #expect(first.stdout.contains("Apply complete: 8 started."))
        #expect(first.stdout.contains("Lockfile: chatctl.emulator.lock.json (serial 1)."))
        let lockfile = try Self.lockfile(folder)
        #expect(lockfile.entries.count == 8)
        #expect(lockfile.entries.values.allSatisfy { $0.status == .started && $0.contactId != nil && $0.attempts == 1 })

        let second = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: folder)
        #expect(second.status == 0)
        #expect(second.stdout == "No changes. 8 profiles up to date with chatctl.emulator.lock.json.\n")
        #expect(try Self.lockfile(folder) == lockfile)
        #expect(try ChatctlProcess.run(["plan", "--emulator", "--detailed-exitcode"], in: folder).status == 0)

        let profile = folder.appendingPathComponent("profiles/vip-greeting.yaml")
        let edited = try String(contentsOf: profile, encoding: .utf8).replacingOccurrences(of: "duration: 25h", with: "duration: 26h")
        #expect(edited.contains("26h"))
        try Data(edited.utf8).write(to: profile)
        let changed = try ChatctlProcess.run(["plan", "--emulator", "--detailed-exitcode"], in: folder)
        #expect(changed.status == 2)
        #expect(changed.stdout.contains("~ relaunch vip-greeting  (ChatDurationInMinutes 1500 → 1560)"))
        #expect(changed.stdout.contains("Plan: 0 to launch, 1 to relaunch, 0 to stop. 7 unchanged."))
    }

    @Test func needsYesWithoutATerminal() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.run(["apply", "--emulator"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: apply needs --yes when standard input is not a terminal"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.lock.json").path))
    }

    @Test func neverLeaksATokenACustomerIdOrTheSecret() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputs = folder.appendingPathComponent("outputs.json")
        let apply = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--verbose", "--outputs", outputs.path], in: folder)
        #expect(apply.status == 0, "\(apply.stderr)")
        // The tokens the emulator issued, from the one file allowed to hold them.
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: outputs)) as? [String: Any]
        let participants = document?["participants"] as? [String: [String: String]] ?? [:]
        let tokens = participants.values.compactMap { $0["participantToken"] }
        #expect(tokens.count == 8 && tokens.allSatisfy { $0.count > 100 })
        let mode = try FileManager.default.attributesOfItem(atPath: outputs.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let plan = try ChatctlProcess.run(["plan", "--format", "json", "--replace", "vip-greeting"], in: folder)
        let status = try ChatctlProcess.run(["status", "--emulator", "--format", "json"], in: folder)
        let lockfileText = try String(contentsOf: folder.appendingPathComponent("chatctl.emulator.lock.json"), encoding: .utf8)
        let everything = [apply.stdout, apply.stderr, plan.stdout, plan.stderr, status.stdout, lockfileText].joined()
        for secret in tokens + ["chatctl-emulator-secret", "cust-000937415", "cust-"] {
            #expect(!everything.contains(secret), "found \(secret.prefix(12))…")
        }
        // --verbose did log the exchanges, with the secrets masked.
        #expect(apply.stderr.contains("> PUT http://127.0.0.1:"))
        #expect(apply.stderr.contains(#""ParticipantToken":"(sensitive)""#))
        #expect(apply.stderr.contains("Signature=(redacted)"))
    }

    /// An `--outputs` file that cannot be written (its folder does not exist) stops apply
    /// before its first call: found at the first token, it left chats started whose tokens
    /// were lost, `pending` in the lockfile.
    @Test func anOutputsFileThatCannotBeWrittenStopsApplyBeforeAnyCall() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let apply = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--outputs", "no-such-folder/outputs.json"], in: folder)
        #expect(apply.status == 1, "\(apply.stderr)")
        #expect(apply.stderr.contains("no-such-folder/outputs.json: cannot write it: cannot create a file in its folder"), "\(apply.stderr)")
        #expect(!apply.stdout.contains("started"), "\(apply.stdout)")
        #expect(try Self.lockfile(folder).entries.isEmpty, "no chat was launched")
    }

    @Test func aSecondApplyWaitsForTheLockThenFailsClearly() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let held = try LockfileLock.acquire(for: folder.appendingPathComponent("chatctl.emulator.lock.json").path, timeout: 0)
        defer { held.release() }
        let started = Date()
        let result = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--lock-timeout", "1"], in: folder)
        #expect(result.status == 1)
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(result.stderr.contains("error: chatctl.emulator.lock.json is locked by another chatctl command (an apply, refresh or stop); gave up after 1 s"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.emulator.lock.json").path))
    }

    @Test func appliesASavedPlanOnceAndRefusesItWhenStale() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = try ChatctlProcess.run(["plan", "--out", "plan.json"], in: folder)
        #expect(saved.status == 0)
        let applied = try ChatctlProcess.run(["apply", "--emulator", "--yes", "plan.json"], in: folder)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("Apply complete: 8 started."))
        let again = try ChatctlProcess.run(["apply", "--emulator", "--yes", "plan.json"], in: folder)
        #expect(again.status == 1)
        #expect(again.stderr.contains("the saved plan plan.json is stale: the lockfile is at serial 1, the plan was made at 0"))
    }

    @Test func aPersistentChatWaitsAndAnAlwaysProfileRelaunches() throws {
        let folder = try Self.copyOfExamples("continuations")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("claims-follow-up: waiting: claims-intake has not ended (it is launched in this plan)"))
        #expect(first.stdout.contains("Apply complete: 2 started, 1 skipped."))
        let second = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: folder)
        #expect(second.stdout.contains("~ relaunch claims-smoke-test  (relaunch: always)"))
        #expect(second.stdout.contains("claims-follow-up: waiting: claims-intake has not ended (its chat runs until "))
        let lockfile = try Self.lockfile(folder)
        #expect(lockfile.entries["claims-smoke-test"]?.generation == 2)
        #expect(lockfile.serial == 2)
    }

    @Test func statusShowsTheLockfile() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try ChatctlProcess.run(["status"], in: folder).stdout == "The lockfile records no chats yet.\n")
        _ = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: folder)
        let status = try ChatctlProcess.run(["status", "--emulator"], in: folder)
        #expect(status.stdout.hasPrefix("PROFILE"))
        #expect(status.stdout.split(separator: "\n").count == 9)
        #expect(status.stdout.contains("vip-greeting"))
    }

    @Test func failsBeforeAnyCallWithoutCredentials() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.run(["apply", "--yes"], in: folder, environment: ["AWS_EC2_METADATA_DISABLED": "true"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: no AWS credentials found: environment: AWS_ACCESS_KEY_ID not set"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.lock.json").path))
    }

    @Test func printsOneJSONResultPerProfile() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--format", "json"], in: folder)
        #expect(result.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(document?["formatVersion"] as? Int == 1)
        let results = document?["results"] as? [[String: Any]] ?? []
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0["result"] as? String == "started" && ($0["contactId"] as? String)?.isEmpty == false })
        #expect((document?["summary"] as? [String: Int])?["started"] == 8)
    }

    @Test func showsALiveProgressLineOnATerminal() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.runOnTerminal(["apply", "--emulator", "--yes", "--no-color"], in: folder)
        #expect(result.status == 0)
        // The line is rewritten in place (carriage return, erase line) with a counter.
        #expect(result.output.contains("\r\u{1B}[K["))
        #expect(result.output.contains("/8] launch "))
        #expect(result.output.contains("Apply complete: 8 started."))
    }

    @Test func asksOnATerminalAndChangesNothingWithoutYes() throws {
        let folder = try Self.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The terminal's input ends without an answer: nothing is applied.
        let result = try ChatctlProcess.runOnTerminal(["apply", "--emulator", "--no-color"], in: folder)
        #expect(result.status == 1)
        #expect(result.output.contains("Apply these changes? Only 'yes' will be accepted: "))
        #expect(result.output.contains("Apply cancelled; nothing was changed."))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.lock.json").path))
    }
}
