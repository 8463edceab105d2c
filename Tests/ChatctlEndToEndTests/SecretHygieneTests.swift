import Foundation
import Testing

/// Issue 6, secret hygiene: every command runs with `--verbose` against an emulator process
/// (itself `--verbose`), and nothing any of them prints or writes holds the secret key, the
/// session token, a participant token or a customer id. Only the `--outputs` file may hold
/// participant tokens, and it is created 0600.
@Suite struct SecretHygieneTests {
    /// Values that must never appear; random per run so no fixture can hold them by chance.
    struct Secrets {
        let secretKey = "hygiene-secret-" + UUID().uuidString
        let sessionToken = "hygiene-session-" + UUID().uuidString + UUID().uuidString
        let customerIDs = (0..<3).map { _ in "cust-" + UUID().uuidString.lowercased() }
    }

    static func repository(_ secrets: Secrets) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-hygiene-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("""
            apiVersion: chatctl/v1
            kind: Project
            spec:
              region: us-east-1
              defaults: {instance: 12345678-1234-1234-1234-123456789012, duration: 2h}
            """.utf8).write(to: folder.appendingPathComponent("chatctl.yaml"))
        for (index, name) in ["intake", "survey", "callback"].enumerated() {
            let dependency = index == 1 ? "\n  dependsOn: [intake]" : ""
            try Data("""
                apiVersion: chatctl/v1
                kind: ChatLaunchProfile
                metadata: {name: \(name)}
                spec:
                  flow: 846ec553-a005-41c0-8341-00000000000\(index)
                  participant: {displayName: Customer \(index), customerId: \(secrets.customerIDs[index])}
                  initialMessage: {contentType: text/plain, content: Hello \(index)}
                  attributes: {ticket: "T-\(index)"}\(dependency)
                """.utf8).write(to: folder.appendingPathComponent("\(name).yaml"))
        }
        return folder
    }

    @Test func noCommandPrintsOrWritesASecret() throws {
        let secrets = Secrets()
        let emulator = try EmulatorProcess.start([
            "--verbose", "--tps", "0", "--seed", "6", "--access-key-id", "AKIDHYGIENE", "--secret-access-key", secrets.secretKey,
        ])
        let folder = try Self.repository(secrets)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDHYGIENE", "AWS_SECRET_ACCESS_KEY": secrets.secretKey,
            "AWS_SESSION_TOKEN": secrets.sessionToken, "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let connect = ["--endpoint-url", emulator.endpoint]
        var outputs: [ChatctlProcess.Result] = []
        func run(_ arguments: [String], expect status: Int32 = 0) throws {
            let result = try ChatctlProcess.run(arguments + ["--verbose"], in: folder, environment: environment)
            #expect(result.status == status, "chatctl \(arguments.joined(separator: " ")): \(result.stderr)")
            outputs.append(result)
        }

        try run(["validate"])
        for format in ["text", "json", "markdown", "github"] {
            try run(["validate", "--format", format])
        }
        try run(["plan"])
        try run(["plan", "--format", "json"])
        try run(["plan", "--format", "markdown"])
        try run(["plan", "--out", "saved-plan.json"])
        try run(["apply", "--yes", "--outputs", "outputs-1.json"] + connect + ["saved-plan.json"])
        try run(["status"])
        try run(["status", "--format", "json"])
        try run(["graph"])
        try run(["graph", "--format", "dot"])
        for which in ["profile", "project", "lockfile"] {
            try run(["schema", which])
        }
        try run(["apply", "--yes", "--replace", "survey", "--outputs", "outputs-2.json", "--prune"] + connect)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("callback.yaml"))
        try run(["plan", "--prune"])
        try run(["apply", "--yes", "--prune"] + connect)
        try run(["status", "--format", "markdown"])
        let emulatorEnding = emulator.stop()

        // The participant tokens issued, from the only files allowed to hold them.
        var tokens: [String] = []
        for name in ["outputs-1.json", "outputs-2.json"] {
            let url = folder.appendingPathComponent(name)
            let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name) is readable by others")
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            let participants = document?["participants"] as? [String: [String: String]] ?? [:]
            tokens += participants.values.compactMap { $0["participantToken"] }
        }
        #expect(tokens.count == 4 && tokens.allSatisfy { $0.count > 100 }, "3 launches, then 1 relaunch")

        // Everything printed, and every file chatctl wrote (all but the inputs and --outputs).
        var haystack: [(String, String)] = outputs.enumerated().flatMap { index, result in
            [("command \(index) stdout", result.stdout), ("command \(index) stderr", result.stderr)]
        }
        haystack += [("emulator stdout", emulatorEnding.stdout), ("emulator stderr", emulatorEnding.stderr)]
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            !$0.hasSuffix(".yaml") && !$0.hasPrefix("outputs-")
        }
        #expect(written.contains("chatctl.lock.json") && written.contains("saved-plan.json"))
        for name in written {
            haystack.append((name, String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)))
        }
        let needles = [("secret key", secrets.secretKey), ("session token", secrets.sessionToken)]
            + tokens.map { ("participant token", $0) } + secrets.customerIDs.map { ("customer id", $0) }
        for (place, text) in haystack {
            for (kind, needle) in needles {
                #expect(!text.contains(needle), "\(place) holds a \(kind)")
            }
        }

        // The search ran over real logs: --verbose printed the exchanges, masked.
        let stderr = outputs.map(\.stderr).joined()
        #expect(stderr.contains("> PUT \(emulator.endpoint)/contact/chat"))
        #expect(stderr.contains("> POST \(emulator.endpoint)/contact/stop"))
        #expect(stderr.contains(#""ParticipantToken":"(sensitive)""#))
        #expect(stderr.contains("Signature=(redacted)"))
        #expect(emulatorEnding.stderr.contains("PUT /contact/chat 200"))
        #expect(emulatorEnding.stderr.contains("POST /contact/stop 200"))
        #expect(emulatorEnding.stdout.contains("# export AWS_SECRET_ACCESS_KEY=<the secret given with --secret-access-key>"))
        // What --verbose adds to graph and schema.
        #expect(stderr.contains("graph: 3 profiles, 1 edge\n"))
        #expect(stderr.contains("lockfile schema: "), "schema --verbose names the schema")
        #expect(stderr.contains(#/profile schema: \d+ bytes, sha256 [0-9a-f]{64}\n/#))
    }

    /// A customer id the schema refuses is still never printed: not in a hint ("quote the
    /// value"), in any format, nor in a snippet of the lines it is written on, whether on its
    /// own line, beside another field in a flow mapping, or over several lines; the other
    /// lines' snippets are still shown.
    @Test func aRefusedCustomerIdIsNeverPrintedInAnyFormatOrSnippet() throws {
        let digits = String(UInt64.random(in: 1_000_000_000_000_000...9_000_000_000_000_000))
        let long = "cust-" + (0..<6).map { _ in UUID().uuidString.lowercased() }.joined()
        let blockLines = (0..<2).map { _ in (0..<4).map { _ in UUID().uuidString.lowercased() }.joined() }
        let folder = try CommandLineTests.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func profile(_ name: String, _ participant: String) throws {
            try Data("""
                apiVersion: chatctl/v1
                kind: ChatLaunchProfile
                metadata: {name: \(name)}
                spec:
                  instance: 12345678-1234-1234-1234-123456789012
                  flow: 846ec553-a005-41c0-8341-0123456789ab
                \(participant)
                """.utf8).write(to: folder.appendingPathComponent("\(name).yaml"))
        }
        try profile("number", "  participant:\n    displayName: 42\n    customerId: \(digits)")
        try profile("flow", "  participant: {displayName: 7, customerId: \(long + long)}")
        try profile("block", "  participant:\n    customerId: |\n      \(blockLines[0])\n      \(blockLines[1])\n    displayName: Jane")
        // A key glued to its value (no space after the colon, in a flow mapping) is one
        // unknown key: its path must not show it.
        let glued = "cust-" + UUID().uuidString.lowercased()
        try profile("glued", "  participant: {displayName: Jane, customerId:\(glued)}")
        // CR LF line ends: a diagnostic on line 1 shows line 1, not the whole file.
        let crlf = "cust-" + UUID().uuidString.lowercased()
        try Data("""
            apiVersion: chatctl/v2\r
            kind: ChatLaunchProfile\r
            metadata: {name: crlf}\r
            spec:\r
              instance: 12345678-1234-1234-1234-123456789012\r
              flow: 846ec553-a005-41c0-8341-0123456789ab\r
              participant: {displayName: Jane, customerId: \(crlf)}\r

            """.utf8).write(to: folder.appendingPathComponent("crlf.yaml"))
        var printed: [(String, String)] = []
        for format in ["text", "json", "markdown", "github"] {
            let result = try ChatctlProcess.run(["validate", "--format", format, "."], in: folder)
            #expect(result.status == 1, "\(format): \(result.stderr)")
            printed.append((format, result.stdout + result.stderr))
        }
        let terminal = try ChatctlProcess.runOnTerminal(["validate", "."], in: folder)
        #expect(terminal.status == 1)
        printed.append(("terminal", terminal.output))
        for (place, text) in printed {
            for secret in [digits, long, blockLines[0], blockLines[1], glued, crlf] {
                #expect(!text.contains(secret), "\(place) shows a customer id: \(text)")
            }
        }
        // The diagnostics are there, and on a terminal other lines' snippets too.
        #expect(printed[0].1.contains("spec.participant.customerId: must be a string, not an integer"))
        #expect(printed[0].1.contains("hint: quote the value to make it a string\n"))
        #expect(printed[0].1.contains("block.yaml:8:17: error: spec.participant.customerId: must be at most 128 characters long"), "\(printed[0].1)")
        #expect(terminal.output.contains("|     displayName: 42"), "\(terminal.output)")
        #expect(printed[0].1.contains("glued.yaml:7:36: error: spec.participant[\"customerId…\"]: unknown field"), "\(printed[0].1)")
        #expect(terminal.output.contains(" 1 | apiVersion: chatctl/v2\r\n"), "\(terminal.output)")
    }

    /// Issue 14: `verify` and `apply --verify` converse as the customer, with the participant
    /// token, the connection token and a pre-signed WebSocket URL in hand. None of them, nor
    /// the customer id, appears in what they print (with --verbose, in every format), in the
    /// JUnit report, in the transcripts or in the lockfile.
    @Test func verifyAndApplyVerifyPrintAndWriteNoSecret() throws {
        let customerID = "cust-" + UUID().uuidString.lowercased()
        let folder = try VerifyCommandTests.project([
            ("smoke", VerifyCommandTests.passing),
            ("failing", VerifyCommandTests.verify([#"send: "balance""#, #"expect: {from: AGENT, contains: "42.00"}"#])),
        ], customerID: customerID)
        defer { try? FileManager.default.removeItem(at: folder) }
        var outputs: [ChatctlProcess.Result] = []
        for format in ["text", "json", "markdown", "github"] {
            let result = try ChatctlProcess.run(
                ["verify", "--emulator", "--verbose", "--format", format, "--junit", "verify-\(format).xml",
                 "--transcripts", "verify-\(format)"], in: folder)
            #expect(result.status == 3, "\(format): \(result.stderr)")
            outputs.append(result)
        }
        let apply = try ChatctlProcess.run(
            ["apply", "--emulator", "--yes", "--verify", "--verbose", "--outputs", "outputs.json", "--junit", "apply.xml",
             "--transcripts", "apply"], in: folder)
        #expect(apply.status == 3, "\(apply.stderr)")
        outputs.append(apply)

        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("outputs.json"))) as? [String: Any]
        let participants = document?["participants"] as? [String: [String: String]] ?? [:]
        let tokens = participants.values.compactMap { $0["participantToken"] }
        #expect(tokens.count == 2 && tokens.allSatisfy { $0.count > 100 })

        var haystack: [(String, String)] = outputs.enumerated().flatMap { index, result in
            [("command \(index) stdout", result.stdout), ("command \(index) stderr", result.stderr)]
        }
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        let written = files.filter { $0.hasSuffix(".xml") || $0.hasSuffix(".transcript.json") || $0.hasSuffix(".lock.json") }
        #expect(written.filter { $0.hasSuffix(".transcript.json") }.count == 10)
        for name in written {
            haystack.append((name, String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)))
        }
        for (place, text) in haystack {
            #expect(!text.contains(customerID), "\(place) holds the customer id")
            for token in tokens { #expect(!text.contains(token), "\(place) holds a participant token") }
            // The WebSocket URL's query is a credential; no URL of it is printed or stored.
            #expect(!text.contains("ws://"), "\(place) holds a WebSocket URL")
        }
        // The search ran over the real exchanges: the tokens went by, masked.
        let stderr = outputs.map(\.stderr).joined()
        #expect(stderr.contains(#""ConnectionToken":"(sensitive)""#))
        #expect(stderr.contains(#""Url":"(sensitive)""#))
        #expect(stderr.contains("X-Amz-Bearer: (sensitive)") || stderr.contains("X-Amz-Bearer: (redacted)"))
    }

    /// Issue 12, item 1: a request signed with the wrong secret is answered
    /// InvalidSignatureException, whose message quotes the canonical request, and so the
    /// `x-amz-security-token` header's value. That message is printed (in every format)
    /// and stored in the lock entry's `error.message`, which is committed: the token must be
    /// redacted in both, while the rest of the message stays, with a hint naming the region
    /// and service signed for.
    @Test func aServerMessageQuotingTheSessionTokenIsRedactedEverywhere() throws {
        let secrets = Secrets()
        let emulator = try EmulatorProcess.start(["--tps", "0", "--seed", "12", "--access-key-id", "AKIDHYGIENE"])
        let folder = try Self.repository(secrets)
        defer {
            _ = emulator.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDHYGIENE", "AWS_SECRET_ACCESS_KEY": secrets.secretKey,
            "AWS_SESSION_TOKEN": secrets.sessionToken, "AWS_EC2_METADATA_DISABLED": "true",
        ]
        var haystack: [(String, String)] = []
        for (index, extra) in [[], ["--format", "json"], ["--format", "github"], ["--verbose"]].enumerated() {
            let result = try ChatctlProcess.run(
                ["apply", "--yes", "--endpoint-url", emulator.endpoint] + extra, in: folder, environment: environment)
            // The signature is refused: every launch fails, and the run says so (exit 3).
            #expect(result.status == 3, "run \(index): \(result.stderr)")
            haystack += [("run \(index) stdout", result.stdout), ("run \(index) stderr", result.stderr)]
        }
        let lockfile = String(decoding: try Data(contentsOf: folder.appendingPathComponent("chatctl.lock.json")), as: UTF8.self)
        haystack.append(("chatctl.lock.json", lockfile))
        for (place, text) in haystack {
            #expect(!text.contains(secrets.sessionToken), "\(place) holds the session token")
            #expect(!text.contains(secrets.secretKey), "\(place) holds the secret key")
        }
        // The search ran over the real message: the canonical request was quoted, redacted.
        let everything = haystack.map(\.1).joined(separator: "\n")
        #expect(lockfile.contains("InvalidSignatureException"))
        #expect(lockfile.contains("x-amz-security-token:(redacted)"), "the stored message keeps its shape")
        #expect(everything.contains("x-amz-security-token:(redacted)"), "the printed message keeps its shape")
        #expect(everything.contains("us-east-1"), "the hint names the region signed for")
    }
}

