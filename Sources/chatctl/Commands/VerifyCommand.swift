import ArgumentParser
import ChatctlAWS
import ChatctlCore
import Foundation

/// `chatctl verify [PATH…]`: a fresh chat per profile with `spec.verify`, its scripted
/// conversation, its cleanup (docs/verify.md). The test chats are never recorded in the
/// lockfile as the profiles' chats.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Launch a test chat for each profile with spec.verify and check that it answers as the script says.",
        discussion: """
            Each selected profile with spec.verify gets a fresh chat (never recorded in the \
            lockfile), converses as its steps say, and is cleaned up as its cleanup says. \
            --junit and --transcripts write reports for CI. With --emulator, runs against an \
            in-process Amazon Connect emulator running the project's flows. \
            Exit codes: 0 all passed, 1 error, 3 some conversations failed.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var reports: VerificationReportOptions

    @Option(name: .long, help: "Only profiles whose labels match, e.g. team=care,tier!=gold.")
    var selector: String?

    @Option(name: .long, help: "Only this profile (repeatable).")
    var target: [String] = []

    @Flag(name: .long, help: "Against chatctl's emulator, running the project's flows.")
    var emulator = false

    @Option(name: .long, help: "Conversations at once (default 4).")
    var concurrency: Int = 4

    @Argument(help: "Files or folders of profiles.")
    var paths: [String] = []

    func validate() throws {
        if let selector, LabelSelector(selector) == nil {
            throw ValidationError(PlanningOptions.selectorProblem(selector))
        }
        if emulator, connection.endpointUrl != nil {
            throw ValidationError("--emulator and --endpoint-url cannot be used together: --emulator starts its own endpoint")
        }
        if !ApplyCommand.concurrencyRange.contains(concurrency) {
            throw ValidationError("--concurrency must be between \(ApplyCommand.concurrencyRange.lowerBound) and \(ApplyCommand.concurrencyRange.upperBound), not \(concurrency)")
        }
    }

    func run() async throws {
        let format = options.resolvedFormat(defaultingToGitHubOnActions: false)
        let (cases, locations, signal) = try await reportingFailures(options) { try await verify(format: format) }
        switch format {
        case .text: Terminal.write(VerificationOutput.text(cases))
        case .json: Terminal.write(VerificationOutput.json(cases))
        case .markdown: Terminal.write(VerificationOutput.markdown(cases))
        case .github:
            Terminal.write(VerificationOutput.text(cases))
            Terminal.write(VerificationOutput.github(cases, locations: locations))
        }
        if let signal {
            throw ApplyInterruptHandler.interrupted(by: signal, "the conversations in progress were ended and their chats cleaned up.")
        }
        if VerificationOutput.hasFailures(cases) { throw ExitCodes.partialFailure }
    }

    private func verify(format: OutputFormat) async throws
        -> ([VerificationReport.Case], [String: SourceLocation], Int32?)
    {
        let workspace = try Workspace.load(paths: paths, lockfileOverride: nil, emulator: emulator, output: format, options: options)
        let profiles = try selected(workspace.validation.profiles)
        let endpoint = connection.lockfileEndpoint(emulator: emulator, environment: options.environment)
        // Read only: a `from:` reference names the contact the lockfile records.
        let lockfile = try workspace.readLockfile(for: endpoint)
        let settings = ApplySettings(connection: connection, projectSpec: workspace.projectSpec, refreshRate: nil)
        let projectRegion = workspace.projectRegion
        let session = try await LaunchSession.start(
            emulator: emulator, connection: connection, settings: settings, options: options, workspace: workspace,
            lockfile: lockfile,
            profilesWithoutRegion: profiles.filter { LaunchRequest.declaredRegion(of: $0, projectRegion: projectRegion) == nil }.map(\.name),
            recordsChats: false)
        let startedAt = Date()
        let verifier = session.chatVerifier()
        let launcher = session.launcher
        let contacts = lockfile.entries.compactMapValues(\.contactId)
        var cases: [VerificationReport.Case?] = Array(repeating: nil, count: profiles.count)
        // On a terminal, one line rewritten in place while the conversations run (they take
        // seconds each, and the report comes at the end); CI logs get the report alone.
        let live = format == .text && Terminal.isTerminal(.standardOutput) && !options.verbose && !options.quiet
        let showProgress: @Sendable (String) -> Void = { text in
            if live { Terminal.write("\r\u{1B}[K" + text) }
        }
        showProgress("[0/\(profiles.count)] verifying…")
        // A first SIGINT or SIGTERM ends the conversations in progress (each cleans up its
        // chat) and starts no other; the reports are written all the same. A second exits
        // at once.
        let concurrency = self.concurrency
        let unfinished = cases
        let (ended, signal) = await ApplyInterruptHandler.run(
            grace: 0, firstSignal: "ending the conversations in progress and cleaning up their chats",
            atOnce: "the chats of the conversations in progress are not cleaned up: they end when their duration passes"
        ) { interruption -> [VerificationReport.Case?] in
            var cases = unfinished
            var finished = 0
            await withTaskGroup(of: (Int, VerificationReport.Case).self) { group in
                var next = 0
                func add() {
                    let index = next
                    let profile = profiles[index]
                    next += 1
                    group.addTask {
                        let result = await Self.converse(
                            profile, region: LaunchRequest.declaredRegion(of: profile, projectRegion: projectRegion),
                            contacts: contacts, launcher: launcher, verifier: verifier)
                        return (index, VerificationReport.Case(profile: profile.name, file: profile.file, result: result))
                    }
                }
                while next < min(concurrency, profiles.count) { add() }
                while let (index, result) = await group.next() {
                    cases[index] = result
                    finished += 1
                    showProgress("[\(finished)/\(profiles.count)] verified \(Terminal.printable(result.profile))")
                    if next < profiles.count, !interruption.isRequested { add() }
                }
            }
            return cases
        }
        cases = ended
        showProgress("")
        await session.stop()
        let done = zip(profiles, cases).map { profile, result in
            result ?? VerificationReport.Case(profile: profile.name, file: profile.file, result: .skipped("not run: interrupted"))
        }
        try reports.write(done, startedAt: startedAt)
        return (
            done, Dictionary(profiles.map { ($0.name, $0.location) }, uniquingKeysWith: { first, _ in first }), signal
        )
    }

    /// The profiles to verify: with `spec.verify`, matching `--selector`, named by `--target`.
    private func selected(_ profiles: [ChatLaunchProfile]) throws -> [ChatLaunchProfile] {
        let names = Set(profiles.map(\.name))
        for name in target where !names.contains(name) {
            throw CommandFailure(Diagnostic(location: nil, code: "verify.target", message: "--target \(name): no profile has this name"))
        }
        for name in target where profiles.first(where: { $0.name == name })?.verify == nil {
            throw CommandFailure(Diagnostic(
                location: nil, code: "verify.target", message: "--target \(name): this profile has no spec.verify",
                hint: "add spec.verify to it (docs/verify.md)"))
        }
        let selector = self.selector.flatMap(LabelSelector.init)
        let chosen = profiles.filter { profile in
            profile.verify != nil && (target.isEmpty || target.contains(profile.name))
                && (selector?.matches(profile.labels) ?? true)
        }
        if chosen.isEmpty {
            throw CommandFailure(Diagnostic(
                location: nil, code: "verify.none",
                message: "no selected profile has spec.verify: there is nothing to verify",
                hint: "add spec.verify to a profile (docs/verify.md), or change --selector or --target"))
        }
        return chosen
    }

    /// Launches a fresh chat for `profile` (a new client token: never the profile's chat),
    /// converses and cleans up.
    static func converse(
        _ profile: ChatLaunchProfile, region: String?, contacts: [String: String], launcher: any ChatLauncher,
        verifier: LaunchedChatVerifier
    ) async -> VerificationReport.Case.Result {
        guard let conversation = profile.verify else { return .skipped("no spec.verify") }
        var request = LaunchRequest.request(for: profile, contactOf: { contacts[$0] })
        do {
            request.clientToken = try IdempotencyToken.generate()
        } catch {
            return .error("no client token could be made: \(error)")
        }
        let response: StartChatContactResponse
        do {
            response = try await VerificationLaunch.start(request, region: region, launcher: launcher)
        } catch {
            return .error("the launch failed: \(error.code): \(error.message)")
        }
        let result = await verifier.verify(conversation, chat: response, instance: request.instanceId, region: region)
        guard let outcome = result.outcome else { return .error(result.setupError ?? "the conversation did not start") }
        if let problem = result.cleanupProblem { Terminal.writeError("\(profile.name): cleanup: \(problem)\n") }
        return .ran(outcome)
    }
}
