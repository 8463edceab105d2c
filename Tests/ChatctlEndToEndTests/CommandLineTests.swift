import ChatctlCore
import Foundation
import Testing

/// Flags, formats and saved plans as a user meets them (issue 12 items 10 to 13): usage
/// errors before anything runs, every format honoured when profiles are invalid, saved
/// plans that read only what they recorded.
@Suite struct CommandLineTests {
    static let brokenRepo = ChatctlProcess.fixtures.appendingPathComponent("broken-repo")
    static let misspeltProject = ChatctlProcess.fixtures.appendingPathComponent("misspelt-project-kind")

    /// An empty temporary folder.
    static func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    // MARK: Usage errors (exit 64, before anything is read or started)

    @Test(arguments: [
        (["apply", "--concurrency", "0"], "--concurrency must be between 1 and 64, not 0"),
        (["apply", "--concurrency", "1000"], "--concurrency must be between 1 and 64, not 1000"),
        (["apply", "--max-attempts", "0"], "--max-attempts must be between 1 and 10, not 0"),
        (["apply", "--emulator", "--endpoint-url", "http://127.0.0.1:9"], "--emulator and --endpoint-url cannot be used together"),
        (["apply", "--format", "markdown"], "apply has no markdown output; use `chatctl plan --format markdown`"),
        (["apply", "--profile", "prod"], "unknown option '--profile'; did you mean '--aws-profile'?"),
        (["plan", "--selector", "=,="], "--selector =,=: write key=value, key!=value or key, separated by commas"),
        (["apply", "--selector", "=care"], "--selector =care: write key=value"),
        // Past a day, and past an Int's seconds (SIGINT once crashed apply printing 1e19).
        (["apply", "--grace", "1e19"], "--grace must be a number of seconds from 0 to 86400 (a day), not 1e+19"),
        (["apply", "--grace", "86401"], "--grace must be a number of seconds from 0 to 86400 (a day), not 86401"),
        (["apply", "--grace=-1"], "--grace must be a number of seconds from 0 to 86400 (a day), not -1"),
        // A region names hosts and signing scopes, the emulator's too.
        (["apply", "--region", "a/b"], "--region must be a region name such as us-west-2 (lowercase letters, digits and -), not \"a/b\""),
        (["plan", "--region", "US-WEST-2"], "--region must be a region name such as us-west-2"),
        // A flag's value is echoed with its control characters escaped.
        (["plan", "--selector", "a\u{1B}[2J=,"], "--selector a\\u{1B}[2J=,: write key=value"),
    ])
    func badFlagsAreUsageErrorsBeforeAnythingRuns(arguments: [String], message: String) throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.run(arguments + ["--emulator", "--yes"].filter { !arguments.contains($0) && arguments[0] == "apply" }, in: folder)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: \(message)"), "\(result.stderr)")
        // The command's own usage, not the root's.
        #expect(result.stderr.contains("Usage: chatctl \(arguments[0]) "))
        // Nothing ran: no plan printed, no emulator started, no lockfile written.
        #expect(result.stdout == "")
        #expect(!result.stderr.contains("Started the Amazon Connect emulator"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.lock.json").path))
    }

    /// A flag's value, a file's name: echoed in every format with control characters
    /// escaped, so that none can write escape sequences to a terminal or forge a line.
    @Test func diagnosticsEscapeTheControlCharactersOfFlagsAndFileNames() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = "odd\u{1B}[2J\u{202E}name"
        try Data("x".utf8).write(to: folder.appendingPathComponent("profiles/\(name).yaml"))
        for format in ["text", "github", "markdown"] {
            let validate = try ChatctlProcess.run(["validate", "--format", format], in: folder)
            #expect(validate.status == 1, "\(validate.stderr)")
            let printed = validate.stdout + validate.stderr
            #expect(printed.contains("odd\\u{1B}[2J\\u{202E}name.yaml"), "\(format): \(printed)")
            #expect(!printed.unicodeScalars.contains("\u{1B}") && !printed.unicodeScalars.contains("\u{202E}"), "\(format)")
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("profiles/\(name).yaml"))
        for flag in ["--target", "--selector"] {
            let plan = try ChatctlProcess.run(["plan", flag, "x\u{1B}]0;title\u{07}y"], in: folder)
            #expect(plan.status == 1, "\(plan.stderr)")
            #expect(plan.stderr.contains("\(flag) x\\u{1B}]0;title\\u{7}y: no profile"), "\(plan.stderr)")
            #expect(!plan.stderr.unicodeScalars.contains("\u{1B}") && !plan.stderr.unicodeScalars.contains("\u{07}"))
        }
    }

    /// A region from the environment that cannot name a host is said before any call, not
    /// refused by the service launch after launch.
    @Test func anInvalidRegionInTheEnvironmentStopsApplyBeforeAnyCall() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.run(
            ["apply", "--yes", "--endpoint-url", "http://127.0.0.1:9"], in: folder,
            environment: ["AWS_REGION": "us-west-2/x", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("error: AWS_REGION names an invalid region \"us-west-2/x\""), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.lock.json").path))
    }

    @Test func theEmulatorServesTheRegionAskedFor() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--region", "eu-west-2"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Started the Amazon Connect emulator on http://127.0.0.1:"))
        #expect(result.stderr.contains(" (region eu-west-2); its chats are recorded in chatctl.emulator.lock.json"))
        #expect(!result.stdout.contains("Started the Amazon Connect emulator"))
        // Without --region, the project's spec.region (us-west-2 in the examples).
        let fresh = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: fresh) }
        let again = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: fresh)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains(" (region us-west-2); its chats are recorded in chatctl.emulator.lock.json"), "\(again.stderr)")
    }

    // MARK: Formats when profiles are invalid

    @Test(arguments: [("json", "validate-broken.json"), ("markdown", "validate-broken.md"), ("github", "validate-broken.github")])
    func planAndApplyWriteTheDiagnosticsInTheFormatAsked(format: String, golden: String) throws {
        for command in [["plan"], ["apply", "--emulator", "--yes"]] where !(command[0] == "apply" && format == "markdown") {
            let result = try ChatctlProcess.run(command + ["--format", format], in: Self.brokenRepo)
            #expect(result.status == 1, "\(command)")
            // The same document validate writes, on standard output.
            try GoldenFile.check(result.stdout, against: golden)
        }
    }

    @Test func githubFormatOnPlanAnnotatesTheProblems() throws {
        let result = try ChatctlProcess.run(["plan", "--format", "github"], in: Self.brokenRepo)
        #expect(result.stdout.hasPrefix("::error file=chatctl.yaml,line=8,col=15,title=chatctl duration.range::"))
    }

    // MARK: Diagnostics of the project file

    @Test func aMisspeltProjectKindIsReportedOnceWithoutACascade() throws {
        let text = try ChatctlProcess.run(["validate"], in: Self.misspeltProject)
        #expect(text.status == 1)
        try GoldenFile.check(text.stderr, against: "validate-misspelt-project-kind.txt")
        let json = try ChatctlProcess.run(["validate", "--format", "json"], in: Self.misspeltProject)
        try GoldenFile.check(json.stdout, against: "validate-misspelt-project-kind.json")
    }

    @Test func aProfileFileOfUnknownKindGetsOneErrorAtPathKind() throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("apiVersion: chatctl/v1\nkind: ChatLaunchProfil\nmetadata: {name: a}\n".utf8)
            .write(to: folder.appendingPathComponent("a.yaml"))
        let result = try ChatctlProcess.run(["validate", "--format", "json", "a.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"path\": \"kind\""))
        #expect(!result.stdout.contains("no profile found"))
        #expect(result.stdout.components(separatedBy: "\"severity\"").count == 2)
    }

    // MARK: --quiet

    @Test func quietPlanAndStatusPrintOnlyWhatNeedsAttention() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try ChatctlProcess.run(["plan", "--quiet"], in: folder)
        #expect(before.status == 0)
        try GoldenFile.check(before.stdout, against: "plan-examples-quiet.txt")
        #expect(try ChatctlProcess.run(["apply", "--emulator", "--yes", "--quiet"], in: folder).status == 0)
        let after = try ChatctlProcess.run(["plan", "--emulator", "--quiet"], in: folder)
        #expect(after.status == 0)
        #expect(after.stdout == "")
        let status = try ChatctlProcess.run(["status", "--emulator", "--quiet"], in: folder)
        #expect(status.status == 0)
        #expect(status.stdout == "")
        #expect(try ChatctlProcess.run(["status", "--emulator"], in: folder).stdout.hasPrefix("PROFILE"))
    }

    @Test func quietApplyOnATerminalStillShowsThePlanItAsksAbout() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.runOnTerminal(["apply", "--emulator", "--quiet", "--no-color"], in: folder)
        #expect(result.status == 1)
        #expect(result.output.contains("Plan: 8 to launch, 0 to relaunch, 0 to stop."))
        #expect(result.output.contains("Apply these changes? Only 'yes' will be accepted: "))
    }

    // MARK: Saved plans

    @Test func aStalePlanHintRepeatsTheRecordedFlags() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try ChatctlProcess.run(["plan", "--selector", "team=care", "--out", "plan.json"], in: folder).status == 0)
        #expect(try ChatctlProcess.run(["apply", "--emulator", "--yes", "plan.json"], in: folder).status == 0)
        let again = try ChatctlProcess.run(["apply", "--emulator", "--yes", "plan.json"], in: folder)
        #expect(again.status == 1)
        #expect(again.stderr.contains("hint: another apply ran since; run `chatctl plan --selector team=care --no-prune --out plan.json` again and review it"))
    }

    @Test func aSavedPlanAppliedFromAnotherFolderReadsOnlyWhatItRecorded() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        let elsewhere = try Self.emptyFolder()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: elsewhere)
        }
        let plan = folder.appendingPathComponent("plan.json").path
        #expect(try ChatctlProcess.run(["plan", "--out", plan], in: folder).status == 0)
        // The folder apply runs in holds what would break a walk of it: a broken profile,
        // a FIFO and a lockfile of its own.
        try Data("kind: [".utf8).write(to: elsewhere.appendingPathComponent("broken.yaml"))
        _ = try ChatctlProcess.runProgram(URL(fileURLWithPath: "/usr/bin/mkfifo"), ["pipe.yaml"], in: elsewhere, environment: [:])
        try Data("not a lockfile".utf8).write(to: elsewhere.appendingPathComponent("chatctl.lock.json"))
        let applied = try ChatctlProcess.runBounded(["apply", "--emulator", "--yes", plan], in: elsewhere)
        #expect(!applied.killed)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("Apply complete: 8 started."))
        // The lockfile the plan recorded, next to the project.
        #expect(try ApplyCommandTests.lockfile(folder, "chatctl.lock.json").entries.count == 8)
        #expect(try String(contentsOf: elsewhere.appendingPathComponent("chatctl.lock.json"), encoding: .utf8) == "not a lockfile")
    }

    // MARK: What servers say, escaped

    @Test func statusEscapesControlCharactersInRecordedIds() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try ChatctlProcess.run(["apply", "--emulator", "--yes", "--quiet"], in: folder).status == 0)
        let lockfileURL = folder.appendingPathComponent("chatctl.emulator.lock.json")
        let lockfile = try ApplyCommandTests.lockfile(folder)
        let contact = try #require(lockfile.entries["vip-greeting"]?.contactId)
        let text = try String(contentsOf: lockfileURL, encoding: .utf8)
            .replacingOccurrences(of: "\"\(contact)\"", with: "\"\(contact)\\u001b[2J\\u0007\"")
        try Data(text.utf8).write(to: lockfileURL)
        let status = try ChatctlProcess.run(["status", "--emulator"], in: folder)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\(contact)\\u{1B}[2J\\u{7}"))
        #expect(!status.stdout.contains("\u{1B}"))
        #expect(!status.stdout.contains("\u{7}"))
    }

    @Test func aPersistentChatWhoseSourceIsMissingGetsAHintAboutTheSource() throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = { (name: String, instance: String, extra: String) in
            "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: \(name)}\nspec:\n  instance: \(instance)\n"
                + "  flow: 846ec553-a005-41c0-8341-0123456789ab\n  participant: {displayName: Jane}\n\(extra)"
        }
        try Data(profile("a", "12345678-1234-1234-1234-123456789012", "").utf8).write(to: folder.appendingPathComponent("a.yaml"))
        #expect(try ChatctlProcess.run(["apply", "--emulator", "--yes", "--quiet"], in: folder).status == 0)
        // a's chat has ended; b continues it from another instance, where Connect cannot find it.
        let lockfileURL = folder.appendingPathComponent("chatctl.emulator.lock.json")
        let stopped = try String(contentsOf: lockfileURL, encoding: .utf8)
            .replacingOccurrences(of: "\"status\": \"started\"", with: "\"status\": \"stopped\"")
        try Data(stopped.utf8).write(to: lockfileURL)
        try Data(profile("b", "22345678-1234-1234-1234-123456789012", "  persistence: {rehydration: ENTIRE_PAST_SESSION, from: a}\n").utf8)
            .write(to: folder.appendingPathComponent("b.yaml"))
        let result = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--quiet"], in: folder)
        #expect(result.status == 3)
        #expect(result.stdout.contains("error: b: ResourceNotFoundException: "))
        #expect(result.stdout.contains("  hint: the chat to continue (the chat of profile a) was not found in the instance: check spec.persistence"))
    }
}
