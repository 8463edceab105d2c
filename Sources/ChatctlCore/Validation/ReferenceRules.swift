import ChatctlJSON
/// Rules across profiles: unique names, references (`from:`, `dependsOn`) that name
/// existing profiles, and no cycles. Graph walks are iterative, so a chain of 100,000
/// profiles cannot overflow the stack.
struct ReferenceRules {
    /// What the rules need of each profile, in load order.
    struct Node {
        var name: String?
        var nameLocation: SourceLocation?
        var references: [ChatLaunchProfile.Reference]
    }

    let nodes: [Node]

    func check() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var firstIndex: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            guard let name = node.name else { continue }
            if let first = firstIndex[name] {
                let where_ = nodes[first].nameLocation.map { " (first defined at \($0))" } ?? ""
                problems.append(Diagnostic(
                    location: node.nameLocation, code: "name.duplicate", path: "metadata.name",
                    message: "duplicate profile name \(JSONPointer.quoted(name))\(where_)",
                    hint: "profile names must be unique across the repository"))
            } else {
                firstIndex[name] = index
            }
        }
        let names = Array(firstIndex.keys).sorted()
        for node in nodes {
            for reference in node.references where firstIndex[reference.target] == nil {
                let hint = Suggestions.closest(to: reference.target, among: names).map { "did you mean \(JSONPointer.quoted($0))?" }
                problems.append(Diagnostic(
                    location: reference.location, code: "ref.unknown", path: Self.path(of: reference, in: node),
                    message: "no profile is named \(JSONPointer.quoted(reference.target))", hint: hint))
            }
        }
        return problems + cycles(firstIndex: firstIndex)
    }

    /// The field path of a reference, for messages.
    static func path(of reference: ChatLaunchProfile.Reference, in node: Node) -> String {
        switch reference.kind {
        case .dependsOn:
            let index = node.references.filter { $0.kind == .dependsOn }.firstIndex(of: reference) ?? 0
            return "spec.dependsOn[\(index)]"
        case .persistence: return "spec.persistence.from"
        case .relatedContact: return "spec.relatedContact.from"
        }
    }

    /// One diagnostic per cycle (strongly connected component with more than one profile,
    /// or a profile referring to itself), at the reference of the cycle's first profile in
    /// load order, naming the whole cycle.
    private func cycles(firstIndex: [String: Int]) -> [Diagnostic] {
        // Edges only between first occurrences of names; duplicates are reported apart.
        var edges: [[(target: Int, reference: ChatLaunchProfile.Reference)]] = Array(repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            guard let name = node.name, firstIndex[name] == index else { continue }
            for reference in node.references {
                if let target = firstIndex[reference.target] { edges[index].append((target, reference)) }
            }
        }
        var problems: [Diagnostic] = []
        for component in StronglyConnectedComponents.find(count: nodes.count, successors: { edges[$0].map(\.target) }) {
            let members = Set(component)
            guard let start = component.min() else { continue }
            let selfLoop = edges[start].contains { $0.target == start }
            guard members.count > 1 || selfLoop else { continue }
            let path = selfLoop && members.count == 1 ? [start, start] : shortestCycle(from: start, within: members, edges: edges)
            guard path.count >= 2, let edge = edges[start].first(where: { $0.target == path[1] }) else { continue }
            let names = path.map { nodes[$0].name ?? "?" }.joined(separator: " → ")
            problems.append(Diagnostic(
                location: edge.reference.location, code: "ref.cycle",
                path: Self.path(of: edge.reference, in: nodes[start]),
                message: "dependency cycle: \(names)",
                hint: "profiles must not depend on each other in a loop; remove one of these references"))
        }
        return problems
    }

    /// The shortest walk `start → … → start` inside `members` (breadth-first).
    private func shortestCycle(
        from start: Int, within members: Set<Int>, edges: [[(target: Int, reference: ChatLaunchProfile.Reference)]]
    ) -> [Int] {
        var previous: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for (next, _) in edges[current] where members.contains(next) {
                if next == start {
                    var path = [start]
                    var step = current
                    while step != start {
                        path.append(step)
                        guard let back = previous[step] else { break }
                        step = back
                    }
                    return [start] + path.dropFirst().reversed() + [start]
                }
                if previous[next] == nil {
                    previous[next] = current
                    queue.append(next)
                }
            }
        }
        return [start]
    }
}

/// Tarjan's strongly connected components, iterative.
enum StronglyConnectedComponents {
    /// Components of the graph with vertices `0..<count`; each in discovery order.
    static func find(count: Int, successors: (Int) -> [Int]) -> [[Int]] {
        var index = Array(repeating: -1, count: count)
        var lowLink = Array(repeating: 0, count: count)
        var onStack = Array(repeating: false, count: count)
        var stack: [Int] = []
        var components: [[Int]] = []
        var nextIndex = 0
        // Each frame: vertex and position in its successor list.
        var work: [(vertex: Int, successors: [Int], position: Int)] = []
        for root in 0..<count where index[root] == -1 {
            work.append((root, successors(root), 0))
            index[root] = nextIndex; lowLink[root] = nextIndex; nextIndex += 1
            stack.append(root); onStack[root] = true
            while let top = work.indices.last {
                let vertex = work[top].vertex
                if work[top].position < work[top].successors.count {
                    let next = work[top].successors[work[top].position]
                    work[top].position += 1
                    if index[next] == -1 {
                        index[next] = nextIndex; lowLink[next] = nextIndex; nextIndex += 1
                        stack.append(next); onStack[next] = true
                        work.append((next, successors(next), 0))
                    } else if onStack[next] {
                        lowLink[vertex] = min(lowLink[vertex], index[next])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.vertex { lowLink[parent] = min(lowLink[parent], lowLink[vertex]) }
                if lowLink[vertex] == index[vertex] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == vertex { break }
                    }
                    components.append(component.reversed())
                }
            }
        }
        return components
    }
}
