import ArgumentParser
import ChatctlCore
import ChatctlJSON
import Foundation

/// `chatctl plan [PATH…]`: what apply would do, without credentials or network.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the StartChatContact and StopContact calls apply would make.",
        discussion: """
            Validates the profiles, reads the lockfile and prints one action per profile: \
            + launch, ~ relaunch, ↻ resume, - stop, - forget (unchanged ones with --verbose). \
            Needs no credentials and no network. --out saves the plan for `chatctl apply PLAN.json`, \
            which refuses it once the profiles or the lockfile have changed.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var planning: PlanningOptions
    @OptionGroup var refreshFirst: RefreshFirstOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Also save the plan as JSON to this file, for `chatctl apply FILE`.")
    var out: String?

    @Flag(name: .long, help: "With --format markdown: every row and request body, however long (for a CI job summary); by default a plan too long for a pull-request comment is shortened.")
    var full = false

    @Flag(name: .long, help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false

    @Argument(help: "Files or folders of profiles (default: the current folder).")
    var paths: [String] = []

    func run() async throws {
        let format = options.resolvedFormat(defaultingToGitHubOnActions: false)
        let (plan, workspace, lockfile) = try await reportingFailures(options) {
            // Text and Markdown show no request of an unchanged profile: the plan keeps
            // summaries and loads again only the profiles whose calls show one (issue 15).
            // JSON and a saved plan show every request; --refresh seeds the emulator with
            // the profiles' literal contacts.
            let summarised = format != .json && out == nil && !refreshFirst.refresh
            let (workspace, lockfile) = try Planning.read(
                paths: paths, planning: planning, options: options, format: format, summarising: summarised)
            // --refresh: planned with what Amazon Connect says now; nothing is written.
            let current = try await refreshFirst.refreshed(
                lockfile, workspace: workspace, connection: connection, options: options, emulator: planning.emulator).lockfile
            return (try Planning.plan(workspace: workspace, lockfile: current, planning: planning), workspace, current)
        }
        var renderer = PlanRenderer(plan: plan, lockfilePath: workspace.lockfilePath)
        renderer.useColor = options.usesColor(on: .standardOutput)
        renderer.showUnchanged = options.verbose
        renderer.quiet = options.quiet
        switch format {
        case .json: renderer.writeJSON(to: Terminal.write(bytes:))
        case .markdown: Terminal.write(renderer.markdown(limit: full ? nil : PlanRenderer.commentLimit))
        case .text, .github: Terminal.write(renderer.text())
        }
        if let out {
            let project = workspace.validation.project?.file
            let flowFiles = Set(workspace.validation.flowFiles)
            let saved = SavedPlanInputs(
                paths: paths, targets: planning.target, replace: planning.replace,
                selector: planning.selector, prune: try planning.planOptions(workspace: workspace).prune,
                projectFile: project.map(Self.absolute),
                profileFiles: workspace.validation.files.filter { $0 != project && !flowFiles.contains($0) }.map(Self.absolute),
                lockfile: Self.absolute(workspace.lockfilePath), roots: workspace.inputs?.roots,
                adoptInputs: planning.adoptInputs)
            do {
                // Through chatctl's own temporary file, written as the plan is rendered (it
                // is there for as long as that takes): a run killed meanwhile leaves it, and
                // the next plan saved there removes it first.
                // A device or a FIFO (`--out /dev/stdout`) is written through, never replaced.
                let writer = AtomicFileWriter(specialFiles: .writtenThrough)
                writer.removeLeftovers(of: out)
                try writer.write(to: out, permissions: 0o644) { write throws(FileSystemError) in
                    try renderer.writeJSON(saved: saved, to: write)
                }
            } catch {
                Terminal.writeError("error: \(out): cannot write the plan there: cannot \(error.action): \(error.reason)\n")
                throw ExitCodes.failure
            }
            if format == .text && !options.quiet { Terminal.write("Saved the plan to \(out); apply it with: chatctl apply \(out)\n") }
        }
        // Everything is written (Terminal writes unbuffered): leave now, without freeing the
        // profiles, the lockfile and the plan one object at a time (issue 15: a tenth of a
        // large plan's time went there).
        // The plan, the lockfile and the workspace are held from a global until the process
        // ends: the address sanitizer's leak check must find the lock entries' boxes, which
        // only the plan holds once it has looked them up, whatever the stacks hold then.
        Terminal.exit(
            detailedExitcode && plan.hasChanges ? ExitCodes.planHasChanges : ExitCodes.success,
            holding: plan, renderer, lockfile, workspace)
    }

    /// `path` made absolute against the current folder, so a saved plan works from anywhere.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// Validation, lockfile and planner: what `plan` and `apply` both run.
enum Planning {
    /// The validated profiles and the lockfile (refused when it is another endpoint's, or
    /// another set of inputs' without `--adopt-inputs`).
    /// - Parameter summarising: keep each profile's summary rather than the profile (a plan
    ///   whose output shows no request of an unchanged profile); those whose calls will
    ///   need them, as far as the lockfile read so far tells, are kept whole too.
    static func read(
        paths: [String], planning: PlanningOptions, options: GlobalOptions, format: OutputFormat,
        summarising: Bool = false
    ) throws -> (Workspace, Lockfile) {
        // The lockfile is read on its own thread while the profiles are validated; its
        // result (or error) is taken once they are valid, so what is reported, and in what
        // order, is as when it was read after them.
        let reading = StartedReading()
        var retention = ProfileValidator.Retention.profiles
        if summarising {
            var replacing = PlanOptions()
            replacing.replace = planning.replace
            // Only which profiles are kept whole depends on it (the others are loaded
            // again when needed): never what is planned.
            retention = .summaries(keepingWhole: { [replacing] summary in
                guard let lockfile = reading.started?.lockfileIfRead else { return false }
                return Planner.mayNeedDefinition(summary, entry: lockfile.entries[summary.name], options: replacing)
            })
        }
        let workspace = try Workspace.load(
            .paths(paths), lockfileOverride: planning.lockfile, emulator: planning.emulator, output: format, options: options,
            keeping: retention, discovered: { reading.start(path: $0) })
        let lockfile = try workspace.readLockfile(started: reading.started) {
            planEndpoint(recorded: $0, lockfilePath: workspace.lockfilePath, emulator: planning.emulator)
        }
        try workspace.checkInputs(of: lockfile, adopt: planning.adoptInputs, command: "plan")
        return (workspace, lockfile)
    }

    /// The endpoint a plan is for: plan has no connection flags, so a lockfile of a custom
    /// endpoint is planned as it is (with a note: apply needs that endpoint), while an
    /// emulator lockfile needs `--emulator`, as apply does.
    static func planEndpoint(recorded lockfile: Lockfile, lockfilePath: String, emulator: Bool) -> LockfileEndpoint {
        if emulator { return .emulator }
        guard let recorded = lockfile.endpoint, case .custom(let url) = recorded else { return .aws }
        Terminal.writeError("note: \(lockfilePath) records chats made on \(url); apply them with --endpoint-url \(url)\n")
        return recorded
    }

    static func plan(workspace: Workspace, lockfile: Lockfile, planning: PlanningOptions) throws -> Plan {
        let plan: Plan
        let validation = workspace.validation
        do {
            let options = try planning.planOptions(workspace: workspace)
            if let reloader = validation.reloader {
                plan = try Planner().plan(
                    summaries: validation.summaries, projectRegion: validation.summaryProjectRegion, lockfile: lockfile,
                    options: options, now: Date(), reload: reloader.profiles)
            } else {
                plan = try Planner().plan(validation.profiles, lockfile: lockfile, options: options, now: Date())
            }
        } catch let error as PlanError {
            throw CommandFailure(error.diagnostic)
        }
        return plan
    }
}

/// The read of the lockfile `plan` starts once the project file names it, for the
/// validation workers, which run on other threads, to look at.
private final class StartedReading: @unchecked Sendable {
    // @unchecked: `reading` is set once, under `lock`, and only read under it.
    private let lock = NSLock()
    private var reading: LockfileReading?

    /// Starts reading the lockfile at `path`.
    func start(path: String) {
        let started = LockfileReading(path: path)
        lock.withLock { reading = started }
    }

    /// The read started, if any.
    var started: LockfileReading? { lock.withLock { reading } }
}
