import ChatctlCore
import Foundation
import Testing

/// `chatctl verify --emulator` and `chatctl apply --emulator --verify` over the examples'
/// support flow (examples/flows): the real binary, its in-process emulator running the flow,
/// the customer's side over the Participant Service and its WebSocket.
///
/// The flow greets with `Hi <name>, how can I help? (balance / agent)`; `balance` answers
/// `SYSTEM: Your balance is 42.00.` and ends the chat; `agent` queues it (no agent ever
/// comes). Time limits are the profiles' own short `timeout`/`within`.
@Suite struct VerifyCommandTests {
    static let flow = "846ec553-a005-41c0-8341-5f0d4b0c9a17"

    /// A project with the examples' flows and one profile per `(name, verify block)`; every
    /// customer named `customerID` when given.
    static func project(
        _ profiles: [(name: String, extra: String)], customerID: String? = nil, flow: String = flow
    ) throws -> URL {
        let customer = customerID.map { ", customerId: \($0)" } ?? ""
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: ChatctlProcess.packageRoot.appendingPathComponent("examples/flows"), to: folder.appendingPathComponent("flows"))
        try Data("""
            apiVersion: chatctl/v1
            kind: Project
            spec:
              region: us-east-1
              profiles: [profiles/]
              flows: flows/
              flowFixtures: flows/fixtures.yaml
              defaults: {instance: 4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d, duration: 2h}
            """.utf8).write(to: folder.appendingPathComponent("chatctl.yaml"))
        let profilesFolder = folder.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: profilesFolder, withIntermediateDirectories: true)
        for profile in profiles {
            try Data("""
                apiVersion: chatctl/v1
                kind: ChatLaunchProfile
                metadata: {name: \(profile.name)}
                spec:
                  flow: \(flow)
                  participant: {displayName: Sam\(customer)}
                \(profile.extra)
                """.utf8).write(to: profilesFolder.appendingPathComponent("\(profile.name).yaml"))
        }
        return folder
    }

    /// A `verify:` block (indented under spec) with these steps.
    static func verify(timeout: String = "10s", _ steps: [String]) -> String {
        "  verify:\n    timeout: \(timeout)\n    steps:\n" + steps.map { "      - \($0)\n" }.joined()
    }

    static let passing = verify([
        #"expect: {contains: "how can I help?"}"#,
        #"send: "balance""#,
        #"expect: {from: SYSTEM, matches: "(?i)your balance is \\d+"}"#,
        "expect: {event: chat-ended}",
    ])

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func mode(_ url: URL) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
    }

    /// Every answer to StartChatContact unreadable (a 200 without a ContactId): verify
    /// resends the same token rather than giving up on a chat that may exist, so one chat
    /// exists however many requests went, and the error says that it may have started.
    @Test func aLaunchWhoseAnswersAreLostIsResentWithItsTokenAndMakesOneChat() throws {
        let emulator = try EmulatorProcess.start([
            "--instance", "4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d", "--fault-rate", "1", "--faults", "malformed-200", "--seed", "7",
        ])
        defer { _ = emulator.stop() }
        let folder = try Self.project([("smoke", Self.passing)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ChatctlProcess.runBounded(
            ["verify", "--endpoint-url", emulator.endpoint], in: folder, killAfter: 60, environment: CommandFlagTests.credentials)
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("ERROR smoke: the launch failed: malformed-response: "), "\(run.stdout)")
        #expect(run.stdout.contains("the outcome is still unknown after 4 requests with the same client token"), "\(run.stdout)")
        let contacts = try emulator.adminContacts()
        #expect(contacts.count == 1, "one chat for the four requests: \(contacts.map(\.clientToken))")
    }

    /// An emulator and a project whose one profile waits for a message that never comes;
    /// `chatctl arguments…` run against them and sent SIGINT once its conversation began.
    static func interruptedWhileConversing(
        seed: String, _ arguments: (_ endpoint: String, _ folder: URL) -> [String]
    ) throws -> (emulator: EmulatorProcess, folder: URL, status: Int32, printed: String) {
        let emulator = try EmulatorProcess.start([
            "--instance", "4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d", "--keep-unconnected-chats", "--seed", seed,
        ])
        let folder = try Self.project([
            ("waits", Self.verify(timeout: "60s", ["send: hello", "expect: {contains: never-arrives}"])),
        ])
        let output = folder.appendingPathComponent("command.out")
        let process = try InterruptTests.background(arguments(emulator.endpoint, folder), output: output)
        let conversing = try InterruptTests.wait(while: process) {
            try emulator.adminContacts().contains { $0.state == "active" }
        }
        try #require(conversing, "the conversation began")
        Thread.sleep(forTimeInterval: 0.5)
        let (status, printed) = InterruptTests.interrupt(process, output: output)
        return (emulator, folder, status, printed)
    }

    /// SIGINT while a conversation waits for a message that never comes: it ends at once
    /// as interrupted (an error, not a failure of the flow), its chat is cleaned up, the
    /// reports are written, and verify exits 130. It used to exit silently and leave the
    /// chat running, unrecorded.
    @Test(.timeLimit(.minutes(2)))
    func anInterruptedVerifyEndsItsConversationsAndCleansUpTheirChats() throws {
        let (emulator, folder, status, printed) = try Self.interruptedWhileConversing(seed: "8") { endpoint, folder in
            ["verify", "--endpoint-url", endpoint, "--junit", folder.appendingPathComponent("junit.xml").path, folder.path]
        }
        defer { _ = emulator.stop(); try? FileManager.default.removeItem(at: folder) }
        #expect(status == 130, "\(printed)")
        #expect(printed.contains("ERROR waits: interrupted at step"), "\(printed)")
        #expect(printed.contains("0 passed, 0 failed, 1 errors, 0 skipped."), "\(printed)")
        #expect(printed.contains("Interrupted by SIGINT: the conversations in progress were ended and their chats cleaned up."))
        #expect(!printed.contains("timeout"), "an interruption is not a timeout: \(printed)")
        let contacts = try emulator.adminContacts()
        #expect(contacts.count == 1 && contacts.allSatisfy { $0.state != "active" }, "\(contacts.map(\.state))")
        let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains(#"type="interrupted""#) && junit.contains("errors=\"1\""), "\(junit)")
    }

    /// `apply --verify` interrupted while the conversation waits: once the grace is over the
    /// conversation ends as interrupted, nothing is recorded of it (no failed verification
    /// in the lockfile; the chat itself is recorded as started), and its chat is cleaned up.
    @Test(.timeLimit(.minutes(2)))
    func anInterruptedApplyVerifyRecordsNoVerdict() throws {
        let (emulator, folder, status, printed) = try Self.interruptedWhileConversing(seed: "9") { endpoint, folder in
            ["apply", "--yes", "--verify", "--grace", "1", "--endpoint-url", endpoint, folder.path]
        }
        defer { _ = emulator.stop(); try? FileManager.default.removeItem(at: folder) }
        #expect(status == 130, "\(printed)")
        #expect(printed.contains("its conversation was interrupted at step"), "\(printed)")
        #expect(!printed.contains("timeout"), "an interruption is not a timeout: \(printed)")
        let entry = try #require(try CommandFlagTests.lockfile(folder).entries["waits"])
        #expect(entry.status == .started)
        #expect(entry.verification == nil, "no verdict recorded")
        #expect(try emulator.adminContacts().allSatisfy { $0.state != "active" }, "its chat was cleaned up")
    }

    /// `--junit` naming a FIFO (as `/dev/stdout` or `/dev/null` would be): the report goes
    /// through it, and the FIFO is still there (it used to be replaced by a regular file,
    /// which, run as root on `/dev/null`, removes the device).
    @Test func aJUnitReportNamingAFIFOIsWrittenThroughIt() throws {
        let folder = try Self.project([("smoke", Self.passing)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("junit.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let run = try ChatctlProcess.runBounded(["verify", "--emulator", "--junit", "junit.fifo"], in: folder, killAfter: 60)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        var buffer = [UInt8](repeating: 0, count: 60_000)
        let count = read(reader, &buffer, buffer.count)
        let junit = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        #expect(junit.contains(#"<testcase name="smoke" classname="profiles/smoke.yaml""#), "\(junit)")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO, "the FIFO is still a FIFO")
    }

    @Test func aPassingScriptPassesAndWritesItsReports() throws {
        let folder = try Self.project([("smoke", Self.passing)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ChatctlProcess.run(
            ["verify", "--emulator", "--junit", "out/junit.xml", "--transcripts", "out/transcripts"], in: folder)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("PASS smoke ("))
        #expect(run.stdout.hasSuffix("1 passed, 0 failed, 0 errors, 0 skipped.\n"))
        #expect(!run.stderr.contains("cleanup"), "the ended chat needs no cleanup call that fails")
        #expect(run.stderr.contains("(region us-east-1); its test chats are recorded in no lockfile."), "\(run.stderr)")

        let junit = try String(contentsOf: folder.appendingPathComponent("out/junit.xml"), encoding: .utf8)
        #expect(junit.contains(#"<testsuite name="chatctl verify" tests="1" failures="0" errors="0" skipped="0""#))
        #expect(junit.contains(#"<testcase name="smoke" classname="profiles/smoke.yaml""#))
        #expect(!junit.contains("<failure"))
        #expect(try Self.mode(folder.appendingPathComponent("out/junit.xml")) == 0o600)

        let file = folder.appendingPathComponent("out/transcripts/smoke.transcript.json")
        #expect(try Self.mode(file) == 0o600)
        let transcript = try Self.json(file)
        #expect(transcript["profile"] as? String == "smoke")
        #expect(transcript["status"] as? String == "passed")
        #expect(transcript["failure"] == nil)
        let items = try #require(transcript["items"] as? [[String: Any]])
        let lines = items.map { "\($0["role"] as? String ?? "-") \($0["type"] as? String ?? "") \($0["content"] as? String ?? ($0["contentType"] as? String ?? ""))" }
        #expect(lines.contains("CUSTOM_BOT MESSAGE Hi Sam, how can I help? (balance / agent)"))
        #expect(lines.contains("CUSTOMER MESSAGE balance"))
        #expect(lines.contains("SYSTEM MESSAGE Your balance is 42.00."))
        #expect(lines.last?.hasSuffix(ConversationItem.chatEndedType) == true)
        // Only the documented keys: no participant id, contact id or token.
        let allowed: Set<String> = ["type", "role", "displayName", "contentType", "content", "time", "completed"]
        #expect(items.allSatisfy { Set($0.keys).isSubset(of: allowed) })
        #expect(Set(transcript.keys) == ["profile", "status", "startedAt", "finishedAt", "items"])

        // A test chat is never recorded as the profile's chat.
        let lockfile = folder.appendingPathComponent("chatctl.emulator.lock.json")
        if FileManager.default.fileExists(atPath: lockfile.path) {
            #expect(try LockfileStore(path: lockfile.path).read().entries.isEmpty)
        }
    }

    /// The examples' VIP flow (Compare on `$.Attributes.loyaltyTier`): a platinum customer
    /// gets the account manager and the queue, another tier the greeting and the end; a
    /// script that expects the VIP branch for a silver customer fails when the chat ends.
    @Test func theVIPFlowBranchesOnAnAttributeAndAScriptFollowsEachBranch() throws {
        let vipFlow = "5e8f1a2b-9c3d-4e7f-8a6b-1d2c3e4f5a6b"
        func attributes(_ tier: String) -> String {
            "  attributes: {loyaltyTier: \(tier), accountManager: Dana}\n"
        }
        let vipSteps = [
            #"expect: {from: SYSTEM, contains: "thanks for contacting us"}"#,
            #"expect: {from: SYSTEM, equals: "Your account manager Dana will be with you shortly."}"#,
            "expect: {event: queued}",
        ]
        let folder = try Self.project(
            [
                ("platinum", attributes("platinum") + Self.verify(vipSteps)),
                ("silver", attributes("silver") + Self.verify([
                    #"expect: {from: SYSTEM, contains: "a silver member"}"#, "expect: {event: chat-ended}",
                ])),
                ("silver-as-vip", attributes("silver") + Self.verify(vipSteps)),
            ], flow: vipFlow)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ChatctlProcess.run(["verify", "--emulator"], in: folder)
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("PASS platinum ("))
        // The silver chats end as soon as the flow has greeted: the customer's catch-up
        // GetTranscript is refused (403), and the socket still carries the whole chat.
        #expect(run.stdout.contains("PASS silver ("))
        #expect(run.stdout.contains("FAIL silver-as-vip: step 2 "), "\(run.stdout)")
        #expect(run.stdout.contains("chat ended"), "\(run.stdout)")
        #expect(run.stdout.hasSuffix("2 passed, 1 failed, 0 errors, 0 skipped.\n"), "\(run.stdout)")
    }

    @Test func eachMismatchFailsAtItsStepShowingWhatArrived() throws {
        let greet = #"expect: {contains: "how can I help?"}"#
        let folder = try Self.project([
            ("wrong-text", Self.verify([greet, #"send: "balance""#, #"expect: {from: SYSTEM, contains: "99.00"}"#])),
            ("wrong-role", Self.verify([greet, #"send: "balance""#, #"expect: {from: AGENT, contains: "balance is"}"#])),
            ("timeout", Self.verify([greet, #"send: "agent""#, #"expect: {from: AGENT, contains: "Hello", within: 2s}"#])),
            ("ended-early", Self.verify([greet, #"send: "balance""#, #"expect: {from: SYSTEM, contains: "42.00"}"#, #"expect: {contains: "anything else?"}"#])),
            ("never-queued", Self.verify([greet, #"send: "balance""#, "expect: {event: queued}"])),
            ("queues", Self.verify([greet, #"send: "agent""#, "expect: {event: queued, within: 5s}"])),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ChatctlProcess.run(
            ["verify", "--emulator", "--format", "json", "--junit", "junit.xml", "--transcripts", "t"], in: folder)
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require(document["results"] as? [[String: Any]])
        var byName: [String: [String: Any]] = [:]
        for result in results { byName[result["profile"] as? String ?? ""] = result }
        func check(_ name: String, step: Int, reason: String, _ fragments: [String]) {
            let result = byName[name] ?? [:]
            #expect(result["status"] as? String == "failed", "\(name)")
            #expect(result["failedStep"] as? Int == step, "\(name)")
            #expect(result["reason"] as? String == reason, "\(name): \(result)")
            let message = result["message"] as? String ?? ""
            for fragment in fragments { #expect(message.contains(fragment), "\(name): \(message)") }
        }
        check("wrong-text", step: 3, reason: "wrong-text", [#"SYSTEM "Your balance is 42.00.""#])
        check("wrong-role", step: 3, reason: "wrong-role", [#"SYSTEM "Your balance is 42.00.""#])
        check("timeout", step: 3, reason: "timeout", ["2s"])
        check("ended-early", step: 4, reason: "chat-ended-early", [])
        check("never-queued", step: 3, reason: "never-queued", [])
        #expect(byName["queues"]?["status"] as? String == "passed", "DescribeContact's enqueue time is seen")
        #expect((document["summary"] as? [String: Int])?["failed"] == 5)

        let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains(#"tests="6" failures="5" errors="0""#))
        #expect(junit.contains(#"type="wrong-text">step 3 (expect a SYSTEM message that contains &quot;99.00&quot;) failed"#))
        let failed = try Self.json(folder.appendingPathComponent("t/wrong-role.transcript.json"))
        let failure = try #require(failed["failure"] as? [String: Any])
        #expect(failure["step"] as? Int == 3)
        #expect(failure["reason"] as? String == "wrong-role")
        #expect(failed["status"] as? String == "failed")
    }

    /// The examples' own smoke test passes against the emulator running the examples' flows.
    @Test func theExamplesSmokeTestPasses() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ChatctlProcess.run(["verify", "--emulator", "--target", "smoke-support-flow"], in: folder)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("PASS smoke-support-flow ("))
    }

    @Test func showsALiveProgressLineOnATerminal() throws {
        let folder = try Self.project([("smoke", Self.passing)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ChatctlProcess.runOnTerminal(["verify", "--emulator", "--no-color"], in: folder)
        #expect(result.status == 0, "\(result.output)")
        // Rewritten in place (carriage return, erase line), then cleared before the report.
        #expect(result.output.contains("\r\u{1B}[K[0/1] verifying…"))
        #expect(result.output.contains("\r\u{1B}[K[1/1] verified smoke"))
        #expect(result.output.contains("\r\u{1B}[KPASS smoke ("), "\(result.output)")
    }

    @Test func usageAndSetupErrorsExitOne() throws {
        let folder = try Self.project([("plain", ""), ("smoke", Self.passing)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let noVerify = try ChatctlProcess.run(["verify", "--emulator", "--target", "plain"], in: folder)
        #expect(noVerify.status == 1)
        #expect(noVerify.stderr.contains("--target plain: this profile has no spec.verify"))
        let unknown = try ChatctlProcess.run(["verify", "--emulator", "--target", "nobody"], in: folder)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--target nobody: no profile has this name"))
        let none = try ChatctlProcess.run(["verify", "--emulator", "--selector", "team=none"], in: folder)
        #expect(none.status == 1)
        #expect(none.stderr.contains("no selected profile has spec.verify"))
        let both = try ChatctlProcess.run(["verify", "--emulator", "--endpoint-url", "http://127.0.0.1:9"], in: folder)
        #expect(both.status == 64)
        let reportsWithoutVerify = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--junit", "j.xml"], in: folder)
        #expect(reportsWithoutVerify.status == 64)
        #expect(reportsWithoutVerify.stderr.contains("add --verify"))
    }

    @Test func applyVerifyFailsTheProfileAndSkipsItsDependants() throws {
        let failing = Self.verify([#"expect: {contains: "how can I help?"}"#, #"send: "balance""#, #"expect: {from: SYSTEM, contains: "99.00"}"#])
        let folder = try Self.project([
            ("good", Self.passing),
            ("bad", failing),
            ("after-bad", "  relatedContact: {from: bad}\n"),
            ("after-good", "  relatedContact: {from: good}\n"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ChatctlProcess.run(
            ["apply", "--emulator", "--yes", "--verify", "--junit", "junit.xml", "--transcripts", "t"], in: folder)
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("verification failed at step 3"))
        #expect(run.stdout.contains("skipped: bad failed"))
        let lockfile = try LockfileStore(path: folder.appendingPathComponent("chatctl.emulator.lock.json").path).read()
        #expect(lockfile.entries["good"]?.verification?.status == .passed)
        #expect(lockfile.entries["good"]?.verification?.failedStep == nil)
        #expect(lockfile.entries["bad"]?.verification?.status == .failed)
        #expect(lockfile.entries["bad"]?.verification?.failedStep == 3)
        #expect(lockfile.entries["after-bad"]?.contactId == nil, "a dependant of a failed verification is not launched")
        #expect(lockfile.entries["after-good"]?.status == .started)
        #expect(lockfile.entries["after-good"]?.verification == nil, "no spec.verify, no record")

        let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains(#"tests="2" failures="1""#))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("t/good.transcript.json").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("t/bad.transcript.json").path))

        // --format json carries each conversation's verdict.
        let again = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--verify", "--replace", "bad", "--format", "json"], in: folder)
        #expect(again.status == 3, "\(again.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let results = try #require(document["results"] as? [[String: Any]])
        let bad = try #require(results.first { $0["profile"] as? String == "bad" })
        #expect(bad["result"] as? String == "failed")
        #expect((bad["verification"] as? [String: Any])?["failedStep"] as? Int == 3)
        #expect((bad["verification"] as? [String: Any])?["reason"] as? String == "wrong-text")
    }
}
