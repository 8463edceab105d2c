import Foundation
import Testing
@testable import ChatctlCore

/// A plan made from profile summaries (`plan`'s text and Markdown output, issue 15): what it
/// loads again, and that it refuses a profile edited while it was made. That it says what a
/// plan from the full profiles says is checked by every planner test (``planBothWays``).
@Suite struct SummaryPlanTests {
    private let yaml = [
        profileYAML("a"),
        profileYAML("b", "duration: 2h"),
        profileYAML("c", "relatedContact: {from: a}"),
        profileYAML("d"),
    ].joined(separator: "\n---\n")

    /// A lockfile in which every profile of `yaml` was launched as it is now, but `b` with
    /// another definition.
    private func launched(_ yaml: String) throws -> Lockfile {
        let first = try Planner().plan(try profiles(yaml), lockfile: Lockfile(), options: PlanOptions(), now: fixedNow)
        var lockfile = Lockfile(serial: 1)
        for call in first.calls {
            lockfile.entries[call.profile] = LockEntry(
                digest: call.profile == "b" ? "sha256:" + String(repeating: "0", count: 64) : call.digest ?? "",
                generation: 1, clientToken: call.clientToken ?? "", status: .started, contactId: "contact-\(call.profile)",
                startedAt: fixedNow.addingTimeInterval(-60), expiresAt: fixedNow.addingTimeInterval(3600))
        }
        // c's chat refers to a's current one: nothing forces c to relaunch.
        lockfile.entries["c"]?.relatedContactId = "contact-a"
        return lockfile
    }

    @Test func loadsAgainOnlyTheProfilesWhoseCallsMayShowARequest() throws {
        var reloaded = Set<String>()
        let plan = try planBothWays(yaml, lockfile: try launched(yaml), reloaded: { reloaded = $0 })
        #expect(plan.calls.map { "\($0.action.rawValue) \($0.profile)" } == ["unchanged a", "relaunch b", "unchanged c", "unchanged d"])
        // b changed; c refers to another profile, whose call might have made it relaunch.
        #expect(reloaded == ["b", "c"])
    }

    @Test func loadsNothingAgainWhenNothingChanges() throws {
        var lockfile = try launched(yaml)
        var reloaded: Set<String> = ["not called"]
        lockfile.entries["b"] = nil
        let plan = try planBothWays(yaml, lockfile: lockfile, reloaded: { reloaded = $0 })
        #expect(reloaded == ["b", "c"])
        let unchanged = [profileYAML("a"), profileYAML("d")].joined(separator: "\n---\n")
        _ = try planBothWays(unchanged, lockfile: try launched(unchanged), reloaded: { reloaded = $0 })
        #expect(reloaded.isEmpty)
        #expect(plan.calls.first { $0.profile == "b" }?.action == .launch)
    }

    @Test func aChangedProfileKeptByRelaunchNeverSaysWhatChanged() throws {
        // Unchanged, but its line (with --verbose) names the members that changed: its
        // definition is loaded again for them.
        let before = profileYAML("n", "relaunch: never\nduration: 2h")
        var lockfile = Lockfile(serial: 1)
        lockfile.memberSalt = "salt"
        let first = try Planner().plan(try profiles(before), lockfile: lockfile, options: PlanOptions(), now: fixedNow)
        let launch = try #require(first.calls.first?.launch)
        lockfile.entries["n"] = LockEntry(
            digest: launch.definition.digest, generation: 1, clientToken: launch.clientToken, status: .started,
            contactId: "contact-n", startedAt: fixedNow.addingTimeInterval(-60), expiresAt: fixedNow.addingTimeInterval(3600))
        lockfile.entries["n"]?.members = launch.definition.members
        var reloaded = Set<String>()
        let plan = try planBothWays(before.replacingOccurrences(of: "2h", with: "3h"), lockfile: lockfile, reloaded: { reloaded = $0 })
        #expect(plan.calls.map(\.action) == [.unchanged])
        #expect(plan.calls.first?.changes.map(\.summary) == ["ChatDurationInMinutes 120 → 180"])
        #expect(reloaded == ["n"])
    }

    @Test func anUnchangedCallKeptByItsSummarysPlaceReadsBackWhole() throws {
        // Unchanged calls of a plan from summaries are kept by their summary's place and
        // made again when read: both reasons (launched, stopped), what each depends on, its
        // token and generation.
        let all = yaml + "\n---\n" + profileYAML("e", "dependsOn: [d, a]")
        var lockfile = try launched(all)
        lockfile.entries["d"]?.status = .stopped
        lockfile.entries["e"]?.generation = 7
        let plan = try planBothWays(all, lockfile: lockfile)
        let calls = Dictionary(uniqueKeysWithValues: plan.calls.map { ($0.profile, $0) })
        #expect(calls["d"]?.reason == "stopped")
        #expect(calls["a"]?.reason == "launched")
        #expect(calls["e"]?.dependsOn == ["d", "a"])
        #expect(calls["e"]?.generation == 7)
        #expect(calls["e"]?.clientToken == lockfile.entries["e"]?.clientToken)
    }

    @Test func keepsByItsSummarysPlaceEveryCallThatShowsNoDefinition() throws {
        // a and d unchanged; b changed (relaunch); c refers to a (loaded, kept whole even
        // though unchanged); e stopped and unchanged. Only a, d and e are kept by place.
        let all = yaml + "\n---\n" + profileYAML("e", "dependsOn: [d]")
        var lockfile = try launched(all)
        lockfile.entries["e"]?.status = .stopped
        let folder = try TemporaryFolder()
        let (result, _) = try summarised(all, in: folder)
        let plan = try plan(result, lockfile: lockfile)
        #expect(plan.calls.map { "\($0.action.rawValue) \($0.profile)" } == [
            "unchanged a", "relaunch b", "unchanged c", "unchanged d", "unchanged e",
        ])
        #expect(plan.calls.countKeptByPlace == 3)
        #expect(plan.calls.filter { $0.definition == nil }.map(\.profile) == ["a", "d", "e"])
        #expect(plan.changes.map(\.profile) == ["b"])
        #expect(plan.calls.indices.map { plan.calls.action(at: $0) } == plan.calls.map(\.action))
        // The plan from the full profiles keeps every call whole, with its definition.
        let whole = try Planner().plan(try profiles(all), lockfile: lockfile, options: PlanOptions(), now: fixedNow)
        #expect(whole.calls.countKeptByPlace == 0)
        #expect(whole.calls.allSatisfy { $0.definition != nil })
    }

    /// Summaries of `yaml` in a file of a folder that lives as long as the test.
    private func summarised(_ yaml: String, in folder: TemporaryFolder) throws -> (ValidationResult, path: String) {
        let path = try folder.write("profiles.yaml", yaml)
        let result = try ProfileValidator().validate(ProfileLoader().discover(paths: [path]), searched: [path], keeping: .summaries)
        #expect(result.isValid, "\(result.diagnostics.map(\.text))")
        return (result, path)
    }

    private func plan(_ result: ValidationResult, lockfile: Lockfile) throws(PlanError) -> Plan {
        try Planner().plan(
            summaries: result.summaries, projectRegion: result.summaryProjectRegion, lockfile: lockfile,
            options: PlanOptions(), now: fixedNow, reload: { result.reloader?.profiles($0) ?? [:] })
    }

    @Test func refusesAProfileEditedWhileThePlanIsMade() throws {
        let folder = try TemporaryFolder()
        let lockfile = try launched(yaml)
        let edits: [(String, (String) throws -> Void)] = [
            ("another duration", { path in try yaml.replacingOccurrences(of: "2h", with: "3h").write(toFile: path, atomically: true, encoding: .utf8) }),
            ("another relaunch policy", { path in
                try yaml.replacingOccurrences(of: "duration: 2h", with: "duration: 2h\n  relaunch: never")
                    .write(toFile: path, atomically: true, encoding: .utf8)
            }),
            ("made invalid", { path in try yaml.replacingOccurrences(of: "2h", with: "thirty").write(toFile: path, atomically: true, encoding: .utf8) }),
            ("removed", { path in try FileManager.default.removeItem(atPath: path) }),
        ]
        for (edit, apply) in edits {
            let (result, path) = try summarised(yaml, in: folder)
            // Unedited, it plans.
            #expect(try plan(result, lockfile: lockfile).calls.count == 4)
            try apply(path)
            #expect(throws: PlanError.self, "\(edit)") { try plan(result, lockfile: lockfile) }
            do {
                _ = try plan(result, lockfile: lockfile)
            } catch {
                #expect(error.diagnostic.code == "plan.profile-changed", "\(edit)")
                #expect(error.diagnostic.location?.file == path, "\(edit)")
                #expect(error.diagnostic.message == "b changed while the plan was being made; nothing was planned", "\(edit)")
            }
        }
    }

    @Test func anEditToAProfileItDoesNotLoadAgainIsPlannedAsValidated() throws {
        // d is unchanged and refers to nothing: its definition is never read again, so
        // the plan is the one of the profiles as they were validated.
        let folder = try TemporaryFolder()
        let (result, path) = try summarised(yaml, in: folder)
        try (yaml + "\n---\n" + profileYAML("e")).replacingOccurrences(of: "Customer d", with: "Customer D")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try plan(result, lockfile: try launched(yaml))
        #expect(plan.calls.map { "\($0.action.rawValue) \($0.profile)" } == ["unchanged a", "relaunch b", "unchanged c", "unchanged d"])
    }

    /// The one pass summarises each profile from its parts, building it whole only when it
    /// is kept; a file the one pass leaves (an anchor) is summarised from its profiles whole.
    /// Either way each summary is the one its whole profile gives, with the project's region
    /// where the profile declares none, and a file's summaries share their file and region
    /// while the region stays the same.
    @Test func theOnePassSummarisesEachProfileAsItsWholeProfileWould() throws {
        let folder = try TemporaryFolder()
        try folder.write("chatctl.yaml", """
            apiVersion: chatctl/v1
            kind: Project
            spec:
              region: us-east-2
            """)
        func arnProfile(_ name: String, region: String) -> String {
            let instance = "arn:aws:connect:\(region):123456789012:instance/12345678-1234-1234-1234-123456789012"
            return """
                apiVersion: chatctl/v1
                kind: ChatLaunchProfile
                metadata: {name: \(name), labels: {team: care}}
                spec:
                  instance: \(instance)
                  flow: \(instance)/contact-flow/846ec553-a005-41c0-8341-0123456789ab
                  participant: {displayName: Customer \(name)}
                """
        }
        let first = try folder.write("profiles/one.yaml", [
            profileYAML("a"), profileYAML("b", "dependsOn: [a]\nclientToken: my-own-token-1\nrelaunch: never"),
            arnProfile("c", region: "eu-west-1"), arnProfile("d", region: "eu-west-1"),
            profileYAML("e", "region: ap-southeast-2\nduration: 2h"),
        ].joined(separator: "\n---\n"))
        let second = try folder.write("profiles/two.yaml", [
            profileYAML("f", "persistence: {rehydration: ENTIRE_PAST_SESSION, from: a}"), profileYAML("g"),
        ].joined(separator: "\n---\n"))
        // An anchor: only the tree path takes this file.
        let third = try folder.write("profiles/three.yaml", [
            profileYAML("h", "attributes: {tier: &tier gold, copy: *tier}"), profileYAML("i", "region: eu-west-1"),
        ].joined(separator: "\n---\n"))
        let paths = [folder.url.path]
        let validator = try ProfileValidator()
        let summarised = validator.validate(
            ProfileLoader().discover(paths: paths), searched: paths, keeping: .summaries(keepingWhole: { $0.name == "d" }))
        let whole = validator.validate(ProfileLoader().discover(paths: paths), searched: paths, keeping: .profiles)
        #expect(summarised.isValid && whole.isValid, "\(whole.diagnostics.map(\.text))")
        let loader = ProfileLoader()
        for (path, onePass) in [(first, true), (second, true), (third, false)] {
            var diagnostics: [Diagnostic] = []
            let bytes = try #require(loader.readBytes(path, into: &diagnostics))
            #expect((loader.cleanProfiles(in: bytes, file: path, defaults: nil) != nil) == onePass, "\(path)")
        }
        #expect(summarised.summaryProjectRegion == "us-east-2")
        // In the files' order: one, three, two.
        #expect(summarised.summaries.map(\.name) == ["a", "b", "c", "d", "e", "h", "i", "f", "g"])
        #expect(summarised.summaries == whole.profiles.map { ProfileSummary($0, projectRegion: "us-east-2") })
        #expect(summarised.summaries.map(\.region) == [
            "us-east-2", "us-east-2", "eu-west-1", "eu-west-1", "ap-southeast-2", "us-east-2", "eu-west-1", "us-east-2",
            "us-east-2",
        ])
        let summaries = summarised.summaries
        #expect(summaries.indices.dropFirst().map { summaries[$0].sharesOrigin(with: summaries[$0 - 1]) }
            == [true, false, true, false, false, false, false, true])
        // Only d was kept whole, and it is the profile validation builds.
        let reloader = try #require(summarised.reloader)
        #expect(reloader.kept.keys.sorted() == ["d"])
        OnePassProfileTests.expectSame([try #require(reloader.kept["d"])], whole.profiles.filter { $0.name == "d" })
    }

    @Test func aProfileKeptWholeIsNotReadAgain() throws {
        // Validation keeps b whole (its call will need it): the plan takes it as it is even
        // once its file is gone, while a profile not kept is read again and found gone.
        let folder = try TemporaryFolder()
        let path = try folder.write("profiles.yaml", yaml)
        let result = try ProfileValidator().validate(
            ProfileLoader().discover(paths: [path]), searched: [path], keeping: .summaries(keepingWhole: { $0.name == "b" }))
        #expect(result.profiles.isEmpty)
        #expect(result.summaries.map(\.name) == ["a", "b", "c", "d"])
        let reloader = try #require(result.reloader)
        try FileManager.default.removeItem(atPath: path)
        let summaries = result.summaries
        #expect(Set(reloader.profiles(summaries).keys) == ["b"])
        #expect(reloader.profiles([summaries[1]])["b"].map { ProfileSummary($0, projectRegion: nil) } == summaries[1])
        // The plan needs b (changed) and c (a reference): c is gone with its file.
        #expect(throws: PlanError.self) { try plan(result, lockfile: try launched(yaml)) }
    }

    /// A summary holds its profile's fields exactly, however they are laid out (issue 15:
    /// the first reference in the summary, the others, a hand-chosen token and a location
    /// beyond 32 bits behind one reference), and each field tells two summaries apart.
    @Test func aSummaryHoldsEveryFieldOfItsProfile() throws {
        let all = try profiles([
            profileYAML("a"),
            profileYAML("b", "dependsOn: [a]"),
            profileYAML("c", "dependsOn: [a, b]\nrelatedContact: {from: a}"),
            profileYAML("e", "persistence: {rehydration: ENTIRE_PAST_SESSION, from: b}"),
            profileYAML("d", "clientToken: my-own-token-1\nrelaunch: never"),
        ].joined(separator: "\n---\n"))
        #expect(MemoryLayout<ProfileSummary>.stride == 96, "the layout its comment gives")
        var wide = all[0]
        wide.location = SourceLocation(file: wide.location.file, line: Int(UInt32.max) + 1, column: 3)
        var wideColumn = all[0]
        wideColumn.location = SourceLocation(file: wideColumn.location.file, line: 2, column: Int(UInt32.max) + 7)
        var column17 = all[0]
        column17.location = SourceLocation(file: column17.location.file, line: 2, column: Int(UInt16.max) + 5)
        for profile in all + [wide, wideColumn, column17] {
            let summary = ProfileSummary(profile, projectRegion: "eu-west-2")
            #expect(summary.name == profile.name && summary.labels == profile.labels)
            #expect(summary.location == profile.location, "\(profile.name)")
            #expect(Array(summary.references.map(\.target)) == profile.references.map(\.target), "\(profile.name)")
            #expect(Array(summary.references.map(\.kind)) == profile.references.map(\.kind), "\(profile.name)")
            #expect(summary.references.count == profile.references.count && summary.references.isEmpty == profile.references.isEmpty)
            #expect(summary.clientToken == profile.clientToken && summary.relaunch == profile.relaunch)
            #expect(summary.region == LaunchRequest.declaredRegion(of: profile, projectRegion: "eu-west-2"))
            #expect(summary.digest == LaunchRequest.digest(of: profile, projectRegion: "eu-west-2"))
        }
        #expect(all[2].references.map(\.target) == ["a", "b", "a"], "\(all[2].references.map { "\($0.kind) \($0.target)" })")
        #expect(all[4].clientToken == "my-own-token-1" && all[3].references.count == 1)
        // Each profile's summary equals only its own (the same profile summarised twice).
        let summaries = (all + [wide, wideColumn]).map { ProfileSummary($0, projectRegion: nil) }
        for (index, summary) in summaries.enumerated() {
            for (other, otherSummary) in summaries.enumerated() {
                #expect((summary == otherSummary) == (index == other), "\(index) against \(other)")
            }
            #expect(summary == ProfileSummary((all + [wide, wideColumn])[index], projectRegion: nil))
        }
        // A field changed alone: labels, location, token, references' order.
        var relabelled = all[1]
        relabelled.labels["tier"] = "gold"
        var moved = all[1]
        moved.location.column += 1
        var reordered = all[2]
        reordered.references.swapAt(0, 1)
        for (changed, original) in [(relabelled, all[1]), (moved, all[1]), (reordered, all[2])] {
            #expect(ProfileSummary(changed, projectRegion: nil) != ProfileSummary(original, projectRegion: nil))
        }
    }

    /// A summary made after another shares its file and region only when both are the
    /// same, byte for byte: each still answers with its own profile's.
    @Test func summariesShareTheirFileAndRegionOnlyWhenTheyAreTheSame() throws {
        let all = try profiles([
            profileYAML("a"), profileYAML("b"), profileYAML("c", "region: eu-west-1"), profileYAML("d", "region: eu-west-1"),
            profileYAML("e"), profileYAML("f"), profileYAML("g"),
        ].joined(separator: "\n---\n"))
        var profiles = all
        // The same file name in another normal form (a precomposed é against e and an accent).
        profiles[5].location.file = "caf\u{E9}.yaml"
        profiles[6].location.file = "cafe\u{301}.yaml"
        var previous: ProfileSummary?
        var summaries: [ProfileSummary] = []
        for profile in profiles {
            let summary = ProfileSummary(profile, projectRegion: "us-east-1", after: previous)
            #expect(summary == ProfileSummary(profile, projectRegion: "us-east-1"), "\(profile.name)")
            #expect(summary.location.file.utf8.elementsEqual(profile.location.file.utf8), "\(profile.name)")
            #expect(summary.region == LaunchRequest.declaredRegion(of: profile, projectRegion: "us-east-1"), "\(profile.name)")
            summaries.append(summary)
            previous = summary
        }
        #expect(summaries[2].region == "eu-west-1" && summaries[4].region == "us-east-1")
        #expect(summaries.indices.dropFirst().map { summaries[$0].sharesOrigin(with: summaries[$0 - 1]) }
            == [true, false, true, false, false, false])
    }

    /// The planner's own summaries (a plan from the full profiles: apply, a JSON plan) are
    /// made on all cores in runs of consecutive profiles, in order, sharing their file and
    /// region within a run as the validation workers' do.
    @Test func thePlannersSummariesShareWithinEachRunAndKeepTheirOrder() throws {
        let count = Planner.summaryRunLength * 2 + 88
        let all = try profiles((0..<count).map { profileYAML("p\($0)", $0 == 300 ? "region: eu-west-1" : "") }.joined(separator: "\n---\n"))
        let summaries = Planner.summaries(of: all, projectRegion: "us-east-1")
        #expect(summaries.map(\.name) == all.map(\.name))
        for (summary, profile) in zip(summaries, all) {
            #expect(summary == ProfileSummary(profile, projectRegion: "us-east-1"), "\(profile.name)")
        }
        // Not shared: the first of each run, the one of another region and the one after it.
        let apart = summaries.indices.dropFirst().filter { !summaries[$0].sharesOrigin(with: summaries[$0 - 1]) }
        #expect(apart == [Planner.summaryRunLength, 300, 301, Planner.summaryRunLength * 2])
    }

    @Test func findsEachSummarysEntryWhateverTheSlicesLength() throws {
        // Ten profiles, half of them recorded, looked up in slices of every length: each
        // summary gets the entry of its own name, the last short slice included.
        let names = (0..<10).map { "p\($0)" }
        let summaries = try profiles(names.map { profileYAML($0) }.joined(separator: "\n---\n"))
            .map { ProfileSummary($0, projectRegion: nil) }
        var lockfile = Lockfile(serial: 1)
        for (index, name) in names.enumerated() where index.isMultiple(of: 2) {
            lockfile.entries[name] = LockEntry(digest: "sha256:" + String(repeating: "0", count: 64), generation: index + 1,
                                               clientToken: "token-\(name)", status: .started)
        }
        for sliceLength in [1, 3, 4, 9, 10, 64] {
            let entries = Planner.entries(of: summaries, in: lockfile, sliceLength: sliceLength)
            #expect(entries.map { $0?.clientToken } == names.map { lockfile.entries[$0]?.clientToken }, "slices of \(sliceLength)")
        }
        #expect(Planner.entries(of: [], in: lockfile).isEmpty)
    }

    @Test func refusesSummariesOfAnotherProjectRegion() throws {
        let folder = try TemporaryFolder()
        let (result, _) = try summarised(yaml, in: folder)
        var options = PlanOptions()
        options.projectRegion = "eu-west-2"
        #expect(throws: PlanError.self) {
            try Planner().plan(
                summaries: result.summaries, projectRegion: result.summaryProjectRegion, lockfile: Lockfile(), options: options,
                now: fixedNow, reload: { result.reloader?.profiles($0) ?? [:] })
        }
    }

    @Test func summariesTakeTheProjectRegionAndTheProjectDefaults() throws {
        // The digest of a profile without a region of its own takes the project's; a
        // default merged in from the project file is part of the request.
        let folder = try TemporaryFolder()
        _ = try folder.write(
            "chatctl.yaml", "apiVersion: chatctl/v1\nkind: Project\nspec:\n  region: eu-west-2\n  defaults: {duration: 90m}\n")
        _ = try folder.write("profiles/all.yaml", yaml)
        let validator = try ProfileValidator()
        let discovery = ProfileLoader().discover(paths: [folder.url.path])
        let full = validator.validate(discovery, searched: [folder.url.path], keeping: .profiles)
        let summarised = validator.validate(discovery, searched: [folder.url.path], keeping: .summaries)
        #expect(full.isValid && summarised.isValid)
        #expect(summarised.summaryProjectRegion == "eu-west-2")
        #expect(summarised.summaries.map(\.region) == ["eu-west-2", "eu-west-2", "eu-west-2", "eu-west-2"])
        #expect(summarised.summaries.map(\.digest) == full.profiles.map { LaunchRequest.digest(of: $0, projectRegion: "eu-west-2") })
        #expect(Set(summarised.summaries.map(\.digest)).count == 4)
        let reloader = try #require(summarised.reloader)
        let reloaded = reloader.profiles(summarised.summaries)
        #expect(reloaded.count == 4)
        for profile in full.profiles {
            #expect(reloaded[profile.name]?.request == profile.request)
            #expect(reloaded[profile.name]?.durationMinutes == (profile.name == "b" ? 120 : 90))
        }
        // Planned both ways with the project's region: the same plan, call by call, before
        // any apply and once all but b are launched as they are.
        var options = PlanOptions()
        options.projectRegion = "eu-west-2"
        var lockfile = Lockfile()
        for round in 0..<2 {
            let plan = try Planner().plan(full.profiles, lockfile: lockfile, options: options, now: fixedNow)
            let other = try Planner().plan(
                summaries: summarised.summaries, projectRegion: summarised.summaryProjectRegion, lockfile: lockfile,
                options: options, now: fixedNow, reload: reloader.profiles)
            expectSame(plan, other)
            #expect(plan.calls.filter { $0.action == .unchanged }.count == (round == 0 ? 0 : 3))
            lockfile = Lockfile(serial: 1)
            for call in plan.calls where call.profile != "b" {
                lockfile.entries[call.profile] = LockEntry(
                    digest: call.digest ?? "", generation: 1, clientToken: call.clientToken ?? "", status: .started,
                    contactId: "contact-\(call.profile)", startedAt: fixedNow.addingTimeInterval(-60),
                    expiresAt: fixedNow.addingTimeInterval(3600))
            }
        }
    }
}

/// Two files whose names are the same text written precomposed and decomposed (`café`) are
/// two files: each one's profiles are read, and a plan from summaries loads each again from
/// its own file.
@Suite struct CanonicallyEquivalentFileNameTests {
    static let precomposed = "caf\u{E9}.yaml"
    static let decomposed = "cafe\u{301}.yaml"

    /// A folder with the two files holding `texts` (precomposed, then decomposed); `nil`
    /// where the file system holds one name for both (APFS looks names up regardless of
    /// their normalisation: there is then nothing to tell apart).
    private func folder(_ texts: (String, String)) throws -> (TemporaryFolder, profiles: String)? {
        let folder = try TemporaryFolder()
        let profiles = folder.url.appendingPathComponent("profiles").path
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        for (file, text) in [(Self.precomposed, texts.0), (Self.decomposed, texts.1)] {
            #expect(FileManager.default.createFile(atPath: profiles + "/" + file, contents: Data(text.utf8)))
        }
        guard try FileManager.default.contentsOfDirectory(atPath: profiles).count == 2 else { return nil }
        return (folder, profiles)
    }

    @Test func bothFilesAreReadAndLoadedAgain() throws {
        guard let (folder, profiles) = try folder((profileYAML("nfc"), profileYAML("nfd"))) else { return }
        _ = folder

        let validator = try ProfileValidator()
        let full = validator.validate(paths: [profiles])
        #expect(full.isValid)
        #expect(full.profiles.map(\.name).sorted() == ["nfc", "nfd"])
        #expect(Set(full.profiles.map { Array($0.location.file.utf8) }).count == 2)

        let summarised = validator.validate(ProfileLoader().discover(paths: [profiles]), searched: [profiles], keeping: .summaries)
        let reloaded = try #require(summarised.reloader).profiles(summarised.summaries)
        #expect(reloaded.keys.sorted() == ["nfc", "nfd"])
        for summary in summarised.summaries {
            #expect(reloaded[summary.name].map { ProfileSummary($0, projectRegion: nil) } == summary)
        }
    }

    @Test func theyAreReadInTheOrderOfTheirBytesWhateverTheFoldersOrder() throws {
        // Equal as text, so only the bytes can order them: decomposed `e` (0x65) first.
        #expect(ProfileLoader.pathOrder("p/" + Self.decomposed, "p/" + Self.precomposed))
        #expect(!ProfileLoader.pathOrder("p/" + Self.precomposed, "p/" + Self.decomposed))
        #expect(!ProfileLoader.pathOrder("p/" + Self.precomposed, "p/" + Self.precomposed))
        #expect(ProfileLoader.pathOrder("a.yaml", "b.yaml") && !ProfileLoader.pathOrder("b.yaml", "a.yaml"))
        let shuffled = ["p/" + Self.precomposed, "p/b.yaml", "p/" + Self.decomposed, "p/a.yaml"]
        #expect(ProfileLoader.distinct(shuffled, besides: []) == ["p/a.yaml", "p/b.yaml", "p/" + Self.decomposed, "p/" + Self.precomposed])
        #expect(ProfileLoader.distinct(shuffled.reversed(), besides: []) == ProfileLoader.distinct(shuffled, besides: []))
    }

    @Test func eachProblemIsReportedInTheFileItIsIn() throws {
        // The same bad duration at the same line of both files: two errors, one in each;
        // a reference to no profile in the precomposed file only (read second): reported there.
        let bad = profileYAML("nfd", "duration: 99x")
        guard let (folder, profiles) = try folder((profileYAML("nfc", "duration: 99x\ndependsOn: [nope]"), bad)) else { return }
        _ = folder
        let result = try ProfileValidator().validate(paths: [profiles])
        let errors = result.diagnostics.filter { $0.severity == .error }
        let durations = errors.filter { $0.code == "duration.format" || $0.path == "spec.duration" }
        #expect(durations.count == 2, "\(errors.map(\.text))")
        #expect(Set(durations.compactMap { $0.location.map { Array($0.file.utf8) } }).count == 2)
        let reference = try #require(errors.first { $0.message.contains("nope") })
        #expect(reference.location.map { Array($0.file.utf8) } == Array((profiles + "/" + Self.precomposed).utf8))
        // A location names its file by its bytes.
        let line = SourceLocation(file: profiles + "/" + Self.precomposed, line: 1, column: 1)
        #expect(line != SourceLocation(file: profiles + "/" + Self.decomposed, line: 1, column: 1))
        #expect(line == SourceLocation(file: profiles + "/" + Self.precomposed, line: 1, column: 1))
    }
}
