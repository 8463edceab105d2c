import Foundation
import Testing
@testable import ChatctlCore

@Suite struct ProfileLoaderTests {
    private let profile = """
        apiVersion: chatctl/v1
        kind: ChatLaunchProfile
        metadata: {name: NAME}
        spec:
          flow: f
        """

    private func named(_ name: String) -> String { profile.replacingOccurrences(of: "NAME", with: name) }

    @Test func readsYamlFilesRecursivelyInSortedOrderSkippingDotFolders() throws {
        let folder = try TemporaryFolder()
        try folder.write("b.yaml", named("b"))
        try folder.write("a/z.yml", named("z"))
        try folder.write("a/c.yaml", named("c"))
        try folder.write(".hidden/x.yaml", named("x"))
        try folder.write("notes.txt", "not yaml")
        let input = ProfileLoader().load(paths: [folder.url.path])
        #expect(input.diagnostics.isEmpty)
        #expect(input.files.map { ($0 as NSString).lastPathComponent } == ["c.yaml", "z.yml", "b.yaml"])
        #expect(input.profiles.map { $0.merged["metadata"]?["name"]?.scalar?.text } == ["c", "z", "b"])
    }

    @Test func usesTheProjectFilesProfilesAndMergesItsDefaultsDeeply() throws {
        let folder = try TemporaryFolder()
        try folder.write("chatctl.yaml", """
            apiVersion: chatctl/v1
            kind: Project
            spec:
              profiles: [team/]
              defaults:
                instance: i-default
                contentTypes: [text/plain, text/markdown]
                participant: {displayName: Bot, responseMode: INCREMENTAL}
            """)
        try folder.write("team/p.yaml", """
            apiVersion: chatctl/v1
            kind: ChatLaunchProfile
            metadata: {name: p}
            spec:
              flow: f
              contentTypes: [text/plain]
              participant: {displayName: Jane}
            """)
        try folder.write("ignored/q.yaml", named("q"))
        let input = ProfileLoader().load(paths: [folder.url.path])
        #expect(input.diagnostics.isEmpty)
        #expect(input.project != nil)
        #expect(input.profiles.count == 1)
        let spec = try #require(input.profiles.first?.merged["spec"])
        #expect(spec.jsonValue == .object([
            "flow": .string("f"),
            "instance": .string("i-default"),
            // Lists are replaced, not appended; mappings are merged member by member.
            "contentTypes": .array([.string("text/plain")]),
            "participant": .object(["displayName": .string("Jane"), "responseMode": .string("INCREMENTAL")]),
        ]))
        // A merged-in default keeps its position in chatctl.yaml.
        let instance = try #require(spec["instance"])
        #expect(instance.location.file.hasSuffix("chatctl.yaml"))
        #expect(instance.location.line == 6)
    }

    @Test func reportsAProjectDocumentOutsideTheProjectFile() throws {
        let folder = try TemporaryFolder()
        try folder.write("p.yaml", named("p") + "\n---\napiVersion: chatctl/v1\nkind: Project\nspec: {}\n")
        let input = ProfileLoader().load(paths: [folder.url.path])
        #expect(input.diagnostics.map(\.code) == ["document.project-misplaced"])
        #expect(input.diagnostics.first?.location?.line == 8)
    }

    @Test func reportsUnknownKindsWithASuggestion() throws {
        let folder = try TemporaryFolder()
        try folder.write("p.yaml", named("p") + "\n---\nkind: ChatLaunchProfil\n---\n- a list\n---\napiVersion: x\n")
        let input = ProfileLoader().load(paths: [folder.url.path])
        #expect(input.diagnostics.map(\.code) == ["document.kind", "document.not-mapping", "document.kind"])
        #expect(input.diagnostics.first?.hint == "did you mean ChatLaunchProfile?")
    }

    @Test func warnsAboutAFileWithoutProfilesWhenOthersHaveSome() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.yaml", named("a"))
        try folder.write("empty.yaml", "# nothing yet\n")
        let input = ProfileLoader().load(paths: [folder.url.path])
        #expect(input.diagnostics.map(\.code) == ["file.no-profiles"])
        #expect(input.diagnostics.first?.severity == .warning)
    }

    @Test func aRunWithoutAnyProfileIsAnError() throws {
        let folder = try TemporaryFolder()
        try folder.write("empty.yaml", "")
        let input = ProfileLoader().load(paths: [folder.url.path])
        #expect(input.diagnostics.map(\.code) == ["input.no-profiles"])
        #expect(input.diagnostics.first?.severity == .error)
    }

    @Test func reportsAPathThatDoesNotExist() {
        let input = ProfileLoader().load(paths: ["/nonexistent/chatctl-profiles"])
        #expect(input.diagnostics.map(\.code) == ["file.not-found", "input.no-profiles"])
    }

    @Test func joinsRelativePathsWithoutADotPrefix() {
        #expect(ProfileLoader.join(".", "profiles/a.yaml") == "profiles/a.yaml")
        #expect(ProfileLoader.join("examples", "./profiles/") == "examples/profiles/")
        #expect(ProfileLoader.join("examples/", "a.yaml") == "examples/a.yaml")
        #expect(ProfileLoader.join("examples", ".") == "examples")
    }
}
