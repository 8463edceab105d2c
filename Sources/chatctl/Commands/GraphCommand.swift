import ArgumentParser
import ChatctlCore

/// `chatctl graph`: the profiles' dependency graph.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the dependency graph of profiles (references and dependsOn) as Mermaid or DOT.",
        discussion: "An edge goes from a profile to each profile that depends on it; apply runs them in that order."
    )

    enum GraphFormat: String, ExpressibleByArgument, CaseIterable {
        case mermaid
        case dot
    }

    @Option(name: .long, help: "mermaid (default) or dot.")
    var format: GraphFormat = .mermaid

    @Flag(name: .long, help: "Never colour the output (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .long, help: "Also print validation warnings and a count of profiles and edges on standard error.")
    var verbose = false

    @Argument(help: "Files or folders of profiles (default: the current folder).")
    var paths: [String] = []

    func run() async throws {
        let validation = try Validation.run(paths: paths)
        var report = ValidationReport(result: validation, options: try GlobalOptions.parse(noColor ? ["--no-color"] : []))
        guard validation.isValid else {
            report.printText()
            throw ExitCodes.failure
        }
        let nodes = validation.profiles.map { profile in
            (name: profile.name, dependsOn: uniqued(profile.references.map(\.target)))
        }
        if verbose {
            for warning in validation.diagnostics { Terminal.writeError(report.render(warning)) }
            let edges = nodes.reduce(0) { $0 + $1.dependsOn.count }
            Terminal.writeError("graph: \(counted(nodes.count, "profile")), \(counted(edges, "edge"))\n")
        }
        switch format {
        case .mermaid: Terminal.write(GraphRenderer.mermaid(nodes.map { ($0.name, $0.dependsOn, nil) }))
        case .dot: Terminal.write(GraphRenderer.dot(nodes))
        }
    }
}

/// The elements of a list in order, each once.
private func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
