import Foundation
import Testing
@testable import ChatctlCore

/// What the validator says of a project file: its own paths, and hints for YAML 1.1 habits.
@Suite struct ProfileValidatorTests {
    static let profile = """
        apiVersion: chatctl/v1
        kind: ChatLaunchProfile
        metadata: {name: a}
        spec:
          instance: 12345678-1234-1234-1234-123456789012
          flow: 846ec553-a005-41c0-8341-0123456789ab
          participant: {displayName: Jane}

        """

    func validate(project: String) throws -> [Diagnostic] {
        let folder = try TemporaryFolder()
        try folder.write("chatctl.yaml", project)
        try folder.write("profiles/a.yaml", Self.profile)
        return try ProfileValidator().validate(paths: [folder.url.path]).diagnostics
    }

    @Test func aYAML11BooleanGetsAYAML12Hint() throws {
        let diagnostics = try validate(project: "apiVersion: chatctl/v1\nkind: Project\nspec:\n  apply: {prune: yes}\n")
        #expect(diagnostics.map(\.path) == ["spec.apply.prune"])
        #expect(diagnostics.first?.hint == "YAML 1.2 reads yes as a string, not a boolean; write true or false")
    }

    @Test func anUnknownProjectKeyKeepsItsOwnPath() throws {
        let diagnostics = try validate(project: "apiVersion: chatctl/v1\nkind: Project\nspec:\n  lokfile: x.json\n")
        #expect(diagnostics.map(\.path) == ["spec.lokfile"])
        #expect(diagnostics.first?.hint == "did you mean \"lockfile\"?")
    }

    @Test func aBadDefaultIsReportedOnceAtItsPathInTheProjectFile() throws {
        let diagnostics = try validate(project: "apiVersion: chatctl/v1\nkind: Project\nspec:\n  defaults: {duration: 30m}\n")
        #expect(diagnostics.map(\.path) == ["spec.defaults.duration"])
    }
}
