import ChatctlCore
import Foundation
import Testing

/// Issue 17: a plan says which members of a profile's request changed since its chat was
/// launched. A repository is applied against the emulator (which records the members),
/// edited, and planned in each format; the outputs are golden files.
@Suite struct PlanChangesTests {
    static let project = """
        apiVersion: chatctl/v1
        kind: Project
        spec:
          profiles: [profiles/]
          region: us-west-2
          defaults:
            instance: 12345678-1234-1234-1234-123456789012
            flow: 846ec553-a005-41c0-8341-0123456789ab
            duration: 2h

        """

    static func profile(_ name: String, _ spec: String) -> String {
        "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: \(name)}\nspec:\n"
            + spec.split(separator: "\n").map { "  \($0)\n" }.joined()
    }

    /// Values no plan may show: those the first apply sent and the profiles no longer
    /// hold (the request bodies show what will be sent, as before), and the customer id,
    /// masked in the bodies.
    static let secrets = [
        "gold-secret", "Hello before", "cust-before-991", "p-high-secret", "cust-after-992", "order-before-17", "src-before-1",
    ]

    /// Each profile before and after the edit, covering each kind of member change.
    static let before: [String: String] = [
        // The example: a plain top-level value and an attribute value.
        "vip-greeting": "participant: {displayName: Jane Before}\nduration: 25h\nattributes: {tier: gold-secret}",
        // Plain values of every kind: string, list, object added, the region.
        "flow-move": "participant: {displayName: Flow}\nduration: 3h",
        // Sensitive members changed, added and removed: never shown, not even as a digest.
        "intake": """
            participant: {displayName: Jane Before, customerId: cust-before-991}
            duration: 3h
            initialMessage: {contentType: text/plain, content: Hello before}
            attributes: {priority: p-high-secret, queue: care}
            segmentAttributes: {order: order-before-17}
            persistence: {rehydration: ENTIRE_PAST_SESSION, sourceContactId: src-before-1}
            """,
        // Changed only through the project's defaults.
        "defaults-only": "participant: {displayName: Dee}",
        // Its entry is stripped of its members below, as an older chatctl wrote it.
        "legacy": "participant: {displayName: Lee}\nduration: 3h",
        "steady": "participant: {displayName: Stu}\nduration: 3h",
    ]

    static let after: [String: String] = [
        "vip-greeting": "participant: {displayName: Jane Before}\nduration: 90m\nattributes: {tier: silver-secret}",
        "flow-move": """
            participant: {displayName: Flow, responseMode: INCREMENTAL}
            duration: 3h
            flow: 11111111-a005-41c0-8341-0123456789ab
            region: eu-west-2
            contentTypes: [text/plain, text/markdown]
            """,
        "intake": """
            participant: {displayName: Jane After, customerId: cust-after-992}
            duration: 3h
            initialMessage: {contentType: text/plain, content: Hello after}
            attributes: {queue: care, channel: web-secret}
            segmentAttributes: {order: order-after-18}
            persistence: {rehydration: FROM_SEGMENT, sourceContactId: src-after-2}
            """,
        "defaults-only": "participant: {displayName: Dee}",
        "legacy": "participant: {displayName: Lee}\nduration: 4h",
        "steady": "participant: {displayName: Stu}\nduration: 3h",
    ]

    /// A repository applied with `before`, then edited to `after` (the defaults' duration
    /// moves from 2h to 3h), its lockfile's `legacy` entry without members.
    static func editedRepository() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-changes-\(UUID().uuidString)")
        let profiles = folder.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        func write(_ text: String, _ path: String) throws { try Data(text.utf8).write(to: folder.appendingPathComponent(path)) }
        try write(project, "chatctl.yaml")
        for (name, spec) in before { try write(profile(name, spec), "profiles/\(name).yaml") }
        let apply = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: folder)
        try #require(apply.status == 0, "\(apply.stdout)\(apply.stderr)")

        let store = try LockfileStore(path: folder.appendingPathComponent("chatctl.emulator.lock.json").path)
        var lockfile = try store.read()
        lockfile.entries["legacy"]?.members = nil
        try store.write(lockfile)
        try write(project.replacingOccurrences(of: "duration: 2h", with: "duration: 3h"), "chatctl.yaml")
        for (name, spec) in after { try write(profile(name, spec), "profiles/\(name).yaml") }
        return folder
    }

    @Test func eachFormatSaysWhatChangedAndNeverASensitiveValue() throws {
        let folder = try Self.editedRepository()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lockfile = try String(contentsOf: folder.appendingPathComponent("chatctl.emulator.lock.json"), encoding: .utf8)
        let digests = lockfile.matches(of: /"digest": "([0-9a-f]{64})"/).map { String($0.1) }
        #expect(digests.count >= 10, "the lockfile holds member digests")

        for (format, golden) in [("text", "plan-changes.txt"), ("json", "plan-changes.json"), ("markdown", "plan-changes.md")] {
            let plan = try ChatctlProcess.run(["plan", "--emulator", "--format", format], in: folder)
            #expect(plan.status == 0, "\(plan.stderr)")
            try GoldenFile.check(plan.stdout, against: golden)
            for secret in Self.secrets { #expect(!plan.stdout.contains(secret), "\(format) shows \(secret)") }
            for digest in digests { #expect(!plan.stdout.contains(digest), "\(format) shows a member digest") }
        }
        let text = try ChatctlProcess.run(["plan", "--emulator"], in: folder).stdout
        #expect(text.contains("~ relaunch vip-greeting  (ChatDurationInMinutes 1500 → 90, Attributes.tier changed)"))
        #expect(text.contains("~ relaunch defaults-only  (ChatDurationInMinutes 120 → 180 via chatctl.yaml defaults)"))
        #expect(text.contains("~ relaunch legacy  (definition changed)"))
    }

    /// Issue 17 item 3: a plan of 1,000 profiles stays under GitHub's comment limit
    /// (65,536 characters) with the summary and the tables in view; `--full` has it all.
    @Test func aThousandProfilePlanFitsInAPullRequestComment() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-thousand-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("profiles"), withIntermediateDirectories: true)
        func write(_ text: String, _ path: String) throws { try Data(text.utf8).write(to: folder.appendingPathComponent(path)) }
        try write(Self.project, "chatctl.yaml")
        let names = (0..<1000).map { String(format: "load-%04d", $0) }
        for (index, name) in names.enumerated() {
            try write(Self.profile(name, "participant: {displayName: Customer \(index)}\nattributes: {tier: gold, case: C-\(index)}"), "profiles/\(name).yaml")
        }
        func markdown(_ extra: [String] = []) throws -> String {
            let plan = try ChatctlProcess.run(["plan", "--format", "markdown"] + extra, in: folder)
            #expect(plan.status == 0, "\(plan.stderr)")
            return plan.stdout
        }

        let launches = try markdown()
        #expect(launches.utf16.count <= 60_000, "\(launches.utf16.count) characters")
        #expect(launches.hasPrefix("### chatctl plan\n\n**Plan: 1000 to launch, 0 to relaunch, 0 to stop.**\n"))
        #expect(launches.contains("> Shortened to fit a pull-request comment"))
        #expect(!launches.contains("<details>"))
        let full = try markdown(["--full"])
        #expect(full.utf16.count > 65_536)
        #expect(full.components(separatedBy: "<details>").count == 1001)

        // Launched (with members recorded), then a new default for all and an edit to five.
        let loaded = try ProfileValidator().validate(ProfileLoader().load(paths: [folder.path]))
        var options = PlanOptions()
        options.projectRegion = "us-west-2"
        var lockfile = Lockfile(serial: 1, endpoint: .aws, memberSalt: RequestMembers.randomSalt())
        for call in try Planner().plan(loaded.profiles, lockfile: lockfile, options: options, now: Date()).calls {
            lockfile.entries[call.profile] = LockEntry(
                digest: call.digest ?? "", generation: 1, clientToken: call.clientToken ?? "", status: .started,
                contactId: "c-\(call.profile)", members: call.definition?.members)
        }
        try LockfileStore(path: folder.appendingPathComponent("chatctl.lock.json").path).write(lockfile)
        try write(Self.project.replacingOccurrences(of: "duration: 2h", with: "duration: 3h"), "chatctl.yaml")
        for name in names.prefix(5) {
            let path = folder.appendingPathComponent("profiles/\(name).yaml")
            try Data(try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "tier: gold", with: "tier: silver").utf8).write(to: path)
        }
        let relaunches = try markdown()
        #expect(relaunches.utf16.count <= 60_000, "\(relaunches.utf16.count) characters")
        #expect(relaunches.contains("| ~ | 1000 profiles: `load-0000`, `load-0001`, `load-0002` and 997 more | relaunch | definition changed |"))
        #expect(relaunches.contains("| 1000 profiles: `load-0000`, `load-0001`, `load-0002` and 997 more | `ChatDurationInMinutes` | `120` → `180` via chatctl.yaml defaults |"))
        #expect(relaunches.contains("| 5 profiles: `load-0000`, `load-0001`, `load-0002` and 2 more | `Attributes.tier` | changed (value not shown) |"))
        #expect(!relaunches.contains("gold") && !relaunches.contains("silver"))

        // A thousand different changes cannot all be listed: the tables are cut, saying so.
        for (index, name) in names.enumerated() {
            let path = folder.appendingPathComponent("profiles/\(name).yaml")
            let text = try String(contentsOf: path, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "case: C-", with: "case\(index): C-").utf8).write(to: path)
        }
        let distinct = try markdown()
        #expect(distinct.utf16.count <= 60_000, "\(distinct.utf16.count) characters")
        #expect(distinct.contains("| 1000 profiles: `load-0000`, `load-0001`, `load-0002` and 997 more | `Attributes.case` | removed (value not shown) |"))
        #expect(distinct.hasSuffix("\n… (cut to fit a pull-request comment: the full plan is `chatctl plan --format markdown --full`)\n"))
    }
}
