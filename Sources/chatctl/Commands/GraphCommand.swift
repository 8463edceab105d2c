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

    @Argument(help: "Files or folders of profiles (default: the current folder).")
    var paths: [String] = []

    func run() async throws {
        let validation = try Validation.run(paths: paths)
        guard validation.isValid else {
            var report = ValidationReport(result: validation, options: try GlobalOptions.parse(noColor ? ["--no-color"] : []))
            report.printText()
            throw ExitCodes.failure
        }
        let nodes = validation.profiles.map { profile in
            (name: profile.name, dependsOn: uniqued(profile.references.map(\.target)))
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
