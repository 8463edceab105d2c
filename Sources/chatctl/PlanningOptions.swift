import ArgumentParser
import ChatctlCore
import Foundation

/// Flags that shape a plan, shared by `plan` and `apply`.
struct PlanningOptions: ParsableArguments {
    @Option(name: .long, help: "The lockfile (default: the project's spec.lockfile, or chatctl.lock.json).")
    var lockfile: String?

    @Option(name: .long, help: "Only profiles whose labels match, e.g. team=care,tier!=gold.")
    var selector: String?

    @Option(name: .long, help: "Only this profile and what it depends on (repeatable).")
    var target: [String] = []

    @Option(name: .long, help: "Relaunch this profile even if unchanged (repeatable).")
    var replace: [String] = []

    @Flag(name: .long, help: "Against chatctl's emulator, with its own lockfile (chatctl.emulator.lock.json beside the real one unless --lockfile says otherwise).")
    var emulator = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Stop the chats of removed or replaced profiles (default: the project's apply.prune, else off).")
    var prune: Bool?

    @Flag(name: .long, help: "Plan these inputs against a lockfile that records other ones, and (apply) record these instead: the chats of profiles they do not read are forgotten, or stopped with prune.")
    var adoptInputs = false

    /// A misspelt selector is a usage error, said before any profile is read.
    func validate() throws {
        if let selector, LabelSelector(selector) == nil {
            throw ValidationError(Self.selectorProblem(selector))
        }
    }

    static func selectorProblem(_ selector: String) -> String {
        "--selector \(Terminal.printable(selector)): write key=value, key!=value or key, separated by commas"
    }

    /// The plan options from these flags and the project's settings.
    func planOptions(workspace: Workspace) throws -> PlanOptions {
        var options = PlanOptions()
        options.targets = target
        options.replace = replace
        if let selector {
            // Flags were checked by `validate()`; a saved plan's selector is checked here.
            guard let parsed = LabelSelector(selector) else {
                throw CommandFailure(Diagnostic(location: nil, code: "selector", message: Self.selectorProblem(selector)))
            }
            options.selector = parsed
        }
        if let prune {
            options.prune = prune
        } else if case .bool(let configured)? = workspace.applySetting("prune") {
            options.prune = configured
        }
        options.projectRegion = workspace.projectRegion
        return options
    }
}

/// Runs `body`, printing a ``CommandFailure`` as a diagnostic and exiting 1.
func reportingFailures<T>(_ options: GlobalOptions, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let failure as CommandFailure {
        var printer = DiagnosticPrinter(useColor: options.usesColor(on: .standardError), showSnippets: false)
        Terminal.writeError(printer.text(failure.diagnostic))
        throw ExitCodes.failure
    }
}
