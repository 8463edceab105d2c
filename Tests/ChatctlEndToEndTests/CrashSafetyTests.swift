import ChatctlCore
import Foundation
import Testing

/// SPEC section 6: "no chat is ever launched twice for one (profile, generation), and
/// none is lost" — proved the hard way. `chatctl apply` is killed with SIGKILL at spread
/// moments while the emulator (its own process) answers 500s, drops connections and
/// loses answers after creating contacts; then apply runs to completion.
@Suite struct CrashSafetyTests {
    static let profileCount = 24

    static func repository() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let documents = (0..<profileCount).map { index in
            """
            apiVersion: chatctl/v1
            kind: ChatLaunchProfile
            metadata: {name: crash-\(index)}
            spec:
              instance: 12345678-1234-1234-1234-123456789012
              flow: 846ec553-a005-41c0-8341-0123456789ab
              participant: {displayName: Customer \(index), customerId: cust-crash-\(index)}
              duration: 2h\(index % 6 == 5 ? "\n  dependsOn: [crash-\(index - 1)]" : "")
            """
        }
        try Data(documents.joined(separator: "\n---\n").utf8).write(to: folder.appendingPathComponent("profiles.yaml"))
        return folder
    }

    @Test func killedAppliesNeverLaunchTwiceNorLoseAChat() throws {
        let emulator = try EmulatorProcess.start([
            "--tps", "0", "--max-active", "10000", "--fault-rate", "0.3", "--latency-ms", "15", "--seed", "2026",
        ])
        let folder = try Self.repository()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDCHATCTLEMULATOR", "AWS_SECRET_ACCESS_KEY": "chatctl-emulator-secret",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let arguments = [
            "apply", "--yes", "--quiet", "--endpoint-url", emulator.endpoint, "--region", "us-east-1",
            "--max-attempts", "2", "--concurrency", "3", folder.path,
        ]
        let lockfilePath = folder.appendingPathComponent("chatctl.lock.json").path
        // Kill at moments from early (before any request) to late (most chats recorded).
        var kills = 0
        for delay in [0.05, 0.15, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3] {
            let process = try ChatctlProcess.start(arguments, environment: environment)
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            // Whatever the moment, the lockfile is whole: absent, or parsing.
            if FileManager.default.fileExists(atPath: lockfilePath) {
                #expect(throws: Never.self) { try LockfileStore(path: lockfilePath).read() }
            }
        }
        #expect(kills >= 4, "apply finished too fast for the kills to land")
        var finalStatus: Int32 = -1
        for _ in 0..<8 {
            let run = try ChatctlProcess.run(arguments, environment: environment)
            finalStatus = run.status
            if run.status == 0, try ChatctlProcess.run(["plan", "--detailed-exitcode", folder.path]).status == 0 { break }
        }
        #expect(finalStatus == 0)
        let lockfile = try LockfileStore(path: lockfilePath).read()
        let contacts = try emulator.adminContacts()
        _ = emulator.stop()

        #expect(lockfile.entries.count == Self.profileCount)
        #expect(lockfile.entries.values.allSatisfy { $0.status == .started && $0.generation == 1 })
        let byToken = Dictionary(grouping: contacts, by: \.clientToken)
        #expect(contacts.count == Self.profileCount, "one contact per profile, none duplicated")
        #expect(byToken.values.allSatisfy { $0.count == 1 })
        for (name, entry) in lockfile.entries {
            #expect(byToken[entry.clientToken]?.first?.contactId == entry.contactId, "\(name): the recorded contact is the one created")
        }
    }
}

extension EmulatorProcess {
    struct AdminContact {
        var contactId: String
        var clientToken: String
    }

    /// `GET /_emulator/contacts`, through the curl command line.
    func adminContacts() throws -> [AdminContact] {
        let result = try ChatctlProcess.runProgram(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "--noproxy", "*", endpoint + "/_emulator/contacts"],
            in: FileManager.default.temporaryDirectory, environment: [:])
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let contacts = document?["contacts"] as? [[String: Any]] ?? []
        return contacts.map {
            AdminContact(contactId: $0["contactId"] as? String ?? "", clientToken: $0["clientToken"] as? String ?? "")
        }
    }
}
