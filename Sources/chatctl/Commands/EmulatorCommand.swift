import ArgumentParser
import ChatctlCore
import ChatctlEmulator
import Dispatch
import Foundation

/// `chatctl emulator`: runs the local Amazon Connect emulator until SIGINT or SIGTERM.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run a local Amazon Connect that serves StartChatContact and StopContact.",
        discussion: """
            The emulator verifies SigV4 signatures with its own credentials, checks every \
            constraint of the API model, keeps contacts and ClientTokens, throttles like the \
            service and can inject faults. When it listens it prints the endpoint and \
            `export` lines to paste into a shell, so that the AWS CLI, an SDK or chatctl \
            talk to it. Admin API (unsigned): GET /_emulator/contacts, GET /_emulator/stats, \
            POST /_emulator/reset, POST /_emulator/advance?seconds=N, GET /_emulator/events \
            (WebSocket). With --flows DIR, a chat whose flow id has DIR/<flowId>.json runs \
            that exported contact flow when its customer connects (--fixtures FILE answers for \
            Lex bots, Lambda functions, hours and random splits). See docs/emulator.md.
            """
    )

    @Option(help: "Address to listen on (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free port.")
    var port = 0

    @Option(help: "StartChatContact requests per second (0: no throttling).")
    var tps: Double = 5

    @Option(help: "StartChatContact burst (token bucket size).")
    var burst = 8

    @Option(name: .customLong("stop-tps"), help: "StopContact requests per second (0: no throttling).")
    var stopTPS: Double = 10

    @Option(name: .customLong("stop-burst"), help: "StopContact burst.")
    var stopBurst = 15

    @Option(help: "Concurrent active chats per instance.")
    var maxActive = 500

    @Option(help: "Region requests must be signed for.")
    var region = "us-east-1"

    @Option(
        name: .customLong("instance"), parsing: .upToNextOption,
        help: "Instance ids or ARNs that exist (repeatable; default: any well-formed id).")
    var instances: [String] = []

    @Option(
        name: .customLong("flow"), parsing: .upToNextOption,
        help: "Contact flow ids or ARNs that exist (repeatable; default: any well-formed id).")
    var flows: [String] = []

    @Option(name: .customLong("flows"), help: "Folder of exported contact flows (2019-10-30): <flowId>.json serves the flow with that id.")
    var flowsDirectory: String?

    @Option(name: .customLong("fixtures"), help: "Flow fixtures file (YAML, kind FlowFixtures): Lex bots, Lambda results, hours, seed.")
    var fixturesFile: String?

    @Option(help: "Probability (0 to 1) that a request gets an injected fault.")
    var faultRate: Double = 0

    @Option(help: "Fault kinds to inject: any of 500, drop, lost, garbage, malformed-200, comma-separated.")
    var faults = "500,drop,lost"

    @Option(name: .customLong("latency-ms"), help: "Delay added to every answer, in milliseconds.")
    var latencyMilliseconds = 0

    @Option(help: "Seed of ids, tokens and faults (default: random, printed at start).")
    var seed: UInt64?

    @Option(name: .customLong("access-key-id"), help: "Access key id requests must be signed with.")
    var accessKeyID = EmulatorCredentials.standard.accessKeyID

    @Option(name: .customLong("secret-access-key"), help: "Secret access key requests must be signed with.")
    var secretAccessKey = EmulatorCredentials.standard.secretAccessKey

    @Option(
        name: .customLong("participant-quota"),
        help: ArgumentHelp(
            "A Participant Service quota per instance, OPERATION=RATE/BURST (RATE 0: no throttling); repeatable. "
                + "Defaults: CreateParticipantConnection=6/9, SendMessage=10/15, SendEvent=10/15, "
                + "GetTranscript=8/12, DisconnectParticipant=3/5."))
    var participantQuotas: [String] = []

    @Flag(name: .customLong("no-participant-throttling"), help: "Do not throttle the Participant Service at all.")
    var noParticipantThrottling = false

    @Option(
        name: .customLong("connect-window"),
        help: "Seconds a chat's customer has to call CreateParticipantConnection before the chat ends.")
    var connectWindow: Double = 300

    @Flag(
        name: .customLong("keep-unconnected-chats"),
        help: "Keep chats open whose customer never connects (no connect window).")
    var keepUnconnectedChats = false

    @Flag(name: .long, help: "Log every request on standard error: method, path, status, time (never headers or bodies), and each contact-flow action that is not emulated.")
    var verbose = false

    func validate() throws {
        guard FaultKind.parseList(faults) != nil else {
            throw ValidationError("--faults takes \(FaultKind.names), comma-separated, not \"\(faults)\"")
        }
        for text in participantQuotas where ParticipantQuotas.parseSetting(text) == nil {
            throw ValidationError(
                "--participant-quota takes OPERATION=RATE/BURST with OPERATION one of "
                    + ParticipantOperationName.allCases.map(\.rawValue).joined(separator: ", ")
                    + ", not \"\(text)\"")
        }
        let problems = makeConfiguration().problems
        if !problems.isEmpty {
            throw ValidationError(problems.joined(separator: "; "))
        }
    }

    func run() async throws {
        var configuration = makeConfiguration()
        configuration.flowRunner = try loadFlows()
        let emulator: EmulatorServer
        do {
            emulator = try await EmulatorServer.start(
                configuration, requestLog: verbose ? Self.logRequest : nil, flowLog: verbose ? Self.logFlow : nil)
        } catch {
            Terminal.writeError("error: \(error)\n")
            throw ExitCodes.failure
        }
        // The signal sources are registered before the endpoint is printed: a script that
        // reads the endpoint and stops the emulator at once must not lose its signal.
        let signals = await Self.stopOnSignals([SIGINT, SIGTERM], emulator)
        Terminal.write(Self.readyText(emulator))
        Terminal.writeError(
            "seed \(emulator.seed) (repeat a run with --seed \(emulator.seed)); "
                + "admin API at \(emulator.endpointURL)/_emulator/stats; stop with Ctrl-C\n")
        await emulator.waitUntilStopped()
        signals.forEach { $0.cancel() }
        Terminal.writeError("stopped\n")
    }

    /// The flows and fixtures of `--flows` and `--fixtures`; their problems are printed, and
    /// an error stops the command before the emulator starts.
    func loadFlows() throws -> FlowRunner {
        guard flowsDirectory != nil || fixturesFile != nil else { return FlowRunner() }
        let loaded = FlowInputs.load(flows: flowsDirectory, fixtures: fixturesFile)
        var printer = DiagnosticPrinter(useColor: false, showSnippets: false)
        for diagnostic in Diagnostic.sortedAndUnique(loaded.diagnostics) { Terminal.writeError(printer.text(diagnostic)) }
        if loaded.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCodes.failure }
        Terminal.writeError("serving \(loaded.runner.library.flows.count) contact flows\n")
        return loaded.runner
    }

    /// Dispatch sources that stop `emulator` on each of `numbers`, returned once every
    /// source is registered: libdispatch installs its signal handler asynchronously after
    /// `resume()`, and until it has, the `SIG_IGN` set here swallows the signal.
    static func stopOnSignals(_ numbers: [Int32], _ emulator: EmulatorServer) async -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        for number in numbers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Task { await emulator.stop() }
            }
            await withCheckedContinuation { (registered: CheckedContinuation<Void, Never>) in
                source.setRegistrationHandler { registered.resume() }
                source.resume()
            }
            sources.append(source)
        }
        return sources
    }

    /// One `--verbose` line: `2026-11-22T06:30:00Z PUT /contact/chat 200 3.1 ms`.
    @Sendable static func logRequest(_ record: EmulatorRequestRecord) {
        Terminal.writeError("\(RFC3339.string(from: Date())) \(record)\n")
    }

    /// One `--verbose` line for a flow action that is not emulated (names, never values).
    @Sendable static func logFlow(_ line: String) {
        Terminal.writeError("\(RFC3339.string(from: Date())) \(line)\n")
    }

    func makeConfiguration() -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration(
            host: host, port: port, tps: tps, burst: burst, stopTPS: stopTPS, stopBurst: stopBurst,
            maxActive: maxActive, region: region, instances: instances, flows: flows, faultRate: faultRate,
            faults: FaultKind.parseList(faults) ?? FaultKind.standard, latencyMilliseconds: latencyMilliseconds,
            seed: seed, credentials: EmulatorCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey))
        if noParticipantThrottling {
            configuration.participantQuotas = .off
        }
        for (operation, quota) in participantQuotas.compactMap(ParticipantQuotas.parseSetting) {
            configuration.participantQuotas.byOperation[operation] = quota
        }
        configuration.customerConnectWindow = keepUnconnectedChats ? nil : connectWindow
        return configuration
    }

    /// What is printed on standard output once the emulator listens: the endpoint, then
    /// lines to paste into a POSIX shell.
    static func readyText(_ emulator: EmulatorServer) -> String {
        """
        listening on \(emulator.endpointURL)
        export AWS_ACCESS_KEY_ID=\(shellWord(emulator.credentials.accessKeyID))
        \(secretLine(emulator.credentials))
        export AWS_REGION=\(shellWord(emulator.region))
        export AWS_DEFAULT_REGION=\(shellWord(emulator.region))
        export AWS_ENDPOINT_URL_CONNECT=\(shellWord(emulator.endpointURL))
        export AWS_ENDPOINT_URL_CONNECTPARTICIPANT=\(shellWord(emulator.endpointURL))

        """
    }

    /// The line for the secret key: the public default is printed so that the lines can be
    /// pasted; a secret given with --secret-access-key is never echoed (output ends up in
    /// CI logs and terminal scrollback).
    static func secretLine(_ credentials: EmulatorCredentials) -> String {
        if credentials.secretAccessKey == EmulatorCredentials.standard.secretAccessKey {
            return "export AWS_SECRET_ACCESS_KEY=\(shellWord(credentials.secretAccessKey))"
        }
        return "# export AWS_SECRET_ACCESS_KEY=<the secret given with --secret-access-key>"
    }

    /// `word` as it must be written in a POSIX shell: as is when it holds only safe
    /// characters, else in single quotes.
    static func shellWord(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./:@%+=,[]".unicodeScalars.contains(scalar))
        }
        if safe && !word.isEmpty {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
