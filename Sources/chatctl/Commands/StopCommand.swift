import ArgumentParser
import ChatctlCore
import ChatctlJSON
import Foundation

/// `chatctl stop NAME…`: end the named profiles' chats and record them as stopped.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the current chat of each named profile (StopContact) and record it as stopped.",
        discussion: """
            Reads only the lockfile (no profiles). A stopped chat counts as ended: a persistent \
            chat from: it may launch, and it is not relaunched unless its profile changes, \
            relaunch: always, or --replace. Exit codes: 0 done, 1 error, 3 when some chats \
            could not be stopped or a name has no entry.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var lockfileOptions: LockfileWriteOptions

    @Option(name: .long, help: "The project folder, to find the lockfile (default: the current folder).")
    var project: String?

    @Argument(help: "The profiles whose chats to stop.")
    var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("name at least one profile whose chat to stop") }
    }

    func run() async throws {
        let format = options.resolvedFormat(defaultingToGitHubOnActions: false)
        let (results, path, serial, signal) = try await reportingFailures(options) { try await stop() }
        switch format {
        case .json: Terminal.write(JSONWriter.pretty.string(Self.json(results, lockfile: path, serial: serial)))
        case .text, .github, .markdown: Terminal.write(Self.text(results, lockfile: path, serial: serial))
        }
        if let signal {
            throw ApplyInterruptHandler.interrupted(by: signal, "every stop that was answered is recorded; run chatctl stop again for the rest.")
        }
        if results.contains(where: { $0.outcome == .failed || $0.outcome == .unknown }) { throw ExitCodes.partialFailure }
    }

    private func stop() async throws -> ([ChatStopper.Result], String, Int, Int32?) {
        let path = try StatusCommand.lockfilePath(path: project, override: lockfileOptions.lockfile)
        let lock = try lockfileOptions.acquire(path)
        defer { lock.release() }
        try Workspace.foldJournal(at: path)
        let endpoint = connection.lockfileEndpoint(emulator: false, environment: options.environment)
        let store: LockfileStore
        let current: Lockfile
        do {
            store = try LockfileStore(path: path)
            current = try store.read()
        } catch let error as LockfileError {
            throw CommandFailure(error.diagnostic)
        }
        if let conflict = current.endpointConflict(with: endpoint, file: path) { throw CommandFailure(conflict.diagnostic) }
        let settings = ApplySettings(connection: connection, projectSpec: .object([:]), refreshRate: nil)
        let session = try await LaunchSession.start(
            emulator: false, connection: connection, settings: settings, options: options, workspace: nil,
            lockfile: current, profilesWithoutRegion: [])
        // A first SIGINT or SIGTERM lets the StopContact in flight finish (cancelling it after
        // the grace) and stops no more; what was answered is recorded below. A second exits
        // at once.
        let stopper = ChatStopper(launcher: session.launcher)
        let names = self.names
        let (stopped, signal) = await ApplyInterruptHandler.run(
            grace: Self.grace, atOnce: "the stops answered so far are not recorded; `chatctl refresh` records their chats as ended"
        ) { interruption in
            await stopper.stop(names, in: current, now: { Date() }, interruption: interruption)
        }
        var (updated, results) = stopped
        await session.stop()
        guard updated != current else { return (results, path, current.serial, signal) }
        updated.endpoint = endpoint
        if updated.serial < Int.max { updated.serial += 1 }
        store.removeLeftovers()
        do {
            try store.write(updated)
        } catch {
            throw CommandFailure(error.diagnostic)
        }
        return (results, path, updated.serial, signal)
    }

    /// Seconds a StopContact in flight is given after the first signal.
    static let grace: Double = 10

    static func text(_ results: [ChatStopper.Result], lockfile: String, serial: Int) -> String {
        var lines: [String] = []
        for result in results {
            let name = Terminal.printable(result.profile)
            let contact = result.contactId.map { " \(Terminal.printable($0))" } ?? ""
            switch result.outcome {
            case .stopped: lines.append("- \(name): stopped contact\(contact)")
            case .alreadyEnded: lines.append("- \(name): contact\(contact) had already ended; recorded as stopped")
            case .notRunning: lines.append("  \(name): no running chat to stop")
            case .unknown: lines.append("! \(name): the lockfile has no entry of that name")
            case .interrupted: lines.append("  \(name): not stopped (interrupted)")
            case .failed:
                let failure = result.failure.map { "\(Terminal.printable($0.code)): \(Terminal.printable($0.message))" } ?? "failed"
                lines.append("! \(name): StopContact failed: \(failure)")
            }
        }
        // Only the chats this run ended count as stopped; those found already ended are said apart.
        let stopped = results.filter { $0.outcome == .stopped }.count
        let ended = results.filter { $0.outcome == .alreadyEnded }.count
        let endedText = ended == 0 ? "" : "; \(ended) had already ended (recorded as stopped)"
        lines.append("Stopped \(stopped) \(stopped == 1 ? "chat" : "chats")\(endedText). Lockfile: \(lockfile) (serial \(serial)).")
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ results: [ChatStopper.Result], lockfile: String, serial: Int) -> JSONValue {
        .object([
            "formatVersion": .integer(1), "lockfile": .string(lockfile), "serial": .integer(serial),
            "profiles": .array(results.map { result in
                var members: [String: JSONValue] = ["profile": .string(result.profile), "result": .string(result.outcome.rawValue)]
                if let contact = result.contactId { members["contactId"] = .string(contact) }
                if let failure = result.failure {
                    members["error"] = .object(["code": .string(failure.code), "message": .string(failure.message)])
                }
                return .object(members)
            }),
        ])
    }
}
