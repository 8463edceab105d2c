import Foundation
import Testing

/// `chatctl validate` run as a user runs it: the real binary, its stdout, stderr and exit code.
@Suite struct ValidateCommandTests {
    static let brokenRepo = ChatctlProcess.fixtures.appendingPathComponent("broken-repo")

    @Test func acceptsTheExamplesAndSaysSo() throws {
        let result = try ChatctlProcess.run(["validate", "examples/"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == "8 profiles in 9 files: valid\n")
    }

    @Test func quietPrintsNothingOnSuccess() throws {
        let result = try ChatctlProcess.run(["validate", "--quiet", "examples/"])
        #expect(result.status == 0)
        #expect(result.stdout == "")
    }

    @Test func reportsEveryProblemOfARunSortedWithExitCodeOne() throws {
        // No PATH: the current folder's chatctl.yaml is the project file.
        let result = try ChatctlProcess.run(["validate"], in: Self.brokenRepo)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        try GoldenFile.check(result.stderr, against: "validate-broken.txt")
    }

    @Test func printsStableJSON() throws {
        let result = try ChatctlProcess.run(["validate", "--format", "json"], in: Self.brokenRepo)
        #expect(result.status == 1)
        try GoldenFile.check(result.stdout, against: "validate-broken.json")
    }

    @Test func printsGitHubAnnotations() throws {
        let result = try ChatctlProcess.run(["validate", "--format", "github"], in: Self.brokenRepo)
        #expect(result.status == 1)
        try GoldenFile.check(result.stdout, against: "validate-broken.github")
    }

    @Test func choosesGitHubAnnotationsOnGitHubActions() throws {
        let result = try ChatctlProcess.run(["validate"], in: Self.brokenRepo, environment: ["GITHUB_ACTIONS": "true"])
        #expect(result.stdout.hasPrefix("::error file=chatctl.yaml,line=8,col=15,title=chatctl duration.range::"))
    }

    @Test func printsAMarkdownReport() throws {
        let result = try ChatctlProcess.run(["validate", "--format", "markdown"], in: Self.brokenRepo)
        #expect(result.status == 1)
        try GoldenFile.check(result.stdout, against: "validate-broken.md")
    }

    @Test func showsTheSourceLineAndACaretOnATerminal() throws {
        let result = try ChatctlProcess.runOnTerminal(["validate"], in: Self.brokenRepo, environment: ["NO_COLOR": "1"])
        #expect(result.status == 1)
        #expect(result.output.contains("""
            profiles/greetings.yaml:9:3: error: spec.durtion: unknown field\r
             9 |   durtion: 2h\r
               |   ^\r
              hint: did you mean "duration"?\r
            """))
        #expect(!result.output.contains("\u{1B}["))
    }

    @Test func coloursOnlyOnATerminalWithoutNoColor() throws {
        let terminal = try ChatctlProcess.runOnTerminal(["validate"], in: Self.brokenRepo)
        #expect(terminal.output.contains("\u{1B}[1;31merror:\u{1B}[0m"))
        let noColorFlag = try ChatctlProcess.runOnTerminal(["validate", "--no-color"], in: Self.brokenRepo)
        #expect(!noColorFlag.output.contains("\u{1B}["))
        let pipe = try ChatctlProcess.run(["validate"], in: Self.brokenRepo)
        #expect(!pipe.stderr.contains("\u{1B}["))
    }

    @Test func failsWhenNoProfileIsFound() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try ChatctlProcess.run(["validate"], in: empty)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: no profile found in .\n"))
    }

    @Test func reportsAMissingPathWithoutCrashing() throws {
        let result = try ChatctlProcess.run(["validate", "no/such/folder"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: no/such/folder: no such file or folder\n"))
    }

    @Test func survivesHostileFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(String(repeating: "[", count: 200_000).utf8).write(to: folder.appendingPathComponent("deep.yaml"))
        try Data([0xFF, 0xFE, 0x00, 0xD8]).write(to: folder.appendingPathComponent("utf16.yaml"))
        try Data("a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n".utf8)
            .write(to: folder.appendingPathComponent("bomb.yaml"))
        let result = try ChatctlProcess.run(["validate", folder.path])
        #expect(result.status == 1)
        let codes = ["yaml.alias-limit", "yaml.depth-limit", "yaml.encoding"]
        let json = try ChatctlProcess.run(["validate", "--format", "json", folder.path])
        for code in codes { #expect(json.stdout.contains("\"code\": \"\(code)\""), "\(code)") }
    }
}

@Suite struct SchemaCommandTests {
    @Test(arguments: [("profile", "chat-launch-profile.schema.json"), ("project", "project.schema.json"), ("lockfile", "lockfile.schema.json")])
    func printsTheSchemaFileByteForByte(which: String, file: String) throws {
        let result = try ChatctlProcess.run(["schema", which])
        #expect(result.status == 0)
        let expected = try String(contentsOf: ChatctlProcess.packageRoot.appendingPathComponent("schemas/\(file)"), encoding: .utf8)
        #expect(result.stdout == expected)
    }

    @Test func printsTheProfileSchemaByDefault() throws {
        #expect(try ChatctlProcess.run(["schema"]).stdout.contains("\"title\": \"chatctl chat-launch profile\""))
    }

    @Test func refusesAnUnknownSchemaNameWithAUsageError() throws {
        let result = try ChatctlProcess.run(["schema", "lock"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("'profile', 'project' or 'lockfile'"))
    }
}

@Suite struct RootCommandTests {
    @Test func printsItsVersion() throws {
        let result = try ChatctlProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "0.1.0\n")
    }

    @Test func listsItsCommandsInHelp() throws {
        let result = try ChatctlProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("validate"))
        #expect(result.stdout.contains("schema"))
    }
}
