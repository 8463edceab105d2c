import Foundation
import Testing
@testable import ChatctlCore

/// What the planner makes of the entries a crash, a refusal or a lost answer leaves behind
/// (docs/plan-and-apply.md, "Crash safety and resuming"): the chat a relaunch replaces is
/// never dropped, a relaunch forced through a reference is never lost, and a pending entry
/// is never forgotten while its chat may run.
@Suite struct PlannerCrashWindowTests {
    private func plan(_ yaml: String, _ lockfile: Lockfile, prune: Bool = false, replace: [String] = []) throws -> Plan {
        var options = PlanOptions()
        options.prune = prune
        options.replace = replace
        // Both ways: from the full profiles and from summaries (`plan`'s text output).
        return try planBothWays(yaml, lockfile: lockfile, options: options, now: fixedNow)
    }

    private func actions(_ plan: Plan) -> [String] {
        plan.calls.map { "\($0.action.rawValue) \($0.profile)" }
    }

    private func digest(_ yaml: String, _ name: String) throws -> String {
        try plan(yaml, Lockfile()).calls.first { $0.profile == name }?.digest ?? ""
    }

    private func started(_ digest: String, contact: String, generation: Int = 1) -> LockEntry {
        LockEntry(
            digest: digest, generation: generation, clientToken: "token-\(contact)", status: .started, contactId: contact,
            region: "us-east-1", instance: "instance-1", startedAt: fixedNow.addingTimeInterval(-60),
            expiresAt: fixedNow.addingTimeInterval(3600))
    }

    private func replaced(_ contact: String, then: LockEntry.Replacement.Disposition) -> LockEntry.Replacement {
        LockEntry.Replacement(
            contactId: contact, instance: "instance-0", region: "eu-west-2", expiresAt: fixedNow.addingTimeInterval(600), then: then)
    }

    @Test func aRelaunchRecordsTheChatItReplacesWithOrWithoutPrune() throws {
        let yaml = profileYAML("a")
        let lockfile = Lockfile(serial: 1, entries: ["a": started("sha256:old", contact: "c1")])
        let kept = try plan(yaml, lockfile).calls[0].launch?.replacing
        #expect(kept?.contactId == "c1")
        #expect(kept?.then == .keep)
        #expect(kept?.instance == "instance-1")
        #expect(kept?.expiresAt == fixedNow.addingTimeInterval(3600))
        let pruned = try plan(yaml, lockfile, prune: true).calls[0]
        #expect(pruned.launch?.replacing?.then == .stop)
        #expect(pruned.stopContactID == "c1")
    }

    @Test func aResumeOrARetryCarriesTheReplacedChatAndPruneStopsIt() throws {
        let yaml = profileYAML("a")
        let current = try digest(yaml, "a")
        for status in [LockEntry.Status.pending, .failed] {
            var entry = LockEntry(
                digest: current, generation: 2, clientToken: "token-g2", status: status, replacing: replaced("c1", then: .stop))
            if status == .failed { entry.error = .init(code: "InvalidParameterException", message: "bad") }
            let result = try plan(yaml, Lockfile(serial: 2, entries: ["a": entry]))
            #expect(actions(result) == [status == .pending ? "resume a" : "launch a"])
            // Recorded with prune: stopped even by a run without it.
            #expect(result.calls[0].launch?.replacing == replaced("c1", then: .stop))
            #expect(result.calls[0].stopContactID == "c1")
            entry.replacing?.then = .keep
            #expect(try plan(yaml, Lockfile(serial: 2, entries: ["a": entry])).calls[0].stopContactID == nil)
            #expect(try plan(yaml, Lockfile(serial: 2, entries: ["a": entry]), prune: true).calls[0].stopContactID == "c1")
        }
    }

    @Test func aReplacedChatPastItsExpiryIsNotCarried() throws {
        let yaml = profileYAML("a")
        var expired = replaced("c1", then: .stop)
        expired.expiresAt = fixedNow.addingTimeInterval(-1)
        let entry = LockEntry(digest: try digest(yaml, "a"), generation: 2, clientToken: "t", status: .pending, replacing: expired)
        #expect(try plan(yaml, Lockfile(serial: 2, entries: ["a": entry]), prune: true).calls[0].launch?.replacing == nil)
    }

    @Test func aResumedTargetForcesItsDependantsToRelaunch() throws {
        // a was relaunched (b with it) and the run died with a pending: b still refers to a's
        // previous chat, and a's resume brings a contact b never saw.
        let yaml = profileYAML("a") + "\n---\n" + profileYAML("b", "relatedContact: {from: a}")
        var b = started(try digest(yaml, "b"), contact: "b1")
        b.relatedContactId = "a1"
        let a = LockEntry(digest: try digest(yaml, "a"), generation: 2, clientToken: "token-a2", status: .pending)
        let result = try plan(yaml, Lockfile(serial: 2, entries: ["a": a, "b": b]))
        #expect(actions(result) == ["resume a", "relaunch b"])
        #expect(result.calls[1].reason == "relatedContact.from a is launched in this plan")
    }

    @Test func aRelatedContactThatIsNoLongerTheTargetsForcesARelaunch() throws {
        // The run died after a's new chat was recorded and before b's relaunch was written.
        let yaml = profileYAML("a") + "\n---\n" + profileYAML("b", "relatedContact: {from: a}")
        var b = started(try digest(yaml, "b"), contact: "b1")
        b.relatedContactId = "a1"
        let a = started(try digest(yaml, "a"), contact: "a2", generation: 2)
        let result = try plan(yaml, Lockfile(serial: 2, entries: ["a": a, "b": b]))
        #expect(actions(result) == ["unchanged a", "relaunch b"])
        #expect(result.calls[1].reason == "relatedContact.from a has a newer chat")
        b.relatedContactId = "a2"
        #expect(actions(try plan(yaml, Lockfile(serial: 2, entries: ["a": a, "b": b]))) == ["unchanged a", "unchanged b"])
    }

    @Test func aPendingEntryOfARemovedProfileIsHeldWithPrune() throws {
        let pending = LockEntry(digest: "sha256:x", generation: 1, clientToken: "token-b", status: .pending, instance: "instance-1")
        let lockfile = Lockfile(serial: 1, entries: ["b": pending])
        let held = try plan(profileYAML("a"), lockfile, prune: true).calls[1]
        #expect(held.action == .forget)
        #expect(held.waitingFor?.hasPrefix("its launch is pending; restore the profile") == true)
        // Without prune a removed profile's chat is never stopped: forgetting loses nothing prune would do.
        #expect(try plan(profileYAML("a"), lockfile).calls[1].waitingFor == nil)
    }

    @Test func aFailedRelaunchOfARemovedProfileStopsTheChatItWasToReplace() throws {
        var failed = LockEntry(
            digest: "sha256:x", generation: 2, clientToken: "token-b2", status: .failed, replacing: replaced("b1", then: .keep))
        failed.error = .init(code: "InvalidParameterException", message: "bad")
        let result = try plan(profileYAML("a"), Lockfile(serial: 2, entries: ["b": failed]), prune: true)
        #expect(actions(result) == ["launch a", "stop b"])
        #expect(result.calls[1].stopContactID == "b1")
        #expect(result.calls[1].instance == "instance-0")
        #expect(result.calls[1].region == "eu-west-2")
    }

    @Test func anIdempotencyMismatchHoldsThePendingEntryUntilReplace() throws {
        let yaml = profileYAML("a")
        var entry = LockEntry(digest: try digest(yaml, "a"), generation: 1, clientToken: "token-a1", status: .pending)
        entry.error = .init(code: "IdempotentParameterMismatchException", message: "used with different parameters")
        let lockfile = Lockfile(serial: 1, entries: ["a": entry])
        let held = try plan(yaml, lockfile).calls[0]
        #expect(held.action == .resume)
        #expect(held.waitingFor?.contains("a chat with client token token-a1 exists with other parameters") == true)
        let replaced = try plan(yaml, lockfile, replace: ["a"]).calls[0]
        #expect(replaced.action == .relaunch)
        #expect(replaced.generation == 2)
        #expect(replaced.waitingFor == nil)
    }
}
