import ArgumentParser
import Foundation

/// Flags every command shares, pulled in with `@OptionGroup`.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text, json, markdown or github. Default: text (github for validate when GITHUB_ACTIONS=true).")
    var format: OutputFormat?

    @Flag(name: .long, help: "Never colour the output (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .long, help: "Print only problems; no summary on success.")
    var quiet = false

    @Flag(name: .long, help: "Say more about what happens.")
    var verbose = false

    /// The environment the command runs in; tests of the binary set it per process.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The format to use when `--format` is not given.
    func resolvedFormat(defaultingToGitHubOnActions: Bool) -> OutputFormat {
        if let format { return format }
        if defaultingToGitHubOnActions, environment["GITHUB_ACTIONS"] == "true" { return .github }
        return .text
    }

    /// Colour only on a terminal, and never with `--no-color` or NO_COLOR (any value).
    func usesColor(on stream: Terminal.Stream) -> Bool {
        !noColor && environment["NO_COLOR"] == nil && Terminal.isTerminal(stream)
    }
}
