import ArgumentParser
import ChatctlAWS
import ChatctlCore
import ChatctlJSON
import Foundation

/// `chatctl refresh [PATH…]`: what became of each chat the lockfile records.
struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Record what Amazon Connect says became of each chat in the lockfile (DescribeContact).",
        discussion: """
            Asks DescribeContact about every lockfile entry with a contact and records its \
            state (in-flow, queued, with-agent, ended, gone) and times in the entry's observed \
            block, nothing else. Launches and stops nothing. Holds the lockfile's lock and \
            writes it atomically. Exit codes: 0 done, 1 error, 2 with --detailed-exitcode when \
            a state changed, 3 when some contacts could not be described.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var lockfileOptions: LockfileWriteOptions

    @Option(name: .long, help: "DescribeContact requests per second (default 5, burst 8), apart from apply's rate.")
    var refreshRate: Double?

    @Flag(name: .long, help: "Exit 0 when no state changed, 2 when one did, 1 on error.")
    var detailedExitcode = false

    @Argument(help: "Files or folders of profiles (default: the current folder).")
    var paths: [String] = []

    func validate() throws {
        if let refreshRate, !(refreshRate > 0 && refreshRate.isFinite) {
            throw ValidationError("--refresh-rate must be a number of requests per second above 0, not \(refreshRate)")
        }
    }

    func run() async throws {
        let format = options.resolvedFormat(defaultingToGitHubOnActions: false)
        let (results, path, serial, signal) = try await reportingFailures(options) { try await refresh(format: format) }
        switch format {
        case .json: Terminal.write(JSONWriter.pretty.string(RefreshReport.json(results, lockfile: path, serial: serial)))
        case .markdown: Terminal.write(RefreshReport.markdown(results))
        case .text, .github: Terminal.write(RefreshReport.text(results, lockfile: path, serial: serial, verbose: options.verbose))
        }
        if let signal {
            throw ApplyInterruptHandler.interrupted(by: signal, "every observation that arrived is recorded; run chatctl refresh again for the rest.")
        }
        if results.contains(where: { $0.failure != nil }) { throw ExitCodes.partialFailure }
        if detailedExitcode, results.contains(where: \.changed) { throw ExitCodes.planHasChanges }
    }

    private func refresh(format: OutputFormat) async throws -> ([Refresher.Result], String, Int, Int32?) {
        let workspace = try Workspace.load(paths: paths, lockfileOverride: lockfileOptions.lockfile, output: format, options: options)
        let lock = try lockfileOptions.acquire(workspace.lockfilePath)
        defer { lock.release() }
        try Workspace.foldJournal(at: workspace.lockfilePath)
        let endpoint = connection.lockfileEndpoint(emulator: false, environment: options.environment)
        let current = try workspace.readLockfile(for: endpoint)
        guard current.entries.values.contains(where: { $0.contactId != nil && $0.instance != nil }) else {
            return ([], workspace.lockfilePath, current.serial, nil)
        }
        let settings = ApplySettings(connection: connection, projectSpec: workspace.projectSpec, refreshRate: refreshRate)
        let session = try await LaunchSession.start(
            emulator: false, connection: connection, settings: settings, options: options, workspace: workspace,
            lockfile: current, profilesWithoutRegion: [])
        // A first SIGINT or SIGTERM sends no other DescribeContact and lets those in flight
        // answer (cancelled after 10 s); what arrived is recorded below. A second exits at once.
        let refresher = Refresher(observer: session.observer)
        let (refreshed, signal) = await ApplyInterruptHandler.run(
            grace: StopCommand.grace, atOnce: "the observations that arrived are not recorded"
        ) { interruption in
            await refresher.refresh(current, now: { Date() }, interruption: interruption)
        }
        let (observed, results) = refreshed
        await session.stop()
        guard results.contains(where: { $0.after != nil }) else { return (results, workspace.lockfilePath, current.serial, signal) }
        var updated = observed
        updated.endpoint = endpoint
        // Observations change what plan does (a persistent chain may move on): a saved plan
        // made before this refresh must be refused, as after an apply.
        if updated.serial < Int.max { updated.serial += 1 }
        do {
            let store = try LockfileStore(path: workspace.lockfilePath)
            store.removeLeftovers()
            try store.write(updated)
        } catch let error as LockfileError {
            throw CommandFailure(error.diagnostic)
        }
        return (results, workspace.lockfilePath, updated.serial, signal)
    }
}

/// What `chatctl refresh` prints.
enum RefreshReport {
    /// `in-flow → ended at 12:03:10Z`: the time the new state began, when known.
    static func transition(_ result: Refresher.Result) -> String {
        let before = result.before?.state.rawValue ?? "unobserved"
        guard let after = result.after else { return before }
        var text = "\(before) → \(after.state.rawValue)"
        if let since = since(after) { text += " at \(RFC3339.string(from: since))" }
        return text
    }

    static func since(_ observed: LockEntry.Observation) -> Date? {
        switch observed.state {
        case .ended: observed.disconnectedAt
        case .withAgent: observed.agentConnectedAt
        case .queued: observed.queuedAt
        case .inFlow, .gone: nil
        }
    }

    static func text(_ results: [Refresher.Result], lockfile: String, serial: Int, verbose: Bool) -> String {
        guard !results.isEmpty else { return "The lockfile records no chats to refresh.\n" }
        var lines: [String] = []
        for result in results {
            let name = Terminal.printable(result.profile)
            if let failure = result.failure {
                lines.append("! \(name): \(Terminal.printable(failure.code)): \(Terminal.printable(failure.message))")
            } else if result.changed {
                lines.append("~ \(name): \(transition(result))")
            } else if verbose, let after = result.after {
                lines.append("  \(name): \(after.state.rawValue) (unchanged)")
            }
        }
        let changed = results.filter(\.changed).count
        let failed = results.filter { $0.failure != nil }.count
        lines.append("Refreshed \(results.count - failed) of \(results.count) chats: \(changed) changed, \(failed) failed. Lockfile: \(lockfile) (serial \(serial)).")
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ results: [Refresher.Result]) -> String {
        guard !results.isEmpty else { return "The lockfile records no chats to refresh.\n" }
        var lines = ["| Profile | Observed | Changed |", "| --- | --- | --- |"]
        for result in results {
            let cell = result.failure.map { "failed: \(Terminal.printable($0.code))" } ?? transition(result)
            lines.append("| \(Terminal.printable(result.profile)) | \(cell) | \(result.changed ? "yes" : "no") |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ results: [Refresher.Result], lockfile: String, serial: Int) -> JSONValue {
        .object([
            "formatVersion": .integer(1), "lockfile": .string(lockfile), "serial": .integer(serial),
            "profiles": .array(results.map { result in
                var members: [String: JSONValue] = ["profile": .string(result.profile), "changed": .bool(result.changed)]
                if let before = result.before { members["before"] = .string(before.state.rawValue) }
                if let after = result.after {
                    members["state"] = .string(after.state.rawValue)
                    members["refreshedAt"] = .string(RFC3339.string(from: after.refreshedAt))
                    if let since = since(after) { members["since"] = .string(RFC3339.string(from: since)) }
                }
                if let failure = result.failure {
                    members["error"] = .object(["code": .string(failure.code), "message": .string(failure.message)])
                }
                return .object(members)
            }),
        ])
    }
}

/// `plan --refresh` and `apply --refresh`: refresh first (plan records nothing; apply
/// records what it observed before planning), the changes said on standard error.
struct RefreshFirstOptions: ParsableArguments {
    @Flag(name: .long, help: "Refresh the observed state of every chat first (DescribeContact), as chatctl refresh does.")
    var refresh = false

    @Option(name: .long, help: "With --refresh: DescribeContact requests per second (default 5, burst 8).")
    var refreshRate: Double?

    func validate() throws {
        if let refreshRate, !(refreshRate > 0 && refreshRate.isFinite) {
            throw ValidationError("--refresh-rate must be a number of requests per second above 0, not \(refreshRate)")
        }
    }

    /// `lockfile` with fresh observations (unchanged without `--refresh`), and whether any
    /// contact was described.
    func refreshed(
        _ read: Lockfile, workspace: Workspace, connection: ConnectionOptions, options: GlobalOptions, emulator: Bool
    ) async throws -> (lockfile: Lockfile, observed: Bool) {
        guard refresh else { return (read, false) }
        // Every entry's contact, place and state are read: each read back from plan's
        // lockfile file once, not for each field.
        let lockfile: Lockfile
        do {
            lockfile = try read.heldInMemory()
        } catch {
            throw CommandFailure(error.diagnostic)
        }
        guard lockfile.entries.values.contains(where: { $0.contactId != nil && $0.instance != nil }) else {
            return (lockfile, false)
        }
        let settings = ApplySettings(connection: connection, projectSpec: workspace.projectSpec, refreshRate: refreshRate)
        let session = try await LaunchSession.start(
            emulator: emulator, connection: connection, settings: settings, options: options, workspace: workspace,
            lockfile: lockfile, profilesWithoutRegion: [])
        let (updated, results) = await Refresher(observer: session.observer).refresh(lockfile, now: { Date() })
        await session.stop()
        for result in results where result.changed || result.failure != nil {
            let line = result.failure.map { "! \(result.profile): \(Terminal.printable($0.code)): \(Terminal.printable($0.message))" }
                ?? "~ \(result.profile): \(RefreshReport.transition(result))"
            Terminal.writeError("refresh: " + Terminal.printable(line) + "\n")
        }
        return (updated, results.contains { $0.after != nil })
    }
}
