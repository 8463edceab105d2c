import Foundation
import Testing
import ChatctlAWS
@testable import ChatctlCore

@Suite struct PlannerTests {
    private func plan(_ yaml: String, lockfile: Lockfile = Lockfile(), options: PlanOptions = PlanOptions(), now: Date = fixedNow) throws -> Plan {
        // Both ways: from the full profiles and from summaries (`plan`'s text output).
        try planBothWays(yaml, lockfile: lockfile, options: options, now: now)
    }

    private func actions(_ plan: Plan) -> [String] {
        plan.calls.map { "\($0.action.rawValue) \($0.profile)" }
    }

    /// A lockfile in which `name` was launched with the digest it has now.
    private func launched(_ yaml: String, _ names: [String], status: LockEntry.Status = .started, expires: Date? = nil) throws -> Lockfile {
        let first = try plan(yaml)
        var lockfile = Lockfile(serial: 1)
        for call in first.calls where names.contains(call.profile) {
            lockfile.entries[call.profile] = LockEntry(
                digest: call.digest ?? "", generation: 1, clientToken: call.clientToken ?? "", status: status,
                contactId: status == .pending ? nil : "contact-\(call.profile)",
                startedAt: fixedNow.addingTimeInterval(-60), expiresAt: expires ?? fixedNow.addingTimeInterval(3600),
                error: status == .failed ? .init(code: "InvalidParameterException", message: "bad") : nil)
        }
        return lockfile
    }

    @Test func launchesEveryProfileWithoutALockEntry() throws {
        let result = try plan(profileYAML("a") + "\n---\n" + profileYAML("b"))
        #expect(actions(result) == ["launch a", "launch b"])
        #expect(result.calls.allSatisfy { $0.generation == 1 && $0.reason == "not launched yet" })
        #expect(result.hasChanges)
    }

    @Test func leavesLaunchedProfilesWithTheSameDigestUnchanged() throws {
        let yaml = profileYAML("a")
        let result = try plan(yaml, lockfile: try launched(yaml, ["a"]))
        #expect(actions(result) == ["unchanged a"])
        #expect(!result.hasChanges)
    }

    @Test func relaunchesAChangedProfileWithTheNextGenerationAndANewToken() throws {
        let lockfile = try launched(profileYAML("a"), ["a"])
        let result = try plan(profileYAML("a", "duration: 2h"), lockfile: lockfile)
        #expect(actions(result) == ["relaunch a"])
        #expect(result.calls[0].reason == "definition changed")
        #expect(result.calls[0].generation == 2)
        #expect(result.calls[0].clientToken != lockfile.entries["a"]?.clientToken)
    }

    @Test func honoursTheRelaunchPolicies() throws {
        let never = profileYAML("a", "relaunch: never")
        let changedNever = profileYAML("a", "relaunch: never\nduration: 2h")
        let result = try plan(changedNever, lockfile: try launched(never, ["a"]))
        #expect(actions(result) == ["unchanged a"])
        #expect(result.calls[0].reason == "definition changed, but relaunch is never")
        let always = profileYAML("a", "relaunch: always")
        #expect(actions(try plan(always, lockfile: try launched(always, ["a"]))) == ["relaunch a"])
    }

    @Test func resumesAPendingEntryWithItsOwnToken() throws {
        let yaml = profileYAML("a")
        let lockfile = try launched(yaml, ["a"], status: .pending)
        let result = try plan(yaml, lockfile: lockfile)
        #expect(actions(result) == ["resume a"])
        #expect(result.calls[0].clientToken == lockfile.entries["a"]?.clientToken)
        #expect(result.calls[0].generation == 1)
    }

    @Test func holdsAPendingEntryWhoseDefinitionChangedUntilReplaceIsGiven() throws {
        // The request that was sent is not the one the profile asks for now: only the old
        // body with the old token can learn the chat it may have started, and a new token
        // would start a second chat while that one runs unrecorded.
        let lockfile = try launched(profileYAML("a"), ["a"], status: .pending)
        let held = try plan(profileYAML("a", "duration: 2h"), lockfile: lockfile)
        #expect(actions(held) == ["resume a"])
        #expect(held.calls[0].reason == "a request of an older definition was sent but its result was not recorded")
        #expect(held.calls[0].waitingFor?.hasPrefix("its definition changed while its request was pending") == true)
        #expect(held.calls[0].clientToken == lockfile.entries["a"]?.clientToken)
        var replace = PlanOptions()
        replace.replace = ["a"]
        let result = try plan(profileYAML("a", "duration: 2h"), lockfile: lockfile, options: replace)
        #expect(actions(result) == ["relaunch a"])
        #expect(result.calls[0].waitingFor == nil)
        #expect(result.calls[0].generation == 2)
        #expect(result.calls[0].clientToken != lockfile.entries["a"]?.clientToken)
        #expect(result.calls[0].digest != lockfile.entries["a"]?.digest)
    }

    @Test func launchesAgainAfterAFailureWithANewGeneration() throws {
        let yaml = profileYAML("a")
        let result = try plan(yaml, lockfile: try launched(yaml, ["a"], status: .failed))
        #expect(actions(result) == ["launch a"])
        #expect(result.calls[0].reason == "the last launch failed (InvalidParameterException)")
        #expect(result.calls[0].generation == 2)
    }

    @Test func forgetsOrStopsEntriesWhoseProfileWasRemoved() throws {
        let both = profileYAML("a") + "\n---\n" + profileYAML("b")
        let lockfile = try launched(both, ["a", "b"])
        let kept = profileYAML("a")
        #expect(actions(try plan(kept, lockfile: lockfile)) == ["unchanged a", "forget b"])
        var prune = PlanOptions()
        prune.prune = true
        let pruned = try plan(kept, lockfile: lockfile, options: prune)
        #expect(actions(pruned) == ["unchanged a", "stop b"])
        #expect(pruned.calls[1].stopContactID == "contact-b")
    }

    /// Narrowing is not another set of inputs (issue 12 item 8): `--target` and
    /// `--selector` leave the entries they do not select alone, even with prune, where a
    /// plan of the same profiles without them would forget or stop those entries.
    @Test func narrowingNeverForgetsOrStopsWhatItLeavesOut() throws {
        let both = profileYAML("a") + "\n---\n" + profileYAML("b")
        var lockfile = try launched(both, ["a", "b"])
        lockfile.entries["gone"] = lockfile.entries["b"]
        var options = PlanOptions()
        options.prune = true
        #expect(actions(try plan(both, lockfile: lockfile, options: options)) == ["unchanged a", "unchanged b", "stop gone"])
        options.targets = ["a"]
        #expect(actions(try plan(both, lockfile: lockfile, options: options)) == ["unchanged a"])
        options.targets = []
        options.selector = LabelSelector("team=sales")
        #expect(actions(try plan(both, lockfile: lockfile, options: options)) == ["unchanged b"])
    }

    @Test func forcesARelaunchThroughAFromReference() throws {
        let yaml = profileYAML("a") + "\n---\n" + profileYAML("b", "relatedContact: {from: a}")
        var lockfile = try launched(yaml, ["a", "b"])
        lockfile.entries["a"]?.digest = "sha256:" + String(repeating: "0", count: 64)
        let result = try plan(yaml, lockfile: lockfile)
        #expect(actions(result) == ["relaunch a", "relaunch b"])
        #expect(result.calls[1].reason == "relatedContact.from a is launched in this plan")
        #expect(result.calls[1].knownAfterApply == ["relatedContact.from: a"])
    }

    @Test func aChainedWaitSaysItsSourceIsItselfWaiting() throws {
        let yaml = profileYAML("a") + "\n---\n"
            + profileYAML("b", "persistence: {rehydration: ENTIRE_PAST_SESSION, from: a}") + "\n---\n"
            + profileYAML("c", "persistence: {rehydration: ENTIRE_PAST_SESSION, from: b}")
        let result = try plan(yaml)
        #expect(result.calls[1].waitingFor == "a has not ended (it is launched in this plan)")
        #expect(result.calls[2].waitingFor == "b has not started: it is itself waiting (a has not ended (it is launched in this plan))")
    }

    @Test func makesAPersistentChatWaitUntilItsSourceHasEnded() throws {
        let yaml = profileYAML("a") + "\n---\n" + profileYAML("b", "persistence: {rehydration: ENTIRE_PAST_SESSION, from: a}")
        let first = try plan(yaml)
        #expect(first.calls[1].waitingFor == "a has not ended (it is launched in this plan)")
        let running = try plan(yaml, lockfile: try launched(yaml, ["a"]))
        #expect(running.calls[1].waitingFor?.hasPrefix("a has not ended (its chat runs until ") == true)
        let ended = try plan(yaml, lockfile: try launched(yaml, ["a"], expires: fixedNow.addingTimeInterval(-1)))
        #expect(ended.calls[1].waitingFor == nil)
        #expect(ended.calls[1].action == .launch)
    }

    /// Issue 13: a source observed ended (or gone) by `chatctl refresh` before its expiry
    /// unblocks the chain; observed in its flow, it still waits, and the line says so and
    /// names the commands that move it on.
    @Test func anObservedEndUnblocksAPersistentChain() throws {
        let yaml = profileYAML("a") + "\n---\n" + profileYAML("b", "persistence: {rehydration: ENTIRE_PAST_SESSION, from: a}")
        var lockfile = try launched(yaml, ["a"])
        lockfile.entries["a"]?.observed = .init(state: .inFlow, refreshedAt: fixedNow.addingTimeInterval(-60))
        let waiting = try plan(yaml, lockfile: lockfile)
        #expect(waiting.calls[1].waitingFor?.hasSuffix(
            "; observed in-flow at \(RFC3339.string(from: fixedNow.addingTimeInterval(-60))); `chatctl refresh` records an earlier end, `chatctl stop a` ends it") == true)
        for state in [LockEntry.Observation.State.ended, .gone] {
            lockfile.entries["a"]?.observed = .init(state: state, refreshedAt: fixedNow.addingTimeInterval(-60))
            let moved = try plan(yaml, lockfile: lockfile)
            #expect(moved.calls[1].waitingFor == nil, "\(state)")
            #expect(moved.calls[1].action == .launch)
        }
    }

    @Test func ordersDependenciesFirst() throws {
        let yaml = profileYAML("a", "dependsOn: [c]") + "\n---\n" + profileYAML("b") + "\n---\n" + profileYAML("c", "dependsOn: [b]")
        #expect(actions(try plan(yaml)) == ["launch b", "launch c", "launch a"])
    }

    /// SPEC 13: graph walks are iterative. A chain of 100,000 profiles written in the
    /// reverse of its dependency order (each depends on the next one in the file) is
    /// planned with every dependency before its dependant, and nothing is lost or repeated.
    @Test func ordersAChainOf100000ProfilesDependenciesFirst() throws {
        let count = 100_000
        let base = try profiles(profileYAML("p"))[0]
        let chain = (0..<count).map { index in
            var profile = base
            profile.name = "p\(index)"
            profile.references = index + 1 < count
                ? [.init(kind: .dependsOn, target: "p\(index + 1)", location: base.location)] : []
            return profile
        }
        let result = try Planner().plan(chain, lockfile: Lockfile(), options: PlanOptions(), now: fixedNow)
        #expect(result.calls.count == count)
        var position: [String: Int] = [:]
        for (index, call) in result.calls.enumerated() { position[call.profile] = index }
        #expect(position.count == count, "every profile planned once")
        #expect(result.calls.first?.profile == "p\(count - 1)" && result.calls.last?.profile == "p0")
        let misordered = result.calls.filter { call in
            call.dependsOn.contains { (position[$0] ?? Int.max) > (position[call.profile] ?? -1) }
        }
        #expect(misordered.isEmpty, "\(misordered.prefix(3).map(\.profile)) planned before what they depend on")
        #expect(result.calls.allSatisfy { $0.action == .launch })
    }

    /// Profiles are prepared in slices on all cores, then planned in dependency order by
    /// their index: with enough profiles for many slices, each call still carries its own
    /// profile's request, region and digest, every profile is planned once, and the entries
    /// without a profile come last in name order.
    @Test func eachCallCarriesItsOwnProfilesPreparationAcrossSlices() throws {
        let count = 1_500
        let base = try profiles(profileYAML("p"))[0]
        let all = (0..<count).map { index in
            var profile = base
            profile.name = "p\(index)"
            profile.request.participantDetails.displayName = "Customer \(index)"
            profile.ownRegion = index % 3 == 0 ? "eu-west-\(index % 2 + 1)" : nil
            // Every seventh depends on the next: the dependency order is not the load order.
            profile.references = index % 7 == 0 && index + 1 < count
                ? [.init(kind: .dependsOn, target: "p\(index + 1)", location: base.location)] : []
            return profile
        }
        var lockfile = Lockfile(serial: 1)
        let gone = ["zz-gone", "a-gone", "m-gone", "b-gone", "y-gone", "c-gone", "x-gone", "d-gone"]
        for name in gone {
            lockfile.entries[name] = LockEntry(
                digest: "sha256:" + String(repeating: "0", count: 64), generation: 1, clientToken: "t", status: .stopped,
                contactId: "contact-\(name)", startedAt: fixedNow.addingTimeInterval(-7200), expiresAt: fixedNow.addingTimeInterval(-3600))
        }
        var options = PlanOptions()
        options.projectRegion = "us-east-1"
        let result = try Planner().plan(all, lockfile: lockfile, options: options, now: fixedNow)
        #expect(result.calls.count == count + gone.count)
        let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
        var mismatched: [String] = []
        for call in result.calls.prefix(count) {
            guard let profile = byName[call.profile], call.request == profile.request,
                  call.region == profile.ownRegion ?? "us-east-1",
                  call.digest == LaunchRequest.digest(of: profile, projectRegion: "us-east-1") else {
                mismatched.append(call.profile)
                continue
            }
        }
        #expect(mismatched.isEmpty, "\(mismatched.prefix(5)) carry another profile's preparation")
        #expect(Set(result.calls.prefix(count).map(\.profile)).count == count, "every profile planned once")
        #expect(result.calls.prefix(3).map(\.profile) == ["p1", "p0", "p2"], "a dependency before its dependant")
        // Sorted by name whatever the dictionary's order (8 names: 1 chance in 40,320 by luck).
        #expect(result.calls.suffix(gone.count).map(\.profile) == gone.sorted())
        #expect(result.calls.suffix(gone.count).allSatisfy { $0.action == .forget })
    }

    @Test func targetsBringTheirDependenciesAndNothingElse() throws {
        let yaml = profileYAML("a", "dependsOn: [b]") + "\n---\n" + profileYAML("b") + "\n---\n" + profileYAML("c")
        var options = PlanOptions()
        options.targets = ["a"]
        #expect(actions(try plan(yaml, options: options)) == ["launch b", "launch a"])
    }

    @Test func selectsByLabels() throws {
        var options = PlanOptions()
        options.selector = LabelSelector("team=care")
        let yaml = profileYAML("a") + "\n---\n" + profileYAML("b")
        #expect(actions(try plan(yaml, options: options)) == ["launch a"])
    }

    @Test func aSelectedProfileBringsWhatItDependsOn() throws {
        var options = PlanOptions()
        options.selector = LabelSelector("team=care")
        let yaml = profileYAML("a", "relatedContact: {from: b}") + "\n---\n" + profileYAML("b") + "\n---\n" + profileYAML("c")
        #expect(actions(try plan(yaml, options: options)) == ["launch b", "launch a"])
    }

    @Test func theSelectorFiltersTheTargets() throws {
        var options = PlanOptions()
        options.selector = LabelSelector("team=care")
        options.targets = ["a", "b"]
        let yaml = profileYAML("a") + "\n---\n" + profileYAML("b") + "\n---\n" + profileYAML("ab")
        #expect(actions(try plan(yaml, options: options)) == ["launch a"])
        options.targets = ["b"]
        #expect(throws: PlanError.self) { try plan(yaml, options: options) }
    }

    @Test func replaceForcesARelaunch() throws {
        let yaml = profileYAML("a")
        var options = PlanOptions()
        options.replace = ["a"]
        let result = try plan(yaml, lockfile: try launched(yaml, ["a"]), options: options)
        #expect(actions(result) == ["relaunch a"])
        #expect(result.calls[0].reason == "replacement requested (--replace)")
    }

    @Test func rejectsUnknownTargetsWithASuggestion() throws {
        var options = PlanOptions()
        options.targets = ["aa"]
        #expect(throws: PlanError.self) { try plan(profileYAML("a") + "\n---\n" + profileYAML("ab"), options: options) }
    }

    @Test func theDigestDependsOnTheRequestNotOnFormattingOrTheClientToken() throws {
        let compact = try profiles(profileYAML("a", "attributes: {x: '1', y: '2'}\nduration: 90"))[0]
        // The same request written differently: block style, other key order, other
        // quoting, comments, a duration in another unit, and an explicit client token.
        let spread = try profiles("""
            # the same profile, written by someone else
            kind: ChatLaunchProfile
            apiVersion: "chatctl/v1"
            metadata:
              labels: {team: care}
              name: "a"
            spec:
              clientToken: my-own-token-1   # chosen by hand
              participant:
                displayName: "Customer a"
              flow: '846ec553-a005-41c0-8341-0123456789ab'
              instance: 12345678-1234-1234-1234-123456789012
              duration: 1h30m
              attributes:
                y: "2"
                x: "1"
            """)[0]
        #expect(compact.clientToken == nil && spread.clientToken != nil, "the two differ in their token")
        let digest = LaunchRequest.digest(of: compact, projectRegion: nil)
        #expect(digest == LaunchRequest.digest(of: spread, projectRegion: nil))
        let otherToken = try profiles(profileYAML("a", "clientToken: another-token\nattributes: {x: '1', y: '2'}\nduration: 90"))[0]
        #expect(digest == LaunchRequest.digest(of: otherToken, projectRegion: nil))
        // The planner records the same digest and sends the explicit token as it is.
        let planned = try Planner().plan([spread], lockfile: Lockfile(), options: PlanOptions(), now: fixedNow)
        #expect(planned.calls.first?.digest == digest)
        #expect(planned.calls.first?.clientToken == "my-own-token-1")
        #expect(planned.calls.first?.request?.clientToken == nil, "the planned request carries no token until apply")

        let other = try profiles(profileYAML("a", "attributes: {x: '1', y: '3'}\nduration: 90"))[0]
        #expect(digest != LaunchRequest.digest(of: other, projectRegion: nil))
        #expect(digest != LaunchRequest.digest(of: compact, projectRegion: "eu-west-2"))
    }

    @Test func derivesTheSameTokenFromTheSameInputs() {
        let one = LaunchRequest.clientToken(profile: "a", digest: "sha256:x", generation: 1, serial: 1)
        #expect(one == LaunchRequest.clientToken(profile: "a", digest: "sha256:x", generation: 1, serial: 1))
        #expect(one != LaunchRequest.clientToken(profile: "a", digest: "sha256:x", generation: 2, serial: 1))
        // A profile forgotten and restored later restarts at generation 1, at a later serial.
        #expect(one != LaunchRequest.clientToken(profile: "a", digest: "sha256:x", generation: 1, serial: 5))
        #expect(one.hasPrefix("chatctl-a-g1-"))
        #expect(one.count <= 500)
    }

    @Test func aRestoredProfileGetsANewTokenAfterItsEntryWasForgotten() throws {
        let yaml = profileYAML("a")
        let first = try plan(yaml)
        var later = Lockfile(serial: 4)
        later.entries["other"] = nil
        let restored = try plan(yaml, lockfile: later)
        #expect(first.calls[0].generation == restored.calls[0].generation)
        #expect(first.calls[0].clientToken != restored.calls[0].clientToken)
    }

    @Test func theInputsDigestChangesWithTheProfiles() throws {
        let one = try plan(profileYAML("a"))
        let two = try plan(profileYAML("a", "duration: 2h"))
        #expect(one.inputsDigest != two.inputsDigest)
        #expect(one.inputsDigest == (try plan(profileYAML("a"))).inputsDigest)
    }

    @Test func theInputsDigestIsThatOfItsTextFormAtAnyLength() throws {
        // 1,200 profiles with long names: the lines are some 160 KB, fed to the digest in
        // pieces of 64 KiB; the result is the digest of the whole text, written out here.
        // Three kinds of line: launches (no lockfile), then unchanged calls (kept by their
        // summary's place in the plan from summaries) with a removed profile's entry
        // (`-` for its digest).
        let names = (0..<1_200).map { "profile-with-a-rather-long-name-to-make-long-lines-\($0)" }
        var yaml = names.map { profileYAML($0) }
        yaml[1] = profileYAML(names[1], "dependsOn: [\(names[0]), \(names[2])]")
        let first = try plan(yaml.joined(separator: "\n---\n"))
        var lockfile = Lockfile(serial: 1)
        for call in first.calls where call.profile != names[5] {
            lockfile.entries[call.profile] = LockEntry(
                digest: call.digest ?? "", generation: 1, clientToken: call.clientToken ?? "", status: .started,
                contactId: "contact-\(call.profile)", expiresAt: fixedNow.addingTimeInterval(3600))
        }
        lockfile.entries["removed"] = LockEntry(
            digest: "sha256:" + String(repeating: "0", count: 64), generation: 1, clientToken: "t", status: .stopped, contactId: "c")
        let second = try plan(yaml.joined(separator: "\n---\n"), lockfile: lockfile)
        #expect(Set(second.calls.map(\.action)) == [.launch, .unchanged, .forget])
        for plan in [first, second] {
            var text = "chatctl-plan-1\nprune=false\ntargets=[]\nreplace=[]\nselector=\n"
            for call in plan.calls {
                text += "\(call.profile)|\(call.digest ?? "-")|\(call.action.rawValue)|\(call.dependsOn.joined(separator: ","))\n"
            }
            #expect(text.utf8.count > 2 * 65_536)
            #expect(plan.inputsDigest == "sha256:" + SHA256.hexDigest(text))
        }
    }
}
