import ChatctlCore
import Foundation
import Testing

/// `chatctl apply` against a separate emulator process: exit codes when some profiles
/// fail, `--fail-fast`, and the lockfile's lock held for the whole run.
@Suite struct ApplyOutcomeTests {
    static let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIDCHATCTLEMULATOR", "AWS_SECRET_ACCESS_KEY": "chatctl-emulator-secret",
        "AWS_EC2_METADATA_DISABLED": "true",
    ]

    /// A folder with one profile per name, in that order, in one file.
    static func project(_ names: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-outcome-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try write(names, to: folder)
        return folder
    }

    static func write(_ names: [String], to folder: URL) throws {
        let documents = names.map { name in
            """
            apiVersion: chatctl/v1
            kind: ChatLaunchProfile
            metadata: {name: \(name)}
            spec:
              instance: 12345678-1234-1234-1234-123456789012
              flow: 846ec553-a005-41c0-8341-0123456789ab
              participant: {displayName: Customer \(name)}
            """
        }
        try Data(documents.joined(separator: "\n---\n").utf8).write(to: folder.appendingPathComponent("profiles.yaml"))
    }

    static func apply(_ extra: [String], emulator: EmulatorProcess, in folder: URL) throws -> ChatctlProcess.Result {
        try ChatctlProcess.run(
            ["apply", "--yes", "--endpoint-url", emulator.endpoint, "--region", "us-east-1", "--concurrency", "1"] + extra,
            in: folder, environment: credentials)
    }

    @Test func someFailedProfilesExitWith3() throws {
        let emulator = try EmulatorProcess.start(["--max-active", "1", "--tps", "0"])
        defer { _ = emulator.stop() }
        let folder = try Self.project(["first", "second"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.apply([], emulator: emulator, in: folder)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("Apply finished with failures: 1 started, 1 failed."), "\(result.stdout)")
        #expect(result.stdout.contains("second") && result.stdout.contains("LimitExceededException"))
    }

    @Test func failFastSkipsWhatWasLeftButNotWhatWasUnchanged() throws {
        let emulator = try EmulatorProcess.start(["--max-active", "2", "--tps", "0"])
        defer { _ = emulator.stop() }
        let folder = try Self.project(["kept"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.apply([], emulator: emulator, in: folder).status == 0)
        // kept is unchanged; a starts (the second active chat); b meets the full quota;
        // --fail-fast leaves c unstarted.
        try Self.write(["kept", "a", "b", "c"], to: folder)
        let result = try Self.apply(["--fail-fast"], emulator: emulator, in: folder)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("Apply finished with failures: 1 started, 1 failed, 1 skipped."), "\(result.stdout)")
        #expect(result.stdout.contains("c: not started: --fail-fast after b failed"))
    }

    @Test func aSecondApplyCannotRunWhileTheFirstHoldsTheLock() throws {
        let folder = try Self.project(["only"])
        defer { try? FileManager.default.removeItem(at: folder) }
        // The first apply waits at its confirmation prompt, on a terminal, holding the lock.
        let first = Process()
        first.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        first.arguments = ["-q", "-e", "-c", "'\(try ChatctlProcess.binary.path)' apply --emulator --no-color", "/dev/null"]
        first.currentDirectoryURL = folder
        first.environment = ChatctlProcess.baseEnvironment
        let answer = Pipe()
        let output = folder.appendingPathComponent("first.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        first.standardInput = answer
        first.standardOutput = try FileHandle(forWritingTo: output)
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { first.terminate() } }
        var prompted = false
        for _ in 0..<1000 where !prompted && first.isRunning {
            prompted = (try? String(contentsOf: output, encoding: .utf8))?.contains("Apply these changes?") ?? false
            if !prompted { Thread.sleep(forTimeInterval: 0.02) }
        }
        try #require(prompted, "the first apply never asked")

        let second = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--lock-timeout", "0"], in: folder)
        #expect(second.status == 1)
        #expect(second.stderr.contains("error: chatctl.emulator.lock.json is locked by another chatctl command (an apply, refresh or stop)"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.emulator.lock.json").path))

        try answer.fileHandleForWriting.write(contentsOf: Data("no\n".utf8))
        try answer.fileHandleForWriting.close()
        first.waitUntilExit()
        #expect(first.terminationStatus == 1)
    }
}
