import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

/// Issue 17: per-member records in the lock entry, and the changes a plan derives from them.
@Suite struct RequestMembersTests {
    static let salt = "00112233445566778899aabbccddeeff"
    static let otherSalt = "ffeeddccbbaa99887766554433221100"

    /// A profile using every expanded member and every plain one.
    static let full = """
        apiVersion: chatctl/v1
        kind: ChatLaunchProfile
        metadata: {name: full}
        spec:
          instance: 12345678-1234-1234-1234-123456789012
          flow: 846ec553-a005-41c0-8341-0123456789ab
        """ + "\n" + """
        region: eu-west-2
        duration: 90m
        contentTypes: [text/plain, text/markdown]
        participant: {displayName: Jane Private, customerId: cust-4711, responseMode: INCREMENTAL}
        initialMessage: {contentType: text/plain, content: my card number is 4111}
        attributes: {tier: gold, note: call me at 555-0100}
        segmentAttributes: {order: case-778}
        persistence: {rehydration: ENTIRE_PAST_SESSION, sourceContactId: c-0001}
        disconnectOnCustomerExit: [AGENT]
        """.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")

    static func record(_ yaml: String, salt: String = salt) throws -> [String: MemberRecord] {
        let profile = try #require(try profiles(yaml).first)
        return RequestMembers.record(
            of: LaunchRequest.request(for: profile), region: LaunchRequest.declaredRegion(of: profile, projectRegion: nil),
            salt: salt)
    }

    @Test func recordsEachMemberOneLevelIntoTheMapsWithPlainValuesOnlyForNeverSensitiveOnes() throws {
        let record = try Self.record(Self.full)
        #expect(Set(record.keys) == [
            "InstanceId", "ContactFlowId", "ChatDurationInMinutes", "SupportedMessagingContentTypes",
            "ParticipantConfiguration", "DisconnectOnCustomerExit", "Region", "CustomerId",
            "ParticipantDetails.DisplayName", "InitialMessage.ContentType", "InitialMessage.Content",
            "Attributes.tier", "Attributes.note", "SegmentAttributes.order",
            "PersistentChat.RehydrationType", "PersistentChat.SourceContactId",
        ])
        #expect(record["ChatDurationInMinutes"] == .value(.integer(90)))
        #expect(record["Region"] == .value(.string("eu-west-2")))
        #expect(record["ParticipantConfiguration"] == .value(.object(["ResponseMode": .string("INCREMENTAL")])))
        for (member, value) in record {
            switch value {
            case .value: #expect(RequestMembers.plainMembers.contains(member), "\(member) is kept in plain")
            case .digest(let digest): #expect(digest.count == 64 && RequestMembers.isSensitive(member))
            }
        }
    }

    /// The promise of docs/lockfile.md: no attribute value, message, display name or
    /// customer id can be read back from the lockfile, nor looked up in a table of
    /// unsalted digests, and the same value in two lockfiles does not match.
    @Test func noSensitiveValueIsRecoverableFromTheLockfile() throws {
        let profile = try #require(try profiles(Self.full).first)
        let digest = LaunchRequest.digest(of: profile, projectRegion: nil)
        let entry = LockEntry(
            digest: digest, generation: 1, clientToken: "t", status: .started, contactId: "c-1",
            members: try Self.record(Self.full))
        let bytes = try LockfileCodec().encode(Lockfile(serial: 1, memberSalt: Self.salt, entries: ["full": entry]))
        let text = String(decoding: bytes, as: UTF8.self)
        let values = ["gold", "call me at 555-0100", "Jane Private", "cust-4711", "my card number is 4111", "case-778", "c-0001"]
        for value in values {
            #expect(!text.contains(value), "\(value) is stored")
            // Nor any unsalted digest of it: of the value, of its JSON form, with the member name.
            for form in [value, "\"\(value)\"", "{\"ValueString\":\"\(value)\"}"] {
                #expect(!text.contains(SHA256.hexDigest(form)), "an unsalted digest of \(value) is stored")
            }
        }
        let other = try Self.record(Self.full, salt: Self.otherSalt)
        let mine = try Self.record(Self.full)
        for member in mine.keys where RequestMembers.isSensitive(member) {
            #expect(mine[member] != other[member], "\(member) has the same digest under another salt")
        }
        // Two members holding the same value do not share a digest either.
        let twins = try Self.record(profileYAML("twins", "attributes: {a: same, b: same}"))
        #expect(twins["Attributes.a"] != twins["Attributes.b"])
    }

    @Test func listsPlainChangesFirstWithTheirValuesAndSensitiveOnesByKindOnly() throws {
        let before = try Self.record(profileYAML("p", "duration: 25h\nattributes: {tier: gold, old: x}"))
        let after = try Self.record(profileYAML("p", "duration: 90m\nattributes: {tier: silver, new: y}"))
        let changes = RequestMembers.changes(from: before, to: after) { _ in false }
        #expect(changes.map(\.summary) == [
            "ChatDurationInMinutes 1500 → 90", "Attributes.new added", "Attributes.old removed", "Attributes.tier changed",
        ])
        #expect(changes.filter(\.sensitive).allSatisfy { $0.before == nil && $0.after == nil })
        #expect(RequestMembers.changes(from: before, to: before) { _ in true }.isEmpty)
        let added = RequestMembers.changes(from: [:], to: ["Region": .value(.string("eu-west-1"))]) { _ in true }
        #expect(added.map(\.summary) == ["Region (none) → eu-west-1 via chatctl.yaml defaults"])
    }

    /// A member whose value is merged in from the project's `spec.defaults` is said to
    /// come from there; one the profile writes itself is not.
    @Test func knowsWhichMembersComeFromTheProjectDefaults() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("chatctl.yaml", """
            apiVersion: chatctl/v1
            kind: Project
            spec:
              defaults:
                duration: 3h
                attributes: {launchedBy: chatctl}
                participant: {responseMode: COMPLETE}
            """)
        _ = try folder.write("p.yaml", profileYAML("p", "attributes: {tier: gold}"))
        let result = try ProfileValidator().validate(ProfileLoader().load(paths: [folder.url.path]))
        let profile = try #require(result.profiles.first, "\(result.diagnostics.map(\.text))")
        for member in ["ChatDurationInMinutes", "Attributes.launchedBy", "ParticipantConfiguration"] {
            #expect(Planner.takesFromDefaults(member, profile: profile), "\(member)")
        }
        for member in ["Attributes.tier", "ContactFlowId", "ParticipantDetails.DisplayName", "Region", "Attributes.absent"] {
            #expect(!Planner.takesFromDefaults(member, profile: profile), "\(member)")
        }
    }

    /// The planner lists the changes only when the entry recorded its members, with the
    /// lockfile's salt; an entry without them keeps "definition changed".
    @Test func thePlannerComparesWithTheEntrysRecordAndKeepsTheOldReasonWithoutOne() throws {
        let old = try #require(try profiles(profileYAML("p", "duration: 25h")).first)
        let request = LaunchRequest.request(for: old)
        var entry = LockEntry(
            digest: LaunchRequest.digest(of: old, projectRegion: nil), generation: 1, clientToken: "t", status: .started,
            contactId: "c-1", members: RequestMembers.record(of: request, region: nil, salt: Self.salt))
        let lockfile = Lockfile(serial: 1, memberSalt: Self.salt, entries: ["p": entry])
        let current = try profiles(profileYAML("p", "duration: 90m"))
        let planned = try Planner().plan(current, lockfile: lockfile, options: PlanOptions(), now: Date())
        #expect(planned.calls.first?.changes.map(\.summary) == ["ChatDurationInMinutes 1500 → 90"])
        #expect(planned.calls.first?.reason == "definition changed")
        #expect(planned.calls.first?.definition?.members?["ChatDurationInMinutes"] == .value(.integer(90)))

        entry.members = nil
        let legacy = try Planner().plan(current, lockfile: Lockfile(serial: 1, memberSalt: Self.salt, entries: ["p": entry]), options: PlanOptions(), now: Date())
        #expect(legacy.calls.first?.changes.isEmpty == true)
        #expect(legacy.calls.first?.reason == "definition changed")
        // The next write records the members of an unchanged entry that has none.
        let unchanged = try Planner().plan([old], lockfile: Lockfile(serial: 1, memberSalt: Self.salt, entries: ["p": entry]), options: PlanOptions(), now: Date())
        let backfilled = Lockfile(serial: 1, memberSalt: Self.salt, entries: ["p": entry]).recordingMembers(of: unchanged)
        #expect(backfilled.entries["p"]?.members == RequestMembers.record(of: request, region: nil, salt: Self.salt))
    }

    /// Read from a file, an entry's members stay as bytes: a changed profile's plan still
    /// lists its changes from them, an unchanged profile's computes no members (nothing
    /// reads them), and a relaunch of an unchanged profile has them to record.
    @Test func thePlannerReadsAChangedEntrysMembersAsReadFromTheFileAndNoneOfAnUnchangedOne() throws {
        let old = try #require(try profiles(profileYAML("p", "duration: 25h")).first)
        let request = LaunchRequest.request(for: old)
        let entry = LockEntry(
            digest: LaunchRequest.digest(of: old, projectRegion: nil), generation: 1, clientToken: "t", status: .started,
            contactId: "c-1", members: RequestMembers.record(of: request, region: nil, salt: Self.salt))
        let bytes = try LockfileCodec().encode(Lockfile(serial: 1, memberSalt: Self.salt, entries: ["p": entry]))
        let read = try #require(LockfileDecoder.decode(bytes))
        guard case .encoded? = read.entries["p"]?.memberStorage else {
            Issue.record("the members were decoded while reading")
            return
        }
        let changed = try Planner().plan(
            try profiles(profileYAML("p", "duration: 90m")), lockfile: read, options: PlanOptions(), now: Date())
        #expect(changed.calls.first?.changes.map(\.summary) == ["ChatDurationInMinutes 1500 → 90"])

        let unchanged = try Planner().plan([old], lockfile: read, options: PlanOptions(), now: Date())
        #expect(unchanged.calls.first?.action == .unchanged)
        #expect(unchanged.calls.first?.definition?.members == nil)
        #expect(read.recordingMembers(of: unchanged) == read)

        var replace = PlanOptions()
        replace.replace = ["p"]
        let relaunch = try Planner().plan([old], lockfile: read, options: replace, now: Date())
        #expect(relaunch.calls.first?.action == .relaunch)
        #expect(relaunch.calls.first?.definition?.members == entry.members)
    }

    /// `plan` keeps the members in the lockfile's file and reads a changed entry's back from
    /// it: the planner itself checks, once the plan is made, that the file is still the one
    /// decoded, so a lockfile rewritten in place meanwhile (`cp` over it, `git show … >`) stops the
    /// plan, from profiles or from summaries, rather than list changes from the new bytes.
    @Test func aPlanStopsWhenTheLockfileItReadsMembersFromWasRewrittenInPlace() throws {
        let old = try #require(try profiles(profileYAML("p", "duration: 25h")).first)
        let entry = LockEntry(
            digest: LaunchRequest.digest(of: old, projectRegion: nil), generation: 1, clientToken: "t", status: .started,
            contactId: "c-1", members: RequestMembers.record(of: LaunchRequest.request(for: old), region: nil, salt: Self.salt))
        let bytes = try LockfileCodec().encode(Lockfile(serial: 1, memberSalt: Self.salt, entries: ["p": entry]))
        let folder = try TemporaryFolder()
        let current = try profiles(profileYAML("p", "duration: 90m"))
        func read(_ name: String) throws -> (path: String, lockfile: Lockfile) {
            let path = try folder.write(name, String(decoding: bytes, as: UTF8.self))
            // Written well before it is read, as a committed lockfile is: a rewrite within
            // the kernel's clock tick of the first write would keep its modification time.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: path)
            let lockfile = try LockfileStore(path: path).readReplayingJournal(membersInFile: true).lockfile
            guard case .inFile? = lockfile.entries["p"]?.memberStorage else {
                Issue.record("plan's read kept the members in memory")
                return (path, lockfile)
            }
            return (path, lockfile)
        }
        func summaryPlan(_ lockfile: Lockfile) throws(PlanError) -> Plan {
            try Planner().plan(
                summaries: current.map { ProfileSummary($0, projectRegion: nil) }, projectRegion: nil, lockfile: lockfile,
                options: PlanOptions(), now: Date(), reload: { wanted in
                    Dictionary(uniqueKeysWithValues: current.filter { p in wanted.contains { $0.name == p.name } }.map { ($0.name, $0) })
                })
        }

        let untouched = try read("untouched.lock.json").lockfile
        #expect(try Planner().plan(current, lockfile: untouched, options: PlanOptions(), now: Date()).calls.first?.changes
            .map(\.summary) == ["ChatDurationInMinutes 1500 → 90"])
        #expect(try summaryPlan(untouched).calls.first?.changes.map(\.summary) == ["ChatDurationInMinutes 1500 → 90"])

        // The same bytes written again in place: only the file's identity tells, and no
        // member read fails on its own (the records read back are the same).
        for fromSummaries in [false, true] {
            let (path, rewritten) = try read("rewritten-\(fromSummaries).lock.json")
            let writer = try #require(FileHandle(forWritingAtPath: path))
            try writer.write(contentsOf: Data(bytes))
            try writer.close()
            let error = #expect(throws: PlanError.self, "from summaries: \(fromSummaries)") {
                if fromSummaries {
                    _ = try summaryPlan(rewritten)
                } else {
                    _ = try Planner().plan(current, lockfile: rewritten, options: PlanOptions(), now: Date())
                }
            }
            #expect(error?.diagnostic.code == "lockfile.io")
            #expect(error?.diagnostic.message.hasPrefix("\(path): cannot read it: it changed while chatctl was reading it") == true)
        }
    }

    /// A plan reads an entry kept in the lockfile's file back once for a call that reads
    /// several of its fields (a relaunch, a removed profile's stop), not once per field: a
    /// plan of 100,000 removed profiles took six times as long before.
    @Test func aPlanReadsEachEntryItNeedsBackFromTheFileOnce() throws {
        let old = try #require(try profiles(profileYAML("p", "duration: 25h")).first)
        func entry(_ digest: String) -> LockEntry {
            LockEntry(
                digest: digest, generation: 1, clientToken: "t", status: .started, contactId: "c-1", region: "us-east-1",
                instance: "12345678-1234-1234-1234-123456789012", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                expiresAt: Date(timeIntervalSince1970: 4_000_000_000))
        }
        let same = try #require(try profiles(profileYAML("same")).first)
        var recorded = Lockfile(serial: 1)
        recorded.entries["p"] = entry(LaunchRequest.digest(of: old, projectRegion: nil))
        recorded.entries["same"] = entry(LaunchRequest.digest(of: same, projectRegion: nil))
        for name in ["gone-1", "gone-2", "gone-3"] { recorded.entries[name] = entry("sha256:" + String(repeating: "0", count: 64)) }
        let folder = try TemporaryFolder()
        let path = try folder.write("chatctl.lock.json", String(decoding: try LockfileCodec().encode(recorded), as: UTF8.self))
        let lockfile = try LockfileStore(path: path).readReplayingJournal(membersInFile: true).lockfile
        let file = try #require(lockfile.entries["p"]?.fileReadBackFrom)
        // From the full profiles (a JSON or saved plan), so the unchanged call is made whole.
        let current = try profiles(profileYAML("p", "duration: 90m") + "\n---\n" + profileYAML("same"))
        var options = PlanOptions()
        options.prune = true
        let plan = try Planner().plan(current, lockfile: lockfile, options: options, now: Date(timeIntervalSince1970: 1_795_000_100))
        #expect(plan.calls.map(\.action) == [.relaunch, .unchanged, .stop, .stop, .stop])
        // One read for each of four entries: the relaunch's and the three stops'; none for
        // the unchanged one, whose call reads only what its entry holds.
        #expect(file.reads == 4)
    }

    @Test func theRecordRoundTripsThroughTheLockfile() throws {
        let codec = try LockfileCodec()
        let entry = LockEntry(
            digest: "sha256:" + String(repeating: "a", count: 64), generation: 1, clientToken: "t", status: .started,
            contactId: "c-1", members: try Self.record(Self.full))
        let lockfile = Lockfile(serial: 1, memberSalt: Self.salt, entries: ["full": entry])
        #expect(try codec.decode(codec.encode(lockfile), file: "l") == lockfile)
        let badSalt = #"{"lockfileVersion": 3, "serial": 1, "memberSalt": "short", "entries": {}}"#
        #expect(throws: LockfileError.self) { try codec.decode(Array(badSalt.utf8), file: "l") }
        let both = #"{"lockfileVersion": 3, "serial": 1, "entries": {"a": {"digest": "sha256:\#(String(repeating: "a", count: 64))", "generation": 1, "clientToken": "t", "status": "pending", "members": {"Region": {"value": "x", "digest": "\#(String(repeating: "b", count: 64))"}}}}}"#
        #expect(throws: LockfileError.self) { try codec.decode(Array(both.utf8), file: "l") }
    }
}
