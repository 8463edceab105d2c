import ChatctlCore

/// The dependency graph of profiles as Mermaid or Graphviz DOT text.
enum GraphRenderer {
    /// `graph LR` with an edge from each dependency to its dependant.
    static func mermaid(_ nodes: [(name: String, dependsOn: [String], action: PlannedCall.Action?)]) -> String {
        var text = "graph LR\n"
        for node in nodes {
            let label = node.action.map { "\($0.symbol) \(node.name)" } ?? node.name
            text += "  \(identifier(node.name))[\"\(label)\"]\n"
        }
        for node in nodes {
            for dependency in node.dependsOn {
                text += "  \(identifier(dependency)) --> \(identifier(node.name))\n"
            }
        }
        return text
    }

    /// `digraph chatctl` with the same edges.
    static func dot(_ nodes: [(name: String, dependsOn: [String])]) -> String {
        var text = "digraph chatctl {\n  rankdir=LR;\n"
        for node in nodes { text += "  \"\(node.name)\";\n" }
        for node in nodes {
            for dependency in node.dependsOn { text += "  \"\(dependency)\" -> \"\(node.name)\";\n" }
        }
        return text + "}\n"
    }

    /// Profile names are `[a-z0-9-]`; Mermaid ids may not contain `-` at every position, so map it.
    private static func identifier(_ name: String) -> String {
        "p_" + name.replacingOccurrences(of: "-", with: "_")
    }
}
