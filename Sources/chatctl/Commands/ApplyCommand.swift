import ArgumentParser
import ChatctlAWS
import ChatctlCore
import ChatctlJSON
import Foundation

/// `chatctl apply [PATH… | PLAN.json]`: run the plan against Amazon Connect.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Launch, resume and stop chats as planned, recording every result in the lockfile.",
        discussion: """
            Prints the plan, asks for confirmation on a terminal (--yes is required otherwise), \
            then runs the calls in dependency order. Every launch is written to the lockfile as \
            pending before its request leaves, and its result as soon as it arrives, so a crash \
            loses nothing and a re-run resumes with the same client token. With --emulator, \
            runs against an in-process Amazon Connect emulator (no AWS account needed), recorded \
            in its own lockfile beside the real one (chatctl.emulator.lock.json). \
            Exit codes: 0 done, 1 error, 3 finished with some profiles failed.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var planning: PlanningOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var refreshFirst: RefreshFirstOptions
    @OptionGroup var reports: VerificationReportOptions

    @Flag(name: .long, help: "Right after each launch, run the profile's spec.verify conversation; a failed one fails the profile.")
    var verify = false

    @Flag(name: .long, help: "Apply without asking (required when standard input is not a terminal).")
    var yes = false

    @Option(name: .long, help: "Calls in flight at once (default: the project's apply.concurrency, else 4).")
    var concurrency: Int?

    @Flag(name: .long, help: "Stop scheduling new calls at the first failure.")
    var failFast = false

    @Option(name: .long, help: "Seconds to wait for another apply's lock before failing (default 0).")
    var lockTimeout: Double = 0

    @Option(name: .long, help: "Seconds a launch waits for the active-chat quota to free up (default: the project's apply.capacityWait, else 0).")
    var capacityWait: Double?

    @Option(name: .long, help: "Seconds the calls in flight get to finish after SIGINT or SIGTERM before they are cancelled (default 10, at most 86400).")
    var grace: Double = 10

    /// The longest `--grace`: a day, longer than any call's retries take.
    static let maximumGrace: Double = 86_400

    @Option(name: .long, help: "Write participant tokens to this JSON file (created 0600) for the step that connects participants.")
    var outputs: String?

    @Argument(help: "Files or folders of profiles, or one plan saved by `chatctl plan --out`.")
    var paths: [String] = []

    /// The bounds the project file's `spec.apply` has (project.schema.json).
    static let concurrencyRange = 1...64

    /// Usage errors (exit 64), said before any profile is read or anything starts.
    func validate() throws {
        if let concurrency, !Self.concurrencyRange.contains(concurrency) {
            throw ValidationError("--concurrency must be between \(Self.concurrencyRange.lowerBound) and \(Self.concurrencyRange.upperBound), not \(concurrency)")
        }
        if planning.emulator, connection.endpointUrl != nil {
            throw ValidationError("--emulator and --endpoint-url cannot be used together: --emulator starts its own endpoint")
        }
        if options.format == .markdown {
            throw ValidationError("apply has no markdown output; use `chatctl plan --format markdown` for a pull-request comment, and text, json or github for apply")
        }
        if !(lockTimeout >= 0 && lockTimeout.isFinite) {
            throw ValidationError("--lock-timeout must be a number of seconds of 0 or more, not \(lockTimeout)")
        }
        if !(grace >= 0 && grace <= Self.maximumGrace) {
            throw ValidationError("--grace must be a number of seconds from 0 to \(Int(Self.maximumGrace)) (a day), not \(SecondsText.text(grace))")
        }
        if !verify, reports.junit != nil || reports.transcripts != nil {
            throw ValidationError("--junit and --transcripts report the conversations of --verify: add --verify")
        }
        if let capacityWait, !(capacityWait >= 0 && capacityWait.isFinite) {
            throw ValidationError("--capacity-wait must be a number of seconds of 0 or more, not \(capacityWait)")
        }
    }

    func run() async throws {
        try await reportingFailures(options) { try await apply() }
    }

    private func apply() async throws {
        var planning = self.planning
        var inputs = Validation.Inputs.paths(paths)
        let saved = try SavedPlan.readIfPlan(paths)
        if let saved {
            // Exactly what the plan recorded: its files, flags and lockfile, from any folder.
            inputs = saved.validationInputs
            planning.target = saved.inputs.targets
            planning.replace = saved.inputs.replace
            planning.selector = saved.inputs.selector
            planning.prune = saved.inputs.prune
            planning.lockfile = planning.lockfile ?? saved.inputs.lockfile ?? saved.lockfile
            planning.adoptInputs = planning.adoptInputs || saved.inputs.adoptInputs
        }
        let format = options.resolvedFormat(defaultingToGitHubOnActions: false)
        var workspace = try Workspace.load(
            inputs, lockfileOverride: planning.lockfile, emulator: planning.emulator && saved == nil, output: format,
            options: options)
        if let saved { workspace.inputs = saved.inputs.roots.map(LockfileInputs.init(roots:)) }
        let lock = try Self.lock(workspace.lockfilePath, timeout: lockTimeout)
        defer { lock.release() }
        // What a killed apply left in the journal becomes the lockfile before anything else.
        try Workspace.foldJournal(at: workspace.lockfilePath)
        // A lockfile of another endpoint, or of other inputs, is refused before anything is
        // planned or written.
        let endpoint = connection.lockfileEndpoint(emulator: planning.emulator, environment: options.environment)
        var lockfile = try workspace.readLockfile(for: endpoint)
        try workspace.checkInputs(of: lockfile, adopt: planning.adoptInputs, command: "apply")
        if refreshFirst.refresh {
            if saved != nil {
                throw CommandFailure(Diagnostic(
                    location: nil, code: "apply.refresh-saved-plan",
                    message: "--refresh cannot be used with a saved plan: it is applied as it was made",
                    hint: "run chatctl refresh, then chatctl plan --out again"))
            }
            lockfile = try await Self.recordRefresh(
                refreshFirst.refreshed(lockfile, workspace: workspace, connection: connection, options: options, emulator: planning.emulator),
                path: workspace.lockfilePath, endpoint: endpoint)
        }
        // Planned with the salt the entries' member digests are kept with (made now if the
        // lockfile has none; it is written only with the first change).
        lockfile = lockfile.salted()
        let plan = try Planning.plan(workspace: workspace, lockfile: lockfile, planning: planning)
        if let saved { try saved.checkCurrent(against: plan) }
        lockfile = lockfile.recordingMembers(of: plan)

        let json = format == .json
        var renderer = PlanRenderer(plan: plan, lockfilePath: workspace.lockfilePath)
        renderer.useColor = options.usesColor(on: .standardOutput)
        // As terraform does, a plan is always shown before it is confirmed: --quiet hides
        // it only when nobody will be asked (--yes, or no terminal).
        let asks = !yes && Terminal.isTerminal(.standardInput) && plan.hasChanges
        if !json && (!options.quiet || asks) { Terminal.write(renderer.text()) }
        guard plan.hasChanges else {
            // Adopted inputs are recorded even when nothing else changes (a renamed folder).
            if planning.adoptInputs { lockfile = try Self.recordInputs(workspace.inputs, in: lockfile, path: workspace.lockfilePath) }
            if json { Terminal.write(ApplySummary.json(results: [], lockfilePath: workspace.lockfilePath, serial: lockfile.serial)) }
            return
        }
        try confirm()

        var settings = ApplySettings(command: self, workspace: workspace)
        let session = try await LaunchSession.start(
            emulator: planning.emulator, connection: connection, settings: settings, options: options,
            workspace: workspace, lockfile: lockfile,
            profilesWithoutRegion: plan.calls.filter { $0.action.isChange && $0.region == nil && $0.waitingFor == nil }.map(\.profile))
        let progress = ApplyProgress(total: plan.calls.filter { $0.action.isChange }.count, options: options, silent: json, calls: plan.calls.elements)
        let store = try LockfileStore(path: workspace.lockfilePath)
        store.removeLeftovers()
        // Recorded with the first write (an older lockfile is upgraded then).
        lockfile.endpoint = endpoint
        lockfile.inputs = workspace.inputs ?? lockfile.inputs
        let outputsFile = try outputs.map(Self.openOutputs)
        // The first signal stops scheduling and lets the calls in flight finish (bounded by
        // --grace, then they are cancelled); a second exits at once.
        if verify { settings.applyOptions.verifier = session.chatVerifier() }
        let applyOptions = settings.applyOptions
        let launcher = session.launcher
        let startedAt = Date()
        let (report, signal) = await ApplyInterruptHandler.run(grace: grace) { [lockfile] interruption in
            var options = applyOptions
            options.interruption = interruption
            return await Applier(launcher: launcher, options: options).apply(
                plan, lockfile: lockfile, store: store, outputs: outputsFile, events: { event in progress.record(event) })
        }
        await session.stop()
        progress.finish()
        if json {
            Terminal.write(ApplySummary.json(results: report.results, lockfilePath: report.lockfilePath, serial: report.serial))
        } else {
            Terminal.write(ApplySummary(report: report, outputsPath: outputs).text(useColor: options.usesColor(on: .standardOutput)))
        }
        if format == .github { Terminal.write(Self.annotations(report.results)) }
        if verify {
            let cases = Self.verificationCases(report.results, profiles: workspace.validation.profiles)
            if !json, !cases.isEmpty { Terminal.write(VerificationOutput.text(cases)) }
            try reports.write(cases, startedAt: startedAt)
        }
        if let unfolded = report.journalNotFolded {
            // Nothing is lost (the journal holds it), but the lockfile alone is not the record.
            var diagnostic = unfolded.diagnostic
            diagnostic.message = "the journal could not be folded into the lockfile: " + diagnostic.message
            diagnostic.hint = "every result is in \(store.journalPath), which plan and status replay and the next apply folds in; commit it with the lockfile"
            throw CommandFailure(diagnostic)
        }
        if report.stopReason == .interrupted {
            let signal = signal ?? SIGINT
            if !json { Terminal.write(Self.interruptedText(report, signal: signal)) }
            throw ExitCode(128 + signal)
        }
        if report.hasFailures { throw ExitCodes.partialFailure }
    }

    /// What `--refresh` observed, recorded (serial incremented) before anything is planned.
    private static func recordRefresh(
        _ refreshed: (lockfile: Lockfile, observed: Bool), path: String, endpoint: LockfileEndpoint
    ) throws -> Lockfile {
        guard refreshed.observed else { return refreshed.lockfile }
        var lockfile = refreshed.lockfile
        lockfile.endpoint = endpoint
        return try writeNextSerial(lockfile, path: path)
    }

    /// `inputs` recorded in the lockfile (serial incremented) when it records others:
    /// `--adopt-inputs` with a plan that has nothing else to write.
    private static func recordInputs(_ inputs: LockfileInputs?, in lockfile: Lockfile, path: String) throws -> Lockfile {
        guard let inputs, lockfile.inputs != inputs else { return lockfile }
        var updated = lockfile
        updated.inputs = inputs
        return try writeNextSerial(updated, path: path)
    }

    /// Writes `lockfile` with its serial incremented (as the journal does), before any launch.
    private static func writeNextSerial(_ lockfile: Lockfile, path: String) throws -> Lockfile {
        var next = lockfile
        if next.serial < Int.max { next.serial += 1 }
        do {
            try LockfileStore(path: path).write(next)
        } catch let error as LockfileError {
            throw CommandFailure(error.diagnostic)
        }
        return next
    }

    /// The reports' cases of `--verify`: each profile with `spec.verify` that was to be
    /// launched, as its conversation went, or why it had none.
    static func verificationCases(_ results: [ApplyReport.Result], profiles: [ChatLaunchProfile]) -> [VerificationReport.Case] {
        let byName = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return results.compactMap { result -> VerificationReport.Case? in
            guard let profile = byName[result.profile], profile.verify != nil else { return nil }
            if let outcome = result.verification {
                return VerificationReport.Case(profile: result.profile, file: profile.file, result: .ran(outcome))
            }
            switch result.outcome {
            case .failed:
                return VerificationReport.Case(profile: result.profile, file: profile.file, result: .error(result.message ?? "failed"))
            case .skipped:
                return VerificationReport.Case(profile: result.profile, file: profile.file, result: .skipped(result.message ?? "skipped"))
            case .started, .stopped, .forgotten, .unchanged:
                return nil
            }
        }
    }

    /// What an interrupted apply left to do, and that a re-run resumes it.
    static func interruptedText(_ report: ApplyReport, signal: Int32) -> String {
        let notStarted = report.results.filter { $0.outcome == .skipped && $0.message == StopReason.interrupted.message }
        let pending = report.results.filter { $0.outcome == .failed && $0.error?.kind == .ambiguous }
        var text = "Interrupted by \(ApplyInterruptHandler.name(signal)): every result that arrived is recorded."
        if !notStarted.isEmpty { text += " Not started: \(notStarted.map(\.profile).joined(separator: ", "))." }
        if !pending.isEmpty { text += " Pending (outcome unknown): \(pending.map(\.profile).joined(separator: ", "))." }
        return text + " Run chatctl apply again to resume.\n"
    }

    /// GitHub Actions annotations for the profiles that failed, at their profile's line.
    static func annotations(_ results: [ApplyReport.Result]) -> String {
        let printer = DiagnosticPrinter(useColor: false, showSnippets: false)
        return results.filter { $0.outcome == .failed }.map { result in
            printer.github(Diagnostic(
                location: result.location, code: result.error?.code ?? "apply.failed", path: nil,
                message: "\(result.profile): \(Terminal.printable(result.message ?? "failed"))", hint: result.error?.hint))
        }.joined()
    }

    /// The lockfile's exclusive lock, held for the whole apply.
    private static func lock(_ lockfilePath: String, timeout: Double) throws -> LockfileLock {
        do {
            return try LockfileLock.acquire(for: lockfilePath, timeout: timeout)
        } catch {
            throw CommandFailure(error.diagnostic)
        }
    }

    /// The `--outputs` file, merged with what an earlier run left in it.
    private static func openOutputs(_ path: String) throws -> ParticipantOutputs {
        do {
            return try ParticipantOutputs(path: path, now: Date())
        } catch {
            throw CommandFailure(error.diagnostic)
        }
    }

    /// On a terminal, asks; elsewhere `--yes` is required (CI has no one to ask).
    private func confirm() throws {
        if yes { return }
        guard Terminal.isTerminal(.standardInput) else {
            throw CommandFailure(Diagnostic(
                location: nil, code: "apply.confirmation",
                message: "apply needs --yes when standard input is not a terminal",
                hint: "review the plan above, then run again with --yes"))
        }
        Terminal.write("\nApply these changes? Only 'yes' will be accepted: ")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            Terminal.write("Apply cancelled; nothing was changed.\n")
            throw ExitCodes.failure
        }
    }
}

/// The apply settings from flags, then the project's `spec.apply`, then defaults.
struct ApplySettings {
    var applyOptions = ApplyOptions()
    var rate: Double
    var burst: Double
    var maxAttempts: Int?
    /// DescribeContact's pace (`chatctl refresh --refresh-rate`): 5 per second, burst 8.
    var refreshRate: Double = 5
    var refreshBurst: Double = 8

    /// The settings of `chatctl refresh` and `chatctl stop`: flags, then the project's
    /// `spec.apply` (`projectSpec`), then defaults; refresh's own rate.
    init(connection: ConnectionOptions, projectSpec: JSONValue, refreshRate: Double?) {
        func number(_ key: String) -> Double? { projectSpec["apply"]?[key]?.numberValue }
        rate = connection.rate ?? number("rate") ?? 5
        burst = connection.burst ?? number("burst") ?? 8
        maxAttempts = connection.maxAttempts ?? number("maxAttempts").map(Int.init)
        if let refreshRate { self.refreshRate = refreshRate }
    }

    init(command: ApplyCommand, workspace: Workspace) {
        func number(_ key: String) -> Double? { workspace.applySetting(key)?.numberValue }
        applyOptions.concurrency = max(1, command.concurrency ?? number("concurrency").map(Int.init) ?? 4)
        applyOptions.failFast = command.failFast
        applyOptions.capacityWait = command.capacityWait ?? workspace.applySetting("capacityWait").flatMap(Self.seconds) ?? 0
        rate = command.connection.rate ?? number("rate") ?? 5
        burst = command.connection.burst ?? number("burst") ?? 8
        maxAttempts = command.connection.maxAttempts ?? number("maxAttempts").map(Int.init)
    }

    /// Seconds from a number, or a string in the duration grammar with units h, m, s
    /// (the project schema's capacityWait).
    static func seconds(_ value: JSONValue) -> Double? {
        if let number = value.numberValue { return number }
        return value.stringValue.flatMap(DurationText.seconds).map(Double.init)
    }
}
