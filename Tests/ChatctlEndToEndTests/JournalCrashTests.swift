import ChatctlCore
import Foundation
import Testing

/// The lockfile's journal at its write points (docs/lockfile.md, "The journal"), against the
/// emulator (its own process), with the real binary: apply killed with SIGKILL while its
/// latest results are only in the journal, and the state a kill between the fold's rename
/// and the journal's removal leaves. The next plan must see every chat started, and the
/// next apply must converge: one contact per client token, none launched twice.
@Suite(.serialized) struct JournalCrashTests {
    typealias Rig = CrashWindowTests.Rig

    /// The lockfile alone, without its journal: what a reader that ignored the journal saw.
    static func lockfileAlone(_ rig: Rig) throws -> Lockfile {
        try LockfileCodec().decode(Array(try Data(contentsOf: URL(fileURLWithPath: rig.lockfilePath))), file: rig.lockfilePath)
    }

    static var journalPath: (Rig) -> String { { $0.lockfilePath + ".journal" } }

    /// A first apply of `a`, then an apply of `a`, `b`, `c` killed once `b`'s request has
    /// created its chat: `b`'s pending entry is in the journal only.
    static func killedWithAJournal() throws -> (rig: Rig, token: String) {
        let rig = try Rig()
        try rig.write(CrashWindowTests.profile("a"))
        #expect(try rig.apply().status == 0)
        #expect(!FileManager.default.fileExists(atPath: journalPath(rig)), "a finished apply leaves no journal")
        try rig.write(CrashWindowTests.profile("a"), CrashWindowTests.profile("b"), CrashWindowTests.profile("c"))
        let token = try rig.applyKilled(["--concurrency", "1"], once: "b", generation: 1)
        #expect(FileManager.default.fileExists(atPath: journalPath(rig)), "killed with its journal on disk")
        #expect(try lockfileAlone(rig).entries["b"] == nil, "b's pending entry is in the journal, not yet in the lockfile")
        return (rig, token)
    }

    @Test func anApplyKilledWithItsJournalNonEmptyLosesNothing() throws {
        let (rig, token) = try Self.killedWithAJournal()

        let status = try ChatctlProcess.run(["status", "--lockfile", rig.lockfilePath])
        #expect(status.status == 0)
        #expect(status.stdout.contains("b ") && status.stdout.contains("pending"), "\(status.stdout)")
        #expect(status.stderr.hasPrefix("warning: \(Self.journalPath(rig)): replayed its"), "\(status.stderr)")

        let plan = try ChatctlProcess.run(rig.arguments("plan", ["--detailed-exitcode"]), environment: rig.environment)
        #expect(plan.status == 2, "b is resumed, c launched: \(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("b") && plan.stdout.contains("resume"), "\(plan.stdout)")
        #expect(plan.stderr.contains("replayed its"), "\(plan.stderr)")
        #expect(FileManager.default.fileExists(atPath: Self.journalPath(rig)), "plan writes nothing")

        let resumed = try rig.apply()
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(resumed.stderr.contains("folded into \(rig.lockfilePath)"), "\(resumed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Self.journalPath(rig)))
        let b = try #require(try rig.lockfile().entries["b"])
        #expect(b.status == .started && b.clientToken == token)
        #expect(try rig.emulator.adminContacts(clientToken: token).map(\.contactId) == [b.contactId ?? ""], "the resume found b's chat")
        try rig.expectConverged()
    }

    /// A run killed after its fold renamed the lockfile into place but before it removed
    /// the journal: the lockfile then holds every record of the journal beside it. The
    /// state is made by the library's own fold (the window is a few instructions wide) on
    /// the journal of a real killed run.
    @Test func aJournalLeftBesideTheLockfileItWasFoldedIntoLosesNothing() throws {
        let (rig, token) = try Self.killedWithAJournal()
        let journal = try Data(contentsOf: URL(fileURLWithPath: Self.journalPath(rig)))
        let store = try LockfileStore(path: rig.lockfilePath)
        let state = try store.read()
        try store.foldJournal()
        try journal.write(to: URL(fileURLWithPath: Self.journalPath(rig)))
        #expect(try Self.lockfileAlone(rig) == state, "the lockfile holds the journal")

        let plan = try ChatctlProcess.run(rig.arguments("plan", ["--detailed-exitcode"]), environment: rig.environment)
        #expect(plan.status == 2, "b is resumed, c launched: \(plan.stdout)\(plan.stderr)")
        #expect(plan.stderr.contains("the lockfile already holds its"), "\(plan.stderr)")

        let resumed = try rig.apply()
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Self.journalPath(rig)))
        #expect(try rig.lockfile().entries["b"]?.clientToken == token)
        #expect(try rig.emulator.adminContacts(clientToken: token).count == 1)
        try rig.expectConverged()
    }

    /// The lockfile restored from git after the crash, its journal left: refused by every
    /// command, nothing written, until someone decides.
    @Test func aJournalBesideAnotherLockfileIsRefusedAndNothingIsWritten() throws {
        let (rig, _) = try Self.killedWithAJournal()
        var restored = try Self.lockfileAlone(rig)
        restored.serial += 5
        try Data(LockfileCodec().encode(restored)).write(to: URL(fileURLWithPath: rig.lockfilePath))
        let before = try Data(contentsOf: URL(fileURLWithPath: rig.lockfilePath))

        let apply = try rig.apply()
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("continues another version of"), "\(apply.stderr)")
        let plan = try ChatctlProcess.run(rig.arguments("plan", []), environment: rig.environment)
        #expect(plan.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: rig.lockfilePath)) == before)
        #expect(FileManager.default.fileExists(atPath: Self.journalPath(rig)))
        #expect(try rig.emulator.adminContacts().count == 2, "nothing more was launched: a's chat and b's")
    }
}
