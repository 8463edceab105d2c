import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

/// `plan` and `apply` build their profiles from the one pass from libyaml's events to JSON
/// for every file that has nothing to report: the profiles, and the plans made of them,
/// must be exactly those the tree path builds (issue 15, item 2).
@Suite struct OnePassProfileTests {
    /// The profiles of `paths` by the one pass (where files allow it), by the tree path
    /// (every file composed as a tree), and by loading everything first.
    static func profilesThreeWays(_ paths: [String]) throws
        -> (onePass: [ChatLaunchProfile], tree: [ChatLaunchProfile], whole: [ChatLaunchProfile])
    {
        let validator = try ProfileValidator()
        var treeOnly = validator
        treeOnly.takesOnePass = false
        let onePass = validator.validate(paths: paths)
        let tree = treeOnly.validate(paths: paths)
        let whole = validator.validate(ProfileLoader().load(paths: paths))
        #expect(onePass.isValid && tree.isValid && whole.isValid, "\(StreamingValidationTests.render(tree))")
        #expect(StreamingValidationTests.render(onePass) == StreamingValidationTests.render(tree))
        return (onePass.profiles, tree.profiles, whole.profiles)
    }

    /// Every field a later stage reads.
    static func expectSame(
        _ one: [ChatLaunchProfile], _ other: [ChatLaunchProfile], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(one.map(\.name) == other.map(\.name), sourceLocation: sourceLocation)
        for (a, b) in zip(one, other) {
            #expect(a.labels == b.labels, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.file == b.file, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.location == b.location, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.fromDefaults == b.fromDefaults, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.request == b.request, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.instanceID == b.instanceID, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.ownRegion == b.ownRegion, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.clientToken == b.clientToken, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.unresolvedPersistenceSource == b.unresolvedPersistenceSource, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.unresolvedRelatedContact == b.unresolvedRelatedContact, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.durationMinutes == b.durationMinutes, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.contentTypes == b.contentTypes, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.references == b.references, "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.relaunch == b.relaunch, "\(a.name)", sourceLocation: sourceLocation)
            #expect((a.verify == nil) == (b.verify == nil), "\(a.name)", sourceLocation: sourceLocation)
            #expect(a.verify?.steps.count == b.verify?.steps.count, "\(a.name)", sourceLocation: sourceLocation)
        }
    }

    /// What a plan says of each call, in its order (the request, its digest and members,
    /// the decision and its reason, the changes member by member with where they come from).
    static func expectSamePlan(_ one: Plan, _ other: Plan, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(one.inputsDigest == other.inputsDigest, sourceLocation: sourceLocation)
        #expect(one.calls.map(\.profile) == other.calls.map(\.profile), sourceLocation: sourceLocation)
        for (a, b) in zip(one.calls, other.calls) {
            #expect(a.action == b.action && a.reason == b.reason, "\(a.profile)", sourceLocation: sourceLocation)
            #expect(a.dependsOn == b.dependsOn && a.region == b.region, "\(a.profile)", sourceLocation: sourceLocation)
            #expect(a.location == b.location, "\(a.profile)", sourceLocation: sourceLocation)
            #expect(a.changes == b.changes, "\(a.profile)", sourceLocation: sourceLocation)
            #expect(a.digest == b.digest && a.clientToken == b.clientToken, "\(a.profile)", sourceLocation: sourceLocation)
            #expect(a.definition?.request == b.definition?.request, "\(a.profile)", sourceLocation: sourceLocation)
            #expect(a.definition?.members == b.definition?.members, "\(a.profile)", sourceLocation: sourceLocation)
        }
    }

    /// Plans of `profiles` against an empty lockfile and against one whose every entry was
    /// launched with another definition and recorded no member values (so every member
    /// shows as a change, each saying whether the project's defaults supply it).
    static func plans(_ profiles: [ChatLaunchProfile]) throws -> [Plan] {
        let salt = "0123456789abcdef0123456789abcdef"
        var options = PlanOptions()
        options.projectRegion = "us-west-2"
        var entries: [String: LockEntry] = [:]
        for (index, profile) in profiles.enumerated() {
            entries[profile.name] = LockEntry(
                digest: "sha256:" + String(repeating: "0", count: 64), generation: 1, clientToken: "token-\(index)",
                status: .started, contactId: "contact-\(index)", members: [:])
        }
        return [
            try Planner().plan(profiles, lockfile: Lockfile(memberSalt: salt), options: options, now: fixedNow),
            try Planner().plan(profiles, lockfile: Lockfile(serial: 3, memberSalt: salt, entries: LockEntries(entries)), options: options, now: fixedNow),
        ]
    }

    @Test func buildsTheExamplesProfilesAsTheTreeDoes() throws {
        for folder in ["", "continuations"] {
            let path = StreamingValidationTests.examples.appendingPathComponent(folder).path
            let (onePass, tree, whole) = try Self.profilesThreeWays([path])
            #expect(onePass.count >= 3, "\(folder)")
            Self.expectSame(onePass, tree)
            Self.expectSame(onePass, whole)
            for (one, other) in zip(try Self.plans(onePass), try Self.plans(tree)) { Self.expectSamePlan(one, other) }
        }
    }

    /// The one pass finds a file's fields from the defaults once per shape of the
    /// profiles' own specs (``ChatLaunchProfile/defaultsShape(ownSpec:defaults:)``): profiles
    /// of one file that set the same top-level fields but other keys inside them, or the
    /// same keys again after others, each take exactly the fields the tree finds.
    @Test func profilesOfOneFileTakeTheFieldsFromTheDefaultsEachLeaves() throws {
        let folder = try TemporaryFolder()
        try folder.write("chatctl.yaml", """
            apiVersion: chatctl/v1
            kind: Project
            spec:
              region: us-west-2
              defaults:
                instance: 12345678-1234-1234-1234-123456789012
                flow: 846ec553-a005-41c0-8341-0123456789ab
                participant: {displayName: Bot, responseMode: COMPLETE}
                attributes: {launchedBy: chatctl, tier: gold}
            """)
        let specs = [
            "{participant: {displayName: Ann}}",
            "{participant: {displayName: Ann, responseMode: INCREMENTAL}}",
            "{participant: {displayName: Ann}}",
            "{attributes: {tier: silver}}",
            "{attributes: {launchedBy: me, tier: silver}}",
            "{attributes: {other: x}}",
            "{}",
            "{participant: {displayName: Ann}, attributes: {tier: silver}}",
            "{attributes: {tier: silver}}",
            "{instance: 4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d}",
        ]
        let documents = specs.enumerated().map { index, spec in
            "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: p\(index)}\nspec: \(spec)\n"
        }
        try folder.write("profiles/one.yaml", documents.joined(separator: "---\n"))
        let (onePass, tree, _) = try Self.profilesThreeWays([folder.url.path])
        #expect(onePass.count == specs.count)
        Self.expectSame(onePass, tree)
        #expect(onePass[0].fromDefaults.contains(["participant", "responseMode"]))
        #expect(!onePass[1].fromDefaults.contains(["participant", "responseMode"]))
        #expect(onePass[2].fromDefaults == onePass[0].fromDefaults)
        #expect(onePass[3].fromDefaults.contains(["attributes", "launchedBy"]))
        #expect(!onePass[4].fromDefaults.contains(["attributes", "launchedBy"]))
        #expect(onePass[6].fromDefaults.contains(["attributes"]) && onePass[6].fromDefaults.contains(["participant"]))
        #expect(!onePass[9].fromDefaults.contains(["instance"]) && onePass[8].fromDefaults.contains(["instance"]))
    }

    /// Equal shapes take equal fields (so a spec that leaves other fields to the defaults
    /// has another shape); past 64 bits there is no shape, and nothing is shared.
    @Test func aShapeDecidesTheFieldsFromTheDefaults() {
        let defaults: [String: JSONValue] = [
            "instance": .string("i"), "participant": .object(["displayName": .string("Bot"), "responseMode": .string("COMPLETE")]),
            "attributes": .object(["tier": .string("gold")]), "duration": .integer(90),
        ]
        let specs: [[String: JSONValue]] = [
            [:], ["instance": .string("j")], ["participant": .string("not a mapping")],
            ["participant": .object([:])], ["participant": .object(["responseMode": .string("INCREMENTAL")])],
            ["participant": .object(["displayName": .string("Ann")])],
            ["participant": .object(["displayName": .string("Ann"), "responseMode": .string("INCREMENTAL")])],
            ["attributes": .object(["tier": .string("x")]), "duration": .integer(5)],
            ["attributes": .object(["other": .string("x")])], ["flow": .string("f")],
        ]
        for left in specs {
            for right in specs {
                let shapes = (
                    ChatLaunchProfile.defaultsShape(ownSpec: left, defaults: defaults),
                    ChatLaunchProfile.defaultsShape(ownSpec: right, defaults: defaults))
                let fields = (
                    ChatLaunchProfile.fieldsFromDefaults(ownSpec: left, defaults: defaults),
                    ChatLaunchProfile.fieldsFromDefaults(ownSpec: right, defaults: defaults))
                #expect(shapes.0 != nil)
                if shapes.0 == shapes.1 { #expect(fields.0 == fields.1, "\(left) \(right)") }
            }
        }
        var wide: [String: JSONValue] = [:]
        for index in 0..<65 { wide["field\(index)"] = .integer(index) }
        #expect(ChatLaunchProfile.defaultsShape(ownSpec: [:], defaults: wide) == nil)
        wide["field0"] = nil
        #expect(ChatLaunchProfile.defaultsShape(ownSpec: [:], defaults: wide) != nil)
    }

    /// A project's defaults at one and two keys deep, taken whole, in part or not at all
    /// by each profile, in block and flow style; and a file the one pass gives up on
    /// (an anchor) next to files it takes.
    @Test func takesTheSameFieldsFromTheDefaultsAsTheTree() throws {
        let folder = try TemporaryFolder()
        try folder.write("chatctl.yaml", """
            apiVersion: chatctl/v1
            kind: Project
            spec:
              region: us-west-2
              defaults:
                instance: 12345678-1234-1234-1234-123456789012
                flow: 846ec553-a005-41c0-8341-0123456789ab
                duration: 90
                contentTypes: [text/plain, text/markdown]
                participant: {displayName: Bot, responseMode: COMPLETE}
                attributes: {launchedBy: chatctl, tier: gold}
                initialMessage: {contentType: text/plain, content: hello}
            """)
        var documents: [String] = []
        let specs = [
            "{}",
            "{participant: {displayName: Ann}}",
            "{participant: {displayName: Ann, responseMode: INCREMENTAL}, attributes: {tier: silver}}",
            "{attributes: {other: x}, duration: 2h, relaunch: never, contentTypes: [text/plain]}",
            "{initialMessage: {content: hi}, segmentAttributes: {connect:Subtype: {valueString: connect:Chat}}}",
            "{dependsOn: [p0], relaunch: always, flow: 7a3c9e15-2d4b-4f86-b1a0-9e8d7c6b5a43}",
            "{persistence: {from: p0, rehydration: FROM_SEGMENT}, participant: {customerId: c-1}}",
            "{relatedContact: {from: p1}, instance: 4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d, region: eu-west-2}",
        ]
        for (index, spec) in specs.enumerated() {
            documents.append("apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: p\(index), labels: {n: \"\(index)\"}}\nspec: \(spec)\n")
        }
        // Block style, two per file; the last file has an anchor, which only the tree takes.
        for start in stride(from: 0, to: documents.count, by: 2) {
            try folder.write("profiles/f\(start).yaml", documents[start] + "---\n" + documents[start + 1])
        }
        try folder.write("profiles/g.yaml", """
            apiVersion: chatctl/v1
            kind: ChatLaunchProfile
            metadata:
              name: &n anchored
            spec:
              participant:
                displayName: *n
            """)
        let (onePass, tree, whole) = try Self.profilesThreeWays([folder.url.path])
        #expect(onePass.count == specs.count + 1)
        #expect(onePass.contains { !$0.fromDefaults.isEmpty && $0.fromDefaults.contains(["participant", "responseMode"]) })
        Self.expectSame(onePass, tree)
        Self.expectSame(onePass, whole)
        let plans = (try Self.plans(onePass), try Self.plans(tree))
        for (one, other) in zip(plans.0, plans.1) { Self.expectSamePlan(one, other) }
        #expect(plans.0[1].calls.contains { $0.changes.contains(where: \.viaDefaults) })
        // Every file but the anchored one was taken by the one pass.
        let loader = ProfileLoader()
        let defaults = ProfileLoader.defaultsJSON(of: loader.discover(paths: [folder.url.path]).project)
        for start in stride(from: 0, to: documents.count, by: 2) {
            var diagnostics: [Diagnostic] = []
            let path = folder.path("profiles/f\(start).yaml")
            let bytes = try #require(loader.readBytes(path, into: &diagnostics))
            #expect(loader.cleanProfiles(in: bytes, file: path, defaults: defaults) != nil, "f\(start).yaml")
        }
    }
}
