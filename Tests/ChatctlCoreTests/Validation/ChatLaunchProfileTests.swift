import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

/// A profile keeps its fields behind one shared reference (issue 15: a copy is one retain),
/// yet stays a value: changing a copy never changes the profile it was copied from.
@Suite struct ChatLaunchProfileTests {
    /// A project file in `folder` whose defaults set the instance and `participant`.
    static func writeProject(in folder: TemporaryFolder, participant: String) throws {
        try folder.write("chatctl.yaml", """
            apiVersion: chatctl/v1
            kind: Project
            spec:
              region: us-west-2
              defaults:
                instance: 12345678-1234-1234-1234-123456789012
                participant: \(participant)
            """)
    }

    /// Two valid profiles of one file, built by the validator as `plan` builds them.
    static func twoProfiles() throws -> [ChatLaunchProfile] {
        let folder = try TemporaryFolder()
        try writeProject(in: folder, participant: "{responseMode: INCREMENTAL}")
        try folder.write("profiles/two.yaml", """
            apiVersion: chatctl/v1
            kind: ChatLaunchProfile
            metadata: {name: first, labels: {team: a}}
            spec:
              flow: 846ec553-a005-41c0-8341-0123456789ab
              participant: {displayName: Ann}
              attributes: {tier: gold}
            ---
            apiVersion: chatctl/v1
            kind: ChatLaunchProfile
            metadata: {name: second, labels: {team: b}}
            spec:
              flow: 846ec553-a005-41c0-8341-0123456789ac
              participant: {displayName: Bob}
              dependsOn: [first]
            """)
        let result = try ProfileValidator().validate(paths: [folder.url.path])
        #expect(result.isValid)
        return result.profiles
    }

    @Test func changingACopyLeavesTheOriginalAsItWas() throws {
        let profiles = try Self.twoProfiles()
        let original = try #require(profiles.first)
        var copy = original
        copy.name = "renamed"
        copy.labels["team"] = "z"
        copy.relaunch = .never
        copy.fromDefaults = [["changed"]]
        copy.request.attributes = ["tier": "silver"]
        copy.durationMinutes = 5
        #expect(original.name == "first")
        #expect(original.labels == ["team": "a"])
        #expect(original.relaunch == .onChange)
        #expect(original.fromDefaults == [["instance"], ["participant", "responseMode"]])
        #expect(original.request.attributes == ["tier": "gold"])
        #expect(original.durationMinutes == nil)
        #expect(copy.name == "renamed" && copy.labels == ["team": "z"] && copy.relaunch == .never)
        #expect(copy.request.attributes == ["tier": "silver"] && copy.durationMinutes == 5)
    }

    @Test func changingAnArraysElementLeavesTheProfileCopiedFromIt() throws {
        let profiles = try Self.twoProfiles()
        var changed = profiles
        changed[1].references = []
        changed[1].contentTypes.append("text/markdown")
        #expect(profiles[1].references.map(\.target) == ["first"])
        #expect(profiles[1].contentTypes == ["text/plain"])
        #expect(changed[1].references.isEmpty && changed[1].contentTypes == ["text/plain", "text/markdown"])
    }

    @Test func aDumpShowsTheFieldsNotTheirBox() throws {
        let profile = try #require(try Self.twoProfiles().last)
        var text = ""
        dump(profile, to: &text)
        #expect(text.contains("name: \"second\""), "\(text)")
        #expect(text.contains("relaunch: ChatctlCore.ChatLaunchProfile.RelaunchPolicy.onChange"), "\(text)")
        #expect(!text.contains("FieldsBox"), "\(text)")
    }
}
