import ChatctlCore
import Foundation
import Testing

/// SIGINT and SIGTERM during apply, sent for real to the binary, against an emulator that
/// answers slowly (`--latency-ms`), so a call is in flight when the signal arrives.
@Suite struct InterruptTests {
    static let profiles = ["p1", "p2", "p3", "p4"]

    /// Starts `apply` (one call at a time), waits until its first launch is in flight (the
    /// pending entry is on disk), then sends `signals`, one after another.
    static func interruptedApply(
        _ folder: URL, _ emulator: EmulatorProcess, signals: [Int32], grace: String = "30"
    ) throws -> (status: Int32, output: String) {
        let output = folder.appendingPathComponent("apply.out")
        let process = Process()
        process.executableURL = try ChatctlProcess.binary
        process.arguments = [
            "apply", "--yes", "--concurrency", "1", "--grace", grace, "--endpoint-url", emulator.endpoint,
            "--region", "us-east-1", folder.path,
        ]
        var environment = ChatctlProcess.baseEnvironment
        environment.merge(CommandFlagTests.credentials) { $1 }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let lockfile = try LockfileStore(path: folder.appendingPathComponent("chatctl.lock.json").path)
        // A guard against a hang, not a timing assertion: waits for the write-ahead.
        var inFlight = false
        for _ in 0..<1000 where !inFlight && process.isRunning {
            inFlight = (try? lockfile.read().entries.values.contains { $0.status == .pending }) == true
            if !inFlight { Thread.sleep(forTimeInterval: 0.01) }
        }
        try #require(inFlight, "no launch went in flight")
        for (index, number) in signals.enumerated() {
            if index > 0 {
                // Two identical signals pending at once are one to the kernel: send the next
                // once the first was handled (its line is printed).
                var handled = false
                for _ in 0..<1000 where !handled && process.isRunning {
                    handled = String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
                        .contains("starting nothing more")
                    if !handled { Thread.sleep(forTimeInterval: 0.01) }
                }
            }
            kill(process.processIdentifier, number)
        }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self))
    }

    /// `chatctl arguments…` started in the background against the emulator's credentials,
    /// its standard output and error both going to `output`.
    static func background(_ arguments: [String], output: URL, in directory: URL? = nil) throws -> Process {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = try ChatctlProcess.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ChatctlProcess.baseEnvironment.merging(CommandFlagTests.credentials) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Asks `condition` every 10 ms while `process` runs, for at most 10 s (a guard
    /// against a hang, not a timing assertion); whether it held.
    static func wait(while process: Process, for condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<1000 where process.isRunning {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try condition()
    }

    /// Sends `signal` to `process`, waits for it, and returns its status and what it printed.
    static func interrupt(_ process: Process, output: URL, signal: Int32 = SIGINT) -> (status: Int32, printed: String) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self))
    }

    static func converges(_ folder: URL, _ emulator: EmulatorProcess) throws {
        let again = try CommandFlagTests.apply(folder, emulator)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        let lockfile = try CommandFlagTests.lockfile(folder)
        #expect(lockfile.entries.keys.sorted() == Self.profiles)
        #expect(lockfile.entries.values.allSatisfy { $0.status == .started })
        let contacts = try emulator.adminContacts()
        #expect(contacts.count == Self.profiles.count, "one contact per profile")
        let byToken = Dictionary(grouping: contacts, by: \.clientToken)
        #expect(byToken.values.allSatisfy { $0.count == 1 })
        for entry in lockfile.entries.values {
            #expect(byToken[entry.clientToken]?.first?.contactId == entry.contactId)
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: [SIGINT, SIGTERM])
    func theFirstSignalLetsTheCallInFlightFinishAndRecordsIt(signal: Int32) throws {
        let emulator = try EmulatorProcess.start(["--instance", CommandFlagTests.instance, "--latency-ms", "1500", "--seed", "41"])
        defer { _ = emulator.stop() }
        let folder = try CommandFlagTests.repository(Self.profiles.map { CommandFlagTests.document($0) })
        defer { try? FileManager.default.removeItem(at: folder) }
        let (status, output) = try Self.interruptedApply(folder, emulator, signals: [signal])
        #expect(status == 128 + signal, "\(output)")
        #expect(output.contains("starting nothing more; waiting up to 30 s for the calls in flight"))
        #expect(output.contains("Interrupted by \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): every result that arrived is recorded. Not started: "))
        #expect(output.contains("Run chatctl apply again to resume."))
        // The call in flight finished and was recorded; nothing else started.
        let lockfile = try CommandFlagTests.lockfile(folder)
        #expect(lockfile.entries.count == 1, "\(lockfile.entries)")
        #expect(lockfile.entries.values.first?.status == .started)
        #expect(try emulator.adminContacts().count == 1)
        try Self.converges(folder, emulator)
    }

    @Test(.timeLimit(.minutes(2)))
    func aSecondSignalExitsAtOnceAndTheNextApplyResumes() throws {
        let emulator = try EmulatorProcess.start(["--instance", CommandFlagTests.instance, "--latency-ms", "4000", "--seed", "42"])
        defer { _ = emulator.stop() }
        let folder = try CommandFlagTests.repository(Self.profiles.map { CommandFlagTests.document($0) })
        defer { try? FileManager.default.removeItem(at: folder) }
        let (status, output) = try Self.interruptedApply(folder, emulator, signals: [SIGINT, SIGINT])
        #expect(status == 130, "\(output)")
        #expect(output.contains("SIGINT again: exiting at once"))
        // The launch in flight stays pending, and resumes with its token.
        let lockfile = try CommandFlagTests.lockfile(folder)
        #expect(lockfile.entries.values.map(\.status) == [.pending])
        try Self.converges(folder, emulator)
    }

    /// `chatctl stop` of twelve chats, one StopContact at a time against a slow emulator
    /// (400 ms each: about 4 s left after the second, however slow the signal is to come),
    /// interrupted once two were answered: every answered stop is recorded (the lockfile's
    /// stopped entries are exactly the emulator's stopped contacts), the rest are not
    /// tried, and a second stop ends them without stopping any chat twice.
    @Test(.timeLimit(.minutes(2)))
    func anInterruptedStopRecordsEveryStopThatWasAnswered() throws {
        let emulator = try EmulatorProcess.start([
            "--instance", CommandFlagTests.instance, "--latency-ms", "400", "--tps", "0", "--stop-tps", "0", "--seed", "43",
        ])
        defer { _ = emulator.stop() }
        let names = (1...12).map { "s\($0)" }
        let folder = try CommandFlagTests.repository(names.map { CommandFlagTests.document($0) })
        defer { try? FileManager.default.removeItem(at: folder) }
        let applied = try CommandFlagTests.apply(folder, emulator, ["--concurrency", "8", "--rate", "100", "--burst", "16"])
        #expect(applied.status == 0, "\(applied.stderr)")

        let output = folder.appendingPathComponent("stop.out")
        let process = try Self.background(
            ["stop", "--endpoint-url", emulator.endpoint, "--region", "us-east-1", "--project", folder.path] + names,
            output: output)
        let twoStopped = try Self.wait(while: process) {
            try emulator.adminContacts().filter { $0.state == "stopped" }.count >= 2
        }
        try #require(twoStopped, "two stops were answered before the signal")
        let (status, printed) = Self.interrupt(process, output: output)
        #expect(status == 130, "\(printed)")
        #expect(printed.contains("Interrupted by SIGINT: every stop that was answered is recorded"), "\(printed)")
        #expect(printed.contains("not stopped (interrupted)"), "\(printed)")

        let lockfile = try CommandFlagTests.lockfile(folder)
        let recorded = Set(lockfile.entries.values.filter { $0.status == .stopped }.compactMap(\.contactId))
        let stopped = Set(try emulator.adminContacts().filter { $0.state == "stopped" }.map(\.contactId))
        #expect(recorded == stopped, "every answered stop is recorded, and only those")
        #expect(recorded.count >= 2 && recorded.count < names.count, "\(recorded.count) of \(names.count)")

        let again = try ChatctlProcess.run(
            ["stop", "--endpoint-url", emulator.endpoint, "--region", "us-east-1", "--project", folder.path] + names,
            environment: CommandFlagTests.credentials)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(!again.stdout.contains("had already ended"), "no chat is stopped twice: \(again.stdout)")
        #expect(again.stdout.contains("Stopped \(names.count - recorded.count) chats. Lockfile: "), "\(again.stdout)")
        #expect(try emulator.adminContacts().allSatisfy { $0.state == "stopped" })
        #expect(try CommandFlagTests.lockfile(folder).entries.values.allSatisfy { $0.status == .stopped })
    }

    /// DescribeContact calls the emulator answered with 200 (`GET /_emulator/stats`).
    static func describesAnswered(_ emulator: EmulatorProcess) throws -> Int {
        let result = try ChatctlProcess.runProgram(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "--noproxy", "*", emulator.endpoint + "/_emulator/stats"],
            in: FileManager.default.temporaryDirectory, environment: [:])
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return ((document?["outcomes"] as? [String: [String: Int]])?["DescribeContact"]?["OK"]) ?? 0
    }

    /// `chatctl refresh` of sixteen chats at one DescribeContact per second after a burst of
    /// 8, interrupted once two were answered: every answer that arrived is recorded, no
    /// other call is sent (the burst's 8 and one a second after it leave 7 s before all 16
    /// could have been asked, however slow the machine is to send the signal).
    @Test(.timeLimit(.minutes(2)))
    func anInterruptedRefreshRecordsEveryObservationThatArrived() throws {
        let emulator = try EmulatorProcess.start([
            "--instance", CommandFlagTests.instance, "--latency-ms", "200", "--tps", "0", "--seed", "44",
        ])
        defer { _ = emulator.stop() }
        let names = (1...16).map { "r\($0)" }
        let folder = try CommandFlagTests.repository(names.map { CommandFlagTests.document($0) })
        defer { try? FileManager.default.removeItem(at: folder) }
        let applied = try CommandFlagTests.apply(folder, emulator, ["--concurrency", "8", "--rate", "100", "--burst", "16"])
        #expect(applied.status == 0, "\(applied.stderr)")

        let output = folder.appendingPathComponent("refresh.out")
        let process = try Self.background(
            ["refresh", "--endpoint-url", emulator.endpoint, "--region", "us-east-1", "--refresh-rate", "1", folder.path],
            output: output)
        let twoAnswered = try Self.wait(while: process) { try Self.describesAnswered(emulator) >= 2 }
        try #require(twoAnswered, "two DescribeContact calls were answered before the signal")
        let (status, printed) = Self.interrupt(process, output: output)
        #expect(status == 130, "\(printed)")
        #expect(printed.contains("Interrupted by SIGINT: every observation that arrived is recorded"), "\(printed)")
        let observed = try CommandFlagTests.lockfile(folder).entries.values.filter { $0.observed != nil }.count
        let total = try Self.describesAnswered(emulator)
        #expect(observed == total, "every answer is recorded: \(observed) of \(total)")
        #expect(observed >= 2 && observed < names.count, "\(observed) of \(names.count)")
    }
}
