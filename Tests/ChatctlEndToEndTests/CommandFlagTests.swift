import ChatctlCore
import Foundation
import Testing

/// The flags of `plan` and `apply` that change what is sent or recorded, each run through
/// the binary against an emulator in its own process, with an assertion that fails when
/// the flag is ignored (SPEC section 5).
@Suite struct CommandFlagTests {
    static let instance = "12345678-1234-1234-1234-123456789012"
    static let unknownInstance = "99999999-1234-1234-1234-123456789012"
    /// The credentials `chatctl emulator` checks signatures with unless told otherwise.
    static let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIDCHATCTLEMULATOR", "AWS_SECRET_ACCESS_KEY": "chatctl-emulator-secret",
        "AWS_EC2_METADATA_DISABLED": "true",
    ]

    /// One profile document; `extra` lines go under `spec`.
    static func document(
        _ name: String, team: String = "care", instance: String = instance, participant: String? = nil, _ extra: [String] = []
    ) -> String {
        """
        apiVersion: chatctl/v1
        kind: ChatLaunchProfile
        metadata: {name: \(name), labels: {team: \(team)}}
        spec:
          instance: \(instance)
          flow: 846ec553-a005-41c0-8341-0123456789ab
          participant: \(participant ?? "{displayName: Customer \(name)}")
        \(extra.map { "  " + $0 }.joined(separator: "\n"))
        """
    }

    /// A fresh folder holding `documents` in one profiles.yaml.
    static func repository(_ documents: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-flags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(documents.joined(separator: "\n---\n").utf8).write(to: folder.appendingPathComponent("profiles.yaml"))
        return folder
    }

    static func lockfile(_ folder: URL, _ name: String = "chatctl.lock.json") throws -> Lockfile {
        try LockfileStore(path: folder.appendingPathComponent(name).path).read()
    }

    /// `chatctl apply --yes` of `folder` against `emulator`, with `flags`.
    static func apply(
        _ folder: URL, _ emulator: EmulatorProcess, _ flags: [String] = [], environment: [String: String] = credentials
    ) throws -> ChatctlProcess.Result {
        try ChatctlProcess.run(
            ["apply", "--yes", "--endpoint-url", emulator.endpoint, "--region", "us-east-1"] + flags + [folder.path],
            environment: environment)
    }

    @Test func failFastLaunchesNothingAfterTheFirstFailure() throws {
        let emulator = try EmulatorProcess.start(["--tps", "0", "--instance", Self.instance, "--seed", "11"])
        defer { _ = emulator.stop() }
        // One worker, so the failing profile (first in the file) is the first call sent.
        func documents(_ prefix: String) -> [String] {
            [Self.document("\(prefix)-bad", instance: Self.unknownInstance)] + (1...3).map { Self.document("\(prefix)-\($0)") }
        }
        let isolated = try Self.repository(documents("isolated"))
        let fast = try Self.repository(documents("fast"))
        defer {
            try? FileManager.default.removeItem(at: isolated)
            try? FileManager.default.removeItem(at: fast)
        }
        // Without the flag a failure fails its profile only: the three others start.
        let all = try Self.apply(isolated, emulator, ["--concurrency", "1"])
        #expect(all.status != 0)
        #expect(try Self.lockfile(isolated).entries.values.filter { $0.status == .started }.count == 3)
        let contactsBefore = try emulator.adminContacts().count
        #expect(contactsBefore == 3)

        let stopped = try Self.apply(fast, emulator, ["--concurrency", "1", "--fail-fast"])
        #expect(stopped.status != 0)
        let lockfile = try Self.lockfile(fast)
        #expect(lockfile.entries.keys.sorted() == ["fast-bad"], "nothing after the failure was even written ahead")
        #expect(lockfile.entries["fast-bad"]?.error?.code == "ResourceNotFoundException")
        #expect(try emulator.adminContacts().count == contactsBefore, "no chat launched after the failure")
    }

    @Test func selectorPlansAndAppliesOnlyTheMatchingProfiles() throws {
        let emulator = try EmulatorProcess.start(["--tps", "0", "--seed", "12"])
        defer { _ = emulator.stop() }
        let folder = try Self.repository([
            Self.document("care-one", team: "care"), Self.document("sales-one", team: "sales"),
            Self.document("care-two", team: "care"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try ChatctlProcess.run(["plan", "--selector", "team=care", folder.path])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("+ launch care-one") && plan.stdout.contains("+ launch care-two"))
        #expect(!plan.stdout.contains("sales-one"))

        let applied = try Self.apply(folder, emulator, ["--selector", "team=care"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try Self.lockfile(folder).entries.keys.sorted() == ["care-one", "care-two"])
        #expect(try emulator.adminContacts().count == 2)

        let rest = try Self.apply(folder, emulator, ["--selector", "team!=care"])
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(try Self.lockfile(folder).entries.keys.sorted() == ["care-one", "care-two", "sales-one"])
        #expect(try emulator.adminContacts().count == 3)
    }

    /// The emulator allows 1 StartChatContact per second with a burst of 4 and counts what
    /// it throttles; chatctl may not retry (`--max-attempts 1`), so a throttled launch fails.
    /// At `--rate 1 --burst 2` nothing is throttled: two tokens to spare absorb up to 2 s of
    /// difference between the delays of the requests. With the default burst (8) the eight
    /// launches leave at once; with the default rate (5/s) they leave within 1.2 s:
    /// either way the emulator throttles some, as the second run shows it does.
    @Test func rateAndBurstPaceTheLaunches() throws {
        let emulator = try EmulatorProcess.start(["--tps", "1", "--burst", "4", "--seed", "13"])
        defer { _ = emulator.stop() }
        let paced = try Self.repository((1...8).map { Self.document("paced-\($0)") })
        let hurried = try Self.repository((1...8).map { Self.document("hurried-\($0)") })
        defer {
            try? FileManager.default.removeItem(at: paced)
            try? FileManager.default.removeItem(at: hurried)
        }
        let result = try Self.apply(paced, emulator, ["--rate", "1", "--burst", "2", "--max-attempts", "1", "--concurrency", "4"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try Self.lockfile(paced).entries.values.filter { $0.status == .started }.count == 8)
        #expect(try emulator.adminStats().throttled == 0)

        let fast = try Self.apply(hurried, emulator, ["--rate", "100", "--burst", "100", "--max-attempts", "1", "--concurrency", "8"])
        #expect(fast.status != 0)
        #expect(try emulator.adminStats().throttled > 0)
    }

    @Test func lockfileFlagChoosesWhereLaunchesAreRecorded() throws {
        let folder = try Self.repository([Self.document("one"), Self.document("two")])
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("state"), withIntermediateDirectories: true)
        let chosen = folder.appendingPathComponent("state/launches.lock.json").path
        let applied = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--lockfile", chosen, folder.path])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try Self.lockfile(folder, "state/launches.lock.json").entries.keys.sorted() == ["one", "two"])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chatctl.lock.json").path))
        // Planned against the chosen file, nothing is left to do; against the default, everything.
        #expect(try ChatctlProcess.run(["plan", "--emulator", "--detailed-exitcode", "--lockfile", chosen, folder.path]).status == 0)
        #expect(try ChatctlProcess.run(["plan", "--detailed-exitcode", folder.path]).status == 2)
    }

    @Test func awsProfileChoosesTheCredentials() throws {
        let emulator = try EmulatorProcess.start(["--tps", "0", "--seed", "14"])
        defer { _ = emulator.stop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try Data("""
            [default]
            aws_access_key_id = AKIDSOMEONEELSE
            aws_secret_access_key = not-the-emulator-secret

            [emulator]
            aws_access_key_id = AKIDCHATCTLEMULATOR
            aws_secret_access_key = chatctl-emulator-secret

            """.utf8).write(to: home.appendingPathComponent(".aws/credentials"))
        let environment = ["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true"]
        let chosen = try Self.repository([Self.document("chosen")])
        let defaulted = try Self.repository([Self.document("defaulted")])
        defer {
            try? FileManager.default.removeItem(at: chosen)
            try? FileManager.default.removeItem(at: defaulted)
        }
        let signed = try Self.apply(chosen, emulator, ["--aws-profile", "emulator"], environment: environment)
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(try Self.lockfile(chosen).entries["chosen"]?.status == .started)
        // The same run without the flag signs with the default profile's key, which the
        // emulator does not know.
        let refused = try Self.apply(defaulted, emulator, [], environment: environment)
        #expect(refused.status != 0)
        #expect(try Self.lockfile(defaulted).entries["defaulted"]?.status == .failed)
        #expect(try emulator.adminContacts().count == 1)
    }

    /// SPEC 7: the lockfile never contains an attribute value (nor a message, a display
    /// name or a customer id), searched for after an apply of profiles full of them.
    @Test func theLockfileNeverHoldsAttributeValuesMessagesNamesOrCustomerIds() throws {
        let secrets = [
            "attr-value-7f3a", "attr-value-91c2", "segment-value-55d0", "segment-map-value-2b7e",
            "message-body-a41e", "display-name-c3b9", "customer-id-e8d2", "customer-id-0d6f",
        ]
        let folder = try Self.repository([
            Self.document("distinctive", participant: "{displayName: display-name-c3b9, customerId: customer-id-e8d2}", [
                "attributes: {tier: attr-value-7f3a, note: attr-value-91c2}",
                "segmentAttributes:",
                "  priority: {valueString: segment-value-55d0}",
                "  details: {valueMap: {origin: {valueString: segment-map-value-2b7e}}}",
                "initialMessage: {contentType: text/plain, content: message-body-a41e}",
            ]),
            Self.document("continued", participant: "{displayName: Customer continued, customerId: customer-id-0d6f}", [
                "relatedContact: {from: distinctive}",
            ]),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let applied = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--verbose", folder.path])
        #expect(applied.status == 0, "\(applied.stderr)")
        let lockfile = try Self.lockfile(folder, "chatctl.emulator.lock.json")
        #expect(lockfile.entries.values.filter { $0.status == .started }.count == 2)
        // The values were sent: the attributes appear in the verbose log of the request.
        #expect(applied.stderr.contains("attr-value-7f3a"))
        let text = try String(contentsOf: folder.appendingPathComponent("chatctl.emulator.lock.json"), encoding: .utf8)
        for secret in secrets {
            #expect(!text.contains(secret), "the lockfile holds \(secret)")
        }
    }

    /// SPEC 13: graph walks are iterative. A chain written in the reverse of its dependency
    /// order (each profile depends on the next one in the file), planned by the binary: every
    /// profile comes after the one it depends on. 20,000 keeps the debug build's run short;
    /// PlannerTests walks 100,000 in memory.
    @Test func plansALongChainDependenciesFirst() throws {
        let count = 20_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-chain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = ""
        for index in 0..<count {
            text += "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: p\(index)}\nspec:\n"
            text += "  instance: \(Self.instance)\n  flow: 846ec553-a005-41c0-8341-0123456789ab\n"
            text += "  participant: {displayName: C}\n"
            if index + 1 < count { text += "  dependsOn: [p\(index + 1)]\n" }
            text += "---\n"
        }
        try Data(text.utf8).write(to: folder.appendingPathComponent("chain.yaml"))
        let result = try ChatctlProcess.run(["plan", "--format", "json", folder.path])
        #expect(result.status == 0, "\(result.stderr.prefix(500))")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let order = (document?["actions"] as? [[String: Any]] ?? []).compactMap { $0["profile"] as? String }
        #expect(order.count == count)
        #expect(order == (0..<count).reversed().map { "p\($0)" })
    }
}

extension EmulatorProcess {
    struct AdminStats {
        var requests: Int
        /// StartChatContact requests answered with TooManyRequestsException.
        var throttled: Int
    }

    /// `GET /_emulator/stats`, through the curl command line.
    func adminStats() throws -> AdminStats {
        let result = try ChatctlProcess.runProgram(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "--noproxy", "*", endpoint + "/_emulator/stats"],
            in: FileManager.default.temporaryDirectory, environment: [:])
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let outcomes = document?["outcomes"] as? [String: [String: Int]]
        return AdminStats(
            requests: document?["requests"] as? Int ?? 0,
            throttled: outcomes?["StartChatContact"]?["TooManyRequestsException"] ?? 0)
    }
}
