import ChatctlCore
import Foundation
import Testing

/// `chatctl refresh` against `chatctl emulator`: what became of each chat, recorded in
/// `observed` and printed; boto3's DescribeContact sees what the model says.
@Suite struct RefreshCommandTests {
    static let script = ChatctlProcess.fixtures.appendingPathComponent("emulator/contact.py")
    static let model = ChatctlProcess.fixtures.appendingPathComponent("connect/describe-contact.model.json")

    /// boto3's StopContact or DescribeContact, as a JSON object.
    static func boto(_ emulator: EmulatorProcess, _ action: String, contact: String) throws -> [String: Any] {
        let python = try ConformancePython.find()
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment.merge(CommandFlagTests.credentials) { $1 }
        environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials"
        let run = try ChatctlProcess.runProgram(
            python,
            [script.path, emulator.endpoint, "us-east-1", action, CommandFlagTests.instance, contact, model.path],
            in: ChatctlProcess.packageRoot, environment: environment)
        try #require(run.status == 0, "contact.py: \(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func refresh(_ folder: URL, _ emulator: EmulatorProcess, _ flags: [String] = []) throws -> ChatctlProcess.Result {
        try ChatctlProcess.run(
            ["refresh", "--endpoint-url", emulator.endpoint, "--region", "us-east-1"] + flags + [folder.path],
            environment: CommandFlagTests.credentials)
    }

    static func advance(_ emulator: EmulatorProcess, seconds: Int) throws {
        let result = try ChatctlProcess.runProgram(
            URL(fileURLWithPath: "/usr/bin/curl"),
            ["-sS", "--noproxy", "*", "-X", "POST", emulator.endpoint + "/_emulator/advance?seconds=\(seconds)"],
            in: FileManager.default.temporaryDirectory, environment: [:])
        try #require(result.status == 0, "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(2)))
    func recordsStopExpiryAndGoneContactsAndSaysWhatChanged() throws {
        // Nobody connects to these chats: without --keep-unconnected-chats each would end
        // after the 5-minute connect window, and `short` could not be seen to expire.
        let emulator = try EmulatorProcess.start(
            ["--instance", CommandFlagTests.instance, "--seed", "21", "--keep-unconnected-chats"])
        defer { _ = emulator.stop() }
        let folder = try CommandFlagTests.repository([
            CommandFlagTests.document("intake"), CommandFlagTests.document("short", ["duration: 1h"]),
            CommandFlagTests.document("vanished"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let applied = try CommandFlagTests.apply(folder, emulator)
        try #require(applied.status == 0, "\(applied.stderr)")

        let first = try Self.refresh(folder, emulator, ["--detailed-exitcode"])
        #expect(first.status == 2, "\(first.stderr)")
        #expect(first.stdout.contains("~ intake: unobserved → in-flow\n"))
        #expect(first.stdout.contains("Refreshed 3 of 3 chats: 3 changed, 0 failed. Lockfile: \(folder.path)/chatctl.lock.json (serial 2)."))
        let unchanged = try Self.refresh(folder, emulator, ["--detailed-exitcode"])
        #expect(unchanged.status == 0, "\(unchanged.stdout)\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("0 changed"))

        let lockfile = try CommandFlagTests.lockfile(folder)
        let intake = try #require(lockfile.entries["intake"]?.contactId)
        #expect(try Self.boto(emulator, "stop", contact: intake)["status"] as? Int == 200)
        try Self.advance(emulator, seconds: 3700)
        // vanished's contact is one the emulator never had (as after Connect's retention).
        let path = folder.appendingPathComponent("chatctl.lock.json")
        let vanished = try #require(lockfile.entries["vanished"]?.contactId)
        let text = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: vanished, with: "ffffffff-0000-4000-8000-000000000000")
        try Data(text.utf8).write(to: path)

        let after = try Self.refresh(folder, emulator, ["--detailed-exitcode"])
        #expect(after.status == 2, "\(after.stderr)")
        #expect(after.stdout.contains("~ intake: in-flow → ended at "))
        #expect(after.stdout.contains("~ short: in-flow → ended at "))
        #expect(after.stdout.contains("~ vanished: in-flow → gone\n"))
        let refreshed = try CommandFlagTests.lockfile(folder)
        #expect(refreshed.entries["intake"]?.observed?.state == .ended)
        #expect(refreshed.entries["intake"]?.observed?.disconnectedAt != nil)
        let short = try #require(refreshed.entries["short"])
        // Its end as the emulator observed it: the lockfile's expiresAt is chatctl's estimate
        // (its own clock when the answer came, plus the duration), a second or more after
        // the emulator started the chat on a loaded machine (a ThreadSanitizer CI run,
        // 2026-12-07, crossed a second).
        #expect(short.observed?.state == .ended)
        let observedEnd = try #require(short.observed?.disconnectedAt)
        let estimatedEnd = try #require(short.expiresAt)
        #expect(abs(observedEnd.timeIntervalSince(estimatedEnd)) <= 10, "\(observedEnd) against \(estimatedEnd)")
        #expect(refreshed.entries["vanished"]?.observed?.state == .gone)
        #expect(refreshed.endpoint == .custom(url: emulator.endpoint))

        let json = try Self.refresh(folder, emulator, ["--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let profiles = document?["profiles"] as? [[String: Any]] ?? []
        #expect(profiles.map { $0["state"] as? String } == ["ended", "ended", "gone"])
        #expect(profiles.allSatisfy { $0["changed"] as? Bool == false })

        // status shows the observed state and its age.
        let status = try ChatctlProcess.run(["status", folder.path])
        #expect(status.stdout.hasPrefix("PROFILE"))
        #expect(status.stdout.split(separator: "\n").first?.hasSuffix("OBSERVED") == true)
        #expect(status.stdout.contains("gone (refreshed "), "\(status.stdout)")
        let statusJSON = try ChatctlProcess.run(["status", "--format", "json", folder.path])
        let listed = (try JSONSerialization.jsonObject(with: Data(statusJSON.stdout.utf8)) as? [String: Any])?["profiles"] as? [[String: Any]]
        #expect(listed?.compactMap { ($0["observed"] as? [String: Any])?["state"] as? String } == ["ended", "ended", "gone"])
    }

    /// Issue 13: boto3's describe_contact against `chatctl emulator` parses, and every
    /// member is one the model defines; a stopped contact has its DisconnectTimestamp.
    @Test(.timeLimit(.minutes(2)))
    func botoDescribesWhatTheModelSays() throws {
        let emulator = try EmulatorProcess.start(["--instance", CommandFlagTests.instance, "--seed", "22"])
        defer { _ = emulator.stop() }
        let folder = try CommandFlagTests.repository([CommandFlagTests.document("intake")])
        defer { try? FileManager.default.removeItem(at: folder) }
        try #require(try CommandFlagTests.apply(folder, emulator).status == 0)
        let contact = try #require(try CommandFlagTests.lockfile(folder).entries["intake"]?.contactId)

        let running = try Self.boto(emulator, "describe", contact: contact)
        #expect(running["unknown"] as? [String] == [])
        let described = try #require(running["contact"] as? [String: Any])
        #expect(described["Id"] as? String == contact)
        #expect(described["Channel"] as? String == "CHAT")
        #expect(described["InitiationTimestamp"] is Double)
        #expect(described["DisconnectTimestamp"] == nil)
        #expect(described["Attributes"] == nil && described["Customer"] == nil)

        #expect(try Self.boto(emulator, "stop", contact: contact)["status"] as? Int == 200)
        let stopped = try #require(try Self.boto(emulator, "describe", contact: contact)["contact"] as? [String: Any])
        #expect(stopped["DisconnectTimestamp"] is Double)
        let missing = try Self.boto(emulator, "describe", contact: "ffffffff-0000-4000-8000-000000000000")
        #expect(missing["status"] as? Int == 404 && missing["code"] as? String == "ResourceNotFoundException")
    }
}
