import ChatctlCore
import Foundation
import Testing

/// The crash windows docs/plan-and-apply.md once listed under "Known limitations", and the
/// review findings next to them, each proved against the emulator (its own process):
/// `chatctl apply` is killed with SIGKILL exactly there — once the emulator holds the chat
/// of the pending entry's token while its answer is still on the way (the emulator creates
/// the contact, then waits its latency before answering) — and the next applies must
/// converge: no chat launched twice, none lost, and none running that the lockfile does
/// not record.
@Suite(.serialized) struct CrashWindowTests {
    static let instance = "12345678-1234-1234-1234-123456789012"
    static let flow = "846ec553-a005-41c0-8341-0123456789ab"
    /// A flow the emulator does not have: StartChatContact is refused (404).
    static let missingFlow = "946ec553-a005-41c0-8341-0123456789ab"

    static func profile(_ name: String, _ extra: String = "", flow: String = flow) -> String {
        """
        apiVersion: chatctl/v1
        kind: ChatLaunchProfile
        metadata: {name: \(name)}
        spec:
          instance: \(instance)
          flow: \(flow)
          participant: {displayName: Customer \(name), customerId: cust-\(name)}
          duration: 2h
        \(extra.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        """
    }

    /// One emulator and one repository; every apply goes to that emulator.
    final class Rig {
        let emulator: EmulatorProcess
        let folder: URL
        var lockfilePath: String { folder.appendingPathComponent("chatctl.lock.json").path }
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDCHATCTLEMULATOR", "AWS_SECRET_ACCESS_KEY": "chatctl-emulator-secret",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]

        init() throws {
            // The latency is the window the kill lands in: the contact exists, its answer
            // has not arrived. Only the flow above exists.
            emulator = try EmulatorProcess.start([
                "--tps", "0", "--stop-tps", "0", "--latency-ms", "1500", "--seed", "2027", "--flow", CrashWindowTests.flow,
            ])
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-window-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        deinit {
            _ = emulator.stop()
            try? FileManager.default.removeItem(at: folder)
        }

        func write(_ documents: String...) throws {
            try Data(documents.joined(separator: "\n---\n").utf8).write(to: folder.appendingPathComponent("profiles.yaml"))
        }

        func arguments(_ command: String, _ extra: [String]) -> [String] {
            [command] + (command == "apply" ? ["--yes"] : []) + [
                "--endpoint-url", emulator.endpoint, "--region", "us-east-1", "--max-attempts", "1",
            ] + extra + [folder.path]
        }

        @discardableResult
        func apply(_ extra: [String] = []) throws -> ChatctlProcess.Result {
            try ChatctlProcess.run(arguments("apply", extra), environment: environment)
        }

        func lockfile() throws -> Lockfile { try LockfileStore(path: lockfilePath).read() }

        /// Runs apply and kills it once `profile`'s entry is pending at `generation` and the
        /// emulator has created the chat of its token; returns that token.
        func applyKilled(_ extra: [String], once profile: String, generation: Int) throws -> String {
            let process = try ChatctlProcess.start(arguments("apply", extra), environment: environment)
            // A guard against a hung apply only; no assertion depends on it.
            let giveUp = Date().addingTimeInterval(120)
            var killedWith: String?
            while process.isRunning, Date() < giveUp, killedWith == nil {
                if FileManager.default.fileExists(atPath: lockfilePath),
                   let entry = try lockfile().entries[profile], entry.status == .pending, entry.generation == generation,
                   try emulator.adminContacts(clientToken: entry.clientToken).count == 1 {
                    kill(process.processIdentifier, SIGKILL)
                    killedWith = entry.clientToken
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, "killed at its point")
            let entry = try lockfile().entries[profile]
            #expect(entry?.status == .pending, "killed before the answer was recorded")
            return killedWith ?? ""
        }

        /// The end state every window must reach.
        func expectConverged(_ comment: Comment = "") throws {
            let plan = try ChatctlProcess.run(arguments("plan", ["--detailed-exitcode", "--prune"]), environment: environment)
            #expect(plan.status == 0, "nothing left to do: \(plan.stdout)", sourceLocation: .__here())
            let lockfile = try lockfile()
            let contacts = try emulator.adminContacts()
            let recorded = Set(lockfile.entries.values.filter { $0.status == .started }.compactMap(\.contactId))
            let running = Set(contacts.filter { $0.state == "active" }.map(\.contactId))
            #expect(running == recorded, "every running chat is recorded, and every recorded one runs \(comment)")
            for (name, entry) in lockfile.entries where entry.status == .started {
                let created = contacts.filter { $0.clientToken == entry.clientToken }
                #expect(created.map(\.contactId) == [entry.contactId ?? ""], "\(name): one chat for its token, the recorded one")
            }
        }
    }

    // MARK: The three windows

    @Test func aPrunedRelaunchKilledMidRequestStopsTheReplacedChatWhenResumed() throws {
        let rig = try Rig()
        try rig.write(Self.profile("p"))
        #expect(try rig.apply(["--prune"]).status == 0)
        let first = try #require(try rig.lockfile().entries["p"]?.contactId)
        let token = try rig.applyKilled(["--replace", "p", "--prune"], once: "p", generation: 2)
        #expect(try rig.lockfile().entries["p"]?.replacing?.contactId == first, "the pending entry names the replaced chat")

        let resumed = try rig.apply(["--prune"])
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        let entry = try #require(try rig.lockfile().entries["p"])
        #expect(entry.generation == 2 && entry.clientToken == token && entry.replacing == nil)
        #expect(try rig.emulator.adminContacts().first { $0.contactId == first }?.state == "stopped")
        try rig.expectConverged()
    }

    @Test func aForcedRelaunchKilledWhileItsTargetIsPendingIsNotLost() throws {
        let rig = try Rig()
        try rig.write(Self.profile("a"), Self.profile("b", "relatedContact: {from: a}"))
        #expect(try rig.apply(["--prune"]).status == 0)
        let firstB = try #require(try rig.lockfile().entries["b"]?.contactId)
        // --replace a forces b to relaunch; the run dies while a's request is out.
        _ = try rig.applyKilled(["--replace", "a", "--prune"], once: "a", generation: 2)
        #expect(try rig.lockfile().entries["b"]?.generation == 1)

        let next = try rig.apply(["--prune"])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        let lockfile = try rig.lockfile()
        let a = try #require(lockfile.entries["a"]?.contactId)
        let b = try #require(lockfile.entries["b"])
        #expect(b.generation == 2, "the forced relaunch happened")
        #expect(b.relatedContactId == a)
        #expect(try rig.emulator.adminContacts().first { $0.contactId == b.contactId }?.relatedContactId == a)
        #expect(try rig.emulator.adminContacts().first { $0.contactId == firstB }?.state == "stopped")
        try rig.expectConverged()
    }

    @Test func aPendingLaunchOfARemovedProfileIsHeldUntilItCanBeStopped() throws {
        let rig = try Rig()
        try rig.write(Self.profile("a"))
        #expect(try rig.apply(["--prune"]).status == 0)
        try rig.write(Self.profile("a"), Self.profile("orphan"))
        let token = try rig.applyKilled(["--prune"], once: "orphan", generation: 1)
        try rig.write(Self.profile("a"))

        // Forgetting it would leave its chat running unrecorded: it is held.
        let held = try rig.apply(["--prune"])
        #expect(held.status == 0, "\(held.stdout)\(held.stderr)")
        #expect(held.stdout.contains("orphan: waiting: its launch is pending; restore the profile"))
        #expect(try rig.lockfile().entries["orphan"]?.clientToken == token)

        try rig.write(Self.profile("a"), Self.profile("orphan"))
        #expect(try rig.apply(["--prune"]).status == 0)
        let chat = try #require(try rig.lockfile().entries["orphan"]?.contactId)
        #expect(try rig.emulator.adminContacts(clientToken: token).map(\.contactId) == [chat], "the resume found the chat")
        try rig.write(Self.profile("a"))
        #expect(try rig.apply(["--prune"]).status == 0)
        #expect(try rig.lockfile().entries["orphan"] == nil)
        #expect(try rig.emulator.adminContacts(clientToken: token).first?.state == "stopped")
        try rig.expectConverged()
    }

    // MARK: The review findings

    @Test func aRefusedRelaunchKeepsTheReplacedChatSoPruneStillStopsIt() throws {
        let rig = try Rig()
        try rig.write(Self.profile("p"))
        #expect(try rig.apply(["--prune"]).status == 0)
        let first = try #require(try rig.lockfile().entries["p"]?.contactId)
        try rig.write(Self.profile("p", flow: Self.missingFlow))
        #expect(try rig.apply(["--prune"]).status == 3)
        let failed = try #require(try rig.lockfile().entries["p"])
        #expect(failed.status == .failed)
        #expect(failed.replacing?.contactId == first && failed.replacing?.then == .stop)

        try rig.write(Self.profile("p"))
        let retried = try rig.apply(["--prune"])
        #expect(retried.status == 0, "\(retried.stdout)\(retried.stderr)")
        #expect(try rig.lockfile().entries["p"]?.generation == 3)
        #expect(try rig.emulator.adminContacts().first { $0.contactId == first }?.state == "stopped")
        try rig.expectConverged()
    }

    @Test func aResumeWhoseTargetWasRelaunchedMeanwhileGetsItsChat() throws {
        let rig = try Rig()
        try rig.write(Self.profile("a"))
        #expect(try rig.apply(["--prune"]).status == 0)
        let firstA = try #require(try rig.lockfile().entries["a"]?.contactId)
        try rig.write(Self.profile("a"), Self.profile("b", "relatedContact: {from: a}"))
        let token = try rig.applyKilled(["--prune"], once: "b", generation: 1)
        #expect(try rig.lockfile().entries["b"]?.relatedContactId == firstA, "the pending entry records what it sent")

        // a gets a new chat before b's answer is known: b resends exactly what it sent.
        let replaced = try rig.apply(["--replace", "a", "--prune"])
        #expect(replaced.status == 0, "\(replaced.stdout)\(replaced.stderr)")
        let b = try #require(try rig.lockfile().entries["b"])
        #expect(b.status == .started && b.generation == 1)
        #expect(try rig.emulator.adminContacts(clientToken: token).map(\.contactId) == [b.contactId ?? ""])
        // Then b follows a's newer chat.
        #expect(try rig.apply(["--prune"]).status == 0)
        let lockfile = try rig.lockfile()
        #expect(lockfile.entries["b"]?.generation == 2)
        #expect(lockfile.entries["b"]?.relatedContactId == lockfile.entries["a"]?.contactId)
        try rig.expectConverged()
    }

    @Test func aPendingEntryWhoseProfileChangedIsHeldUntilItsDefinitionIsBack() throws {
        let rig = try Rig()
        try rig.write(Self.profile("p"))
        let token = try rig.applyKilled(["--prune"], once: "p", generation: 1)
        let created = try rig.emulator.adminContacts(clientToken: token).map(\.contactId)

        try rig.write(Self.profile("p", "attributes: {edited: \"yes\"}"))
        let held = try rig.apply(["--prune"])
        #expect(held.status == 0, "\(held.stdout)\(held.stderr)")
        #expect(held.stdout.contains("p: waiting: its definition changed while its request was pending"))
        #expect(try rig.emulator.adminContacts().count == 1, "no second chat while the first one's fate is unknown")

        try rig.write(Self.profile("p"))
        #expect(try rig.apply(["--prune"]).status == 0)
        #expect(try rig.lockfile().entries["p"]?.contactId == created.first, "the resume recorded the first request's chat")
        try rig.expectConverged()
    }

    @Test func aResumeAnsweredWithAnIdempotencyMismatchIsHeldUntilReplace() throws {
        // A token whose chat exists with another body: q used it first (spec.clientToken),
        // and p's pending entry (as an older chatctl or a hand edit could leave) names it.
        let rig = try Rig()
        let shared = "chatctl-shared-token-0001"
        try rig.write(Self.profile("q", "clientToken: \(shared)"))
        #expect(try rig.apply().status == 0)
        try rig.write(Self.profile("q", "clientToken: \(shared)"), Self.profile("p"))
        let planned = try ChatctlProcess.run(rig.arguments("plan", ["--format", "json"]), environment: rig.environment)
        let document = try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any]
        let actions = document?["actions"] as? [[String: Any]] ?? []
        let digest = try #require(actions.first { $0["profile"] as? String == "p" }?["digest"] as? String)
        var lockfile = try rig.lockfile()
        lockfile.entries["p"] = LockEntry(digest: digest, generation: 1, clientToken: shared, status: .pending)
        try LockfileStore(path: rig.lockfilePath).write(lockfile)

        let refused = try rig.apply()
        #expect(refused.status == 3)
        #expect((refused.stdout + refused.stderr).contains("a chat with this client token exists with other parameters, so the entry is held"))
        #expect(try rig.lockfile().entries["p"]?.status == .pending)
        #expect(try rig.lockfile().entries["p"]?.error?.code == "IdempotentParameterMismatchException")
        let held = try rig.apply()
        #expect(held.status == 0, "no second attempt with a token that cannot succeed")
        #expect(held.stdout.contains("p: waiting: a chat with client token \(shared) exists with other parameters"))
        #expect(try rig.emulator.adminContacts().count == 1)

        #expect(try rig.apply(["--replace", "p"]).status == 0)
        #expect(try rig.lockfile().entries["p"]?.generation == 2)
        #expect(try rig.lockfile().entries["p"]?.status == .started)
    }
}
