import ChatctlCore
import Foundation
import Testing

/// SPEC section 6: "no chat is ever launched twice for one (profile, generation), and
/// none is lost" — proved the hard way. `chatctl apply` is killed with SIGKILL at moments
/// defined by what it has done (nothing yet, a first entry written ahead, n requests answered
/// by the emulator, n chats recorded as started) while the emulator (its own process)
/// answers 500s, drops connections and loses answers after creating contacts; then apply
/// runs to completion. The kills wait on events, not on the clock, so each lands at its
/// point however fast or slow the machine is.
@Suite struct CrashSafetyTests {
    static let profileCount = 60

    /// When a run is killed, counted from what the lockfile and the emulator showed when
    /// the run began.
    enum KillPoint: CustomStringConvertible {
        /// As soon as the process exists: before it has read a profile.
        case atStart
        /// Once the lockfile has `n` more entries: each is written ahead of its first request.
        case afterEntriesWrittenAhead(Int)
        /// Once the emulator has answered `n` more requests (`GET /_emulator/stats`).
        case afterRequests(Int)
        /// Once `n` more entries are recorded as started.
        case afterStarted(Int)

        var description: String {
            switch self {
            case .atStart: "at start"
            case .afterEntriesWrittenAhead(let count): "after \(count) entries written ahead"
            case .afterRequests(let count): "after \(count) requests"
            case .afterStarted(let count): "after \(count) chats recorded"
            }
        }
    }

    /// Early to late; the thresholds add up to far less than the work, so every run is
    /// still busy when its event comes.
    static let killPoints: [KillPoint] = [
        .atStart, .afterEntriesWrittenAhead(1), .afterRequests(1), .afterStarted(1),
        .afterEntriesWrittenAhead(3), .afterRequests(4), .afterStarted(3), .afterRequests(6),
    ]

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

    /// What the lockfile records: entries, and entries started. Absent counts as empty;
    /// writes are atomic, so any file that is there parses.
    static func progress(_ lockfilePath: String) throws -> (entries: Int, started: Int) {
        guard FileManager.default.fileExists(atPath: lockfilePath) else { return (0, 0) }
        let lockfile = try LockfileStore(path: lockfilePath).read()
        return (lockfile.entries.count, lockfile.entries.values.filter { $0.status == .started }.count)
    }

    /// Waits until `point` has been reached by the run that began at `entries`, `started`
    /// and `requests`, or the process has ended; true when the event came first.
    static func wait(
        for point: KillPoint, process: Process, lockfilePath: String, emulator: EmulatorProcess,
        from before: (entries: Int, started: Int, requests: Int)
    ) throws -> Bool {
        // A guard against a hung apply only; no assertion depends on it.
        let giveUp = Date().addingTimeInterval(300)
        while process.isRunning, Date() < giveUp {
            switch point {
            case .atStart:
                return true
            case .afterEntriesWrittenAhead(let count):
                if try progress(lockfilePath).entries >= before.entries + count { return true }
            case .afterStarted(let count):
                if try progress(lockfilePath).started >= before.started + count { return true }
            case .afterRequests(let count):
                if try emulator.adminStats().requests >= before.requests + count { return true }
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return false
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
        var landed: [String] = []
        for point in Self.killPoints {
            let (entries, started) = try Self.progress(lockfilePath)
            let before = (entries, started, try emulator.adminStats().requests)
            let process = try ChatctlProcess.start(arguments, environment: environment)
            if try Self.wait(for: point, process: process, lockfilePath: lockfilePath, emulator: emulator, from: before) {
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal, process.terminationStatus == SIGKILL {
                landed.append(point.description)
            }
            // Whatever the moment, the lockfile is whole: absent, or parsing.
            if FileManager.default.fileExists(atPath: lockfilePath) {
                #expect(throws: Never.self) { try LockfileStore(path: lockfilePath).read() }
            }
        }
        #expect(landed == Self.killPoints.map(\.description), "every run was still at work when its event came")
        #expect(try Self.progress(lockfilePath).started < Self.profileCount, "the kills left work to finish")
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
        /// `active`, `stopped` or `expired`.
        var state: String
        var relatedContactId: String?
    }

    /// `GET /_emulator/contacts[?clientToken=…]`, through the curl command line.
    func adminContacts(clientToken: String? = nil) throws -> [AdminContact] {
        var url = endpoint + "/_emulator/contacts"
        if let clientToken { url += "?clientToken=" + (clientToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        let result = try ChatctlProcess.runProgram(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "--noproxy", "*", url],
            in: FileManager.default.temporaryDirectory, environment: [:])
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let contacts = document?["contacts"] as? [[String: Any]] ?? []
        return contacts.map {
            AdminContact(
                contactId: $0["contactId"] as? String ?? "", clientToken: $0["clientToken"] as? String ?? "",
                state: $0["state"] as? String ?? "", relatedContactId: $0["relatedContactId"] as? String)
        }
    }
}
