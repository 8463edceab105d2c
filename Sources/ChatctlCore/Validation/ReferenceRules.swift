import ChatctlJSON
/// Rules across profiles: unique names, references (`from:`, `dependsOn`) that name
/// existing profiles, and no cycles. Graph walks are iterative, so a chain of 100,000
/// profiles cannot overflow the stack.
///
/// What the rules need of each profile is kept in compact records, appended as files
/// are checked and the files' trees freed: at 1,000,000 profiles the records are the
/// memory validate holds (docs/performance.md, "Validate").
struct ReferenceRules {
    /// A source position in a few bytes: an index into ``files``, line and column.
    struct Position: Hashable {
        var file: Int32
        var line: Int32
        var column: Int32
    }

    /// One reference a profile makes.
    struct Reference {
        /// The profile making it (index into the profiles).
        var owner: Int32
        var kind: ChatLaunchProfile.Reference.Kind
        /// For `dependsOn`: the reference's place in that list.
        var dependsOnIndex: Int32
        var target: String
        var position: Position
    }

    /// Every file a position points into.
    private(set) var files: [String] = []
    private var fileIndex: [String: Int32] = [:]
    /// Per profile, in load order: its name, when it has one, and where it is written.
    private(set) var names: [String?] = []
    private var namePositions: [Position?] = []
    private(set) var references: [Reference] = []

    var profileCount: Int { names.count }

    /// Adds a profile's record.
    mutating func append(name: String?, nameLocation: SourceLocation?, references profileReferences: [ChatLaunchProfile.Reference]) {
        let owner = Int32(names.count)
        names.append(name)
        if let nameLocation {
            namePositions.append(position(of: nameLocation))
        } else {
            namePositions.append(nil)
        }
        var dependsOnCount: Int32 = 0
        for reference in profileReferences {
            var dependsOnIndex: Int32 = 0
            if reference.kind == .dependsOn {
                dependsOnIndex = dependsOnCount
                dependsOnCount += 1
            }
            references.append(Reference(
                owner: owner, kind: reference.kind, dependsOnIndex: dependsOnIndex, target: reference.target,
                position: position(of: reference.location)))
        }
    }

    private mutating func position(of location: SourceLocation) -> Position {
        // Positions of one profile are nearly always in the file added last.
        let file: Int32
        if let last = files.last, last == location.file {
            file = Int32(files.count - 1)
        } else if let known = fileIndex[location.file] {
            file = known
        } else {
            file = Int32(files.count)
            files.append(location.file)
            fileIndex[location.file] = file
        }
        return Position(file: file, line: Int32(clamping: location.line), column: Int32(clamping: location.column))
    }

    private func location(_ position: Position) -> SourceLocation {
        SourceLocation(file: files[Int(position.file)], line: Int(position.line), column: Int(position.column))
    }

    func check() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var firstIndex: [String: Int32] = [:]
        firstIndex.reserveCapacity(names.count)
        for (index, name) in names.enumerated() {
            guard let name else { continue }
            if let first = firstIndex[name] {
                let where_ = namePositions[Int(first)].map { " (first defined at \(location($0)))" } ?? ""
                problems.append(Diagnostic(
                    location: namePositions[index].map(location), code: "name.duplicate", path: "metadata.name",
                    message: "duplicate profile name \(JSONPointer.quoted(name))\(where_)",
                    hint: "profile names must be unique across the repository"))
            } else {
                firstIndex[name] = Int32(index)
            }
        }
        // Sorted once, and only when some reference needs a suggestion.
        var sortedNames: [String]?
        for reference in references where firstIndex[reference.target] == nil {
            let candidates = sortedNames ?? Array(firstIndex.keys).sorted()
            sortedNames = candidates
            let hint = Suggestions.closest(to: reference.target, among: candidates).map { "did you mean \(JSONPointer.quoted($0))?" }
            problems.append(Diagnostic(
                location: location(reference.position), code: "ref.unknown", path: Self.path(of: reference),
                message: "no profile is named \(JSONPointer.quoted(reference.target))", hint: hint))
        }
        return problems + cycles(firstIndex: firstIndex)
    }

    /// The field path of a reference, for messages.
    static func path(of reference: Reference) -> String {
        switch reference.kind {
        case .dependsOn: "spec.dependsOn[\(reference.dependsOnIndex)]"
        case .persistence: "spec.persistence.from"
        case .relatedContact: "spec.relatedContact.from"
        }
    }

    /// The reference graph between first occurrences of names (duplicates are reported
    /// apart), as flat arrays: the edges of profile `p` are `edgeStart[p]..<edgeStart[p + 1]`
    /// of `targets` and `viaReference` (an index into ``references``).
    private struct Graph {
        var edgeStart: [Int32]
        var targets: [Int32]
        var viaReference: [Int32]

        func edges(of vertex: Int) -> Range<Int> { Int(edgeStart[vertex])..<Int(edgeStart[vertex + 1]) }
    }

    private func graph(firstIndex: [String: Int32]) -> Graph {
        var counts = [Int32](repeating: 0, count: names.count + 1)
        var resolved = [Int32](repeating: -1, count: references.count)
        for (offset, reference) in references.enumerated() {
            let owner = Int(reference.owner)
            guard let name = names[owner], firstIndex[name] == reference.owner,
                  let target = firstIndex[reference.target] else { continue }
            resolved[offset] = target
            counts[owner + 1] += 1
        }
        for vertex in 0..<names.count { counts[vertex + 1] += counts[vertex] }
        var fill = counts
        let edgeCount = Int(counts[names.count])
        var targets = [Int32](repeating: 0, count: edgeCount)
        var viaReference = [Int32](repeating: 0, count: edgeCount)
        // References are appended owner by owner, so each owner's edges keep their order.
        for (offset, target) in resolved.enumerated() where target >= 0 {
            let owner = Int(references[offset].owner)
            let slot = Int(fill[owner])
            targets[slot] = target
            viaReference[slot] = Int32(offset)
            fill[owner] += 1
        }
        return Graph(edgeStart: counts, targets: targets, viaReference: viaReference)
    }

    /// One diagnostic per cycle (strongly connected component with more than one profile,
    /// or a profile referring to itself), at the reference of the cycle's first profile in
    /// load order, naming the whole cycle.
    private func cycles(firstIndex: [String: Int32]) -> [Diagnostic] {
        let graph = graph(firstIndex: firstIndex)
        var problems: [Diagnostic] = []
        let components = StronglyConnectedComponents.cyclic(count: names.count) { vertex in
            graph.edges(of: vertex).lazy.map { Int(graph.targets[$0]) }
        }
        for component in components {
            let members = Set(component)
            guard let start = component.min() else { continue }
            let selfLoop = graph.edges(of: start).contains { graph.targets[$0] == start }
            let path = selfLoop && members.count == 1 ? [start, start] : shortestCycle(from: start, within: members, graph: graph)
            guard path.count >= 2,
                  let edge = graph.edges(of: start).first(where: { graph.targets[$0] == path[1] }) else { continue }
            let reference = references[Int(graph.viaReference[edge])]
            let cycleNames = path.map { names[$0] ?? "?" }.joined(separator: " → ")
            problems.append(Diagnostic(
                location: location(reference.position), code: "ref.cycle",
                path: Self.path(of: reference),
                message: "dependency cycle: \(cycleNames)",
                hint: "profiles must not depend on each other in a loop; remove one of these references"))
        }
        return problems
    }

    /// The shortest walk `start → … → start` inside `members` (breadth-first).
    private func shortestCycle(from start: Int, within members: Set<Int>, graph: Graph) -> [Int] {
        var previous: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for edge in graph.edges(of: current) {
                let next = Int(graph.targets[edge])
                guard members.contains(next) else { continue }
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
        var components: [[Int]] = []
        walk(count: count, successors: successors, keepsSingleton: { _ in true }) { components.append($0) }
        return components
    }

    /// The components that hold a cycle: more than one vertex, or one with an edge to
    /// itself. A graph of a million vertices has a million singleton components; none is
    /// kept unless it loops.
    static func cyclic<Successors: Collection<Int>>(count: Int, successors: (Int) -> Successors) -> [[Int]] {
        var components: [[Int]] = []
        walk(count: count, successors: successors, keepsSingleton: { successors($0).contains($0) }) {
            components.append($0)
        }
        return components
    }

    private static func walk<Successors: Collection<Int>>(
        count: Int, successors: (Int) -> Successors, keepsSingleton: (Int) -> Bool, found: ([Int]) -> Void
    ) {
        var index = Array(repeating: -1, count: count)
        var lowLink = Array(repeating: 0, count: count)
        var onStack = Array(repeating: false, count: count)
        var stack: [Int] = []
        var nextIndex = 0
        // Each frame: vertex, its successors and the position in them.
        var work: [(vertex: Int, successors: Successors, position: Successors.Index)] = []
        for root in 0..<count where index[root] == -1 {
            let rootSuccessors = successors(root)
            work.append((root, rootSuccessors, rootSuccessors.startIndex))
            index[root] = nextIndex; lowLink[root] = nextIndex; nextIndex += 1
            stack.append(root); onStack[root] = true
            while let top = work.indices.last {
                let vertex = work[top].vertex
                if work[top].position != work[top].successors.endIndex {
                    let next = work[top].successors[work[top].position]
                    work[top].successors.formIndex(after: &work[top].position)
                    if index[next] == -1 {
                        index[next] = nextIndex; lowLink[next] = nextIndex; nextIndex += 1
                        stack.append(next); onStack[next] = true
                        let nextSuccessors = successors(next)
                        work.append((next, nextSuccessors, nextSuccessors.startIndex))
                    } else if onStack[next] {
                        lowLink[vertex] = min(lowLink[vertex], index[next])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.vertex { lowLink[parent] = min(lowLink[parent], lowLink[vertex]) }
                if lowLink[vertex] == index[vertex] {
                    // A component of one vertex is the common case: no array unless it is kept.
                    if stack.last == vertex {
                        stack.removeLast()
                        onStack[vertex] = false
                        if keepsSingleton(vertex) { found([vertex]) }
                        continue
                    }
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == vertex { break }
                    }
                    found(component.reversed())
                }
            }
        }
    }
}
