import ChatctlJSON
/// Rules across profiles: unique names, references (`from:`, `dependsOn`) that name
/// existing profiles, and no cycles. Graph walks are iterative, so a chain of 100,000
/// profiles cannot overflow the stack.
///
/// What the rules need of each profile is kept in compact records, appended as files
/// are checked and the files' trees freed: at 1,000,000 profiles the records are the
/// memory validate holds (docs/performance.md, "Validate").
struct ReferenceRules {
    /// A source position in 12 bytes: an index into ``files``, line and column.
    struct Position: Hashable {
        var file: Int32
        var line: Int32
        var column: Int32

        /// No position (a file index of -1).
        static let none = Position(file: -1, line: 0, column: 0)
    }

    /// One reference a profile makes (fields ordered for a 40-byte stride).
    struct Reference {
        var target: String
        var position: Position
        /// The profile making it (index into the profiles).
        var owner: Int32
        /// For `dependsOn`: the reference's place in that list.
        var dependsOnIndex: Int32
        var kind: ChatLaunchProfile.Reference.Kind
    }

    /// Every file a position points into.
    private var files: [String] = []
    private var fileIndex: [String: Int32] = [:]
    /// Per profile, in load order: its name, when it has one, and where it is written.
    private var names: [String?] = []
    private var namePositions: [Position] = []
    /// Each name to its first holder, filled as profiles are appended.
    private var firstHolders = NameTable()
    /// Profiles whose name an earlier profile holds, in load order.
    private var duplicates: [Int32] = []
    /// Appended profile by profile, so each profile's references are contiguous.
    private var references: [Reference] = []

    /// Profiles and references appended so far.
    var counts: (profiles: Int, references: Int) { (names.count, references.count) }

    /// Makes room for this many profiles and references in all, so that the records do
    /// not grow by doubling (for a moment, the old and the new copy) at the end of a
    /// large run.
    mutating func reserveCapacity(profiles: Int, references referenceCount: Int) {
        names.reserveCapacity(profiles)
        namePositions.reserveCapacity(profiles)
        firstHolders.reserveCapacity(profiles, in: names)
        references.reserveCapacity(referenceCount)
    }

    /// Adds a profile's record.
    mutating func append(name: String?, nameLocation: SourceLocation?, references profileReferences: [ChatLaunchProfile.Reference]) {
        let owner = Int32(names.count)
        names.append(name)
        var namePosition = Position.none
        if let nameLocation { namePosition = position(of: nameLocation) }
        namePositions.append(namePosition)
        if firstHolders.insert(at: owner, in: names) != owner { duplicates.append(owner) }
        var dependsOnCount: Int32 = 0
        for reference in profileReferences {
            var dependsOnIndex: Int32 = 0
            if reference.kind == .dependsOn {
                dependsOnIndex = dependsOnCount
                dependsOnCount += 1
            }
            let position = position(of: reference.location)
            references.append(Reference(
                target: reference.target, position: position, owner: owner,
                dependsOnIndex: dependsOnIndex, kind: reference.kind))
        }
    }

    private mutating func position(of location: SourceLocation) -> Position {
        // Positions of one profile are nearly always in the file added last.
        // Compared by their bytes: two paths a `String` holds equal name two files.
        let file: Int32
        if let last = files.last, last.isExactly(location.file) {
            file = Int32(files.count - 1)
        } else if let known = fileIndex[location.file], files[Int(known)].isExactly(location.file) {
            file = known
        } else {
            file = Int32(files.count)
            files.append(location.file)
            fileIndex[location.file] = file
        }
        return Position(file: file, line: Int32(clamping: location.line), column: Int32(clamping: location.column))
    }

    private func location(_ position: Position) -> SourceLocation? {
        guard position.file >= 0 else { return nil }
        return SourceLocation(file: files[Int(position.file)], line: Int(position.line), column: Int(position.column))
    }

    private func firstHolder(of name: String) -> Int32? {
        firstHolders.first(named: name, in: names)
    }

    func check() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for index in duplicates {
            guard let name = names[Int(index)], let first = firstHolder(of: name) else { continue }
            let where_ = location(namePositions[Int(first)]).map { " (first defined at \($0))" } ?? ""
            problems.append(Diagnostic(
                location: location(namePositions[Int(index)]), code: "name.duplicate", path: "metadata.name",
                message: "duplicate profile name \(JSONPointer.quoted(name))\(where_)",
                hint: "profile names must be unique across the repository"))
        }
        // Each target is looked up once, in one pass in the records' order; the graph
        // walk below reads these indices and never hashes a name.
        var graph = emptyGraph()
        // Sorted once, and only when some reference needs a suggestion.
        var sortedNames: [String]?
        var duplicateCursor = 0
        for (offset, reference) in references.enumerated() {
            if let target = firstHolder(of: reference.target) {
                // Only the first holder of a name has edges (duplicates are reported
                // apart); references come owner by owner, so the sorted duplicates are read once.
                let owner = Int(reference.owner)
                while duplicateCursor < duplicates.count, Int(duplicates[duplicateCursor]) < owner { duplicateCursor += 1 }
                let isDuplicate = duplicateCursor < duplicates.count && Int(duplicates[duplicateCursor]) == owner
                if names[owner] != nil, !isDuplicate { graph.targets[offset] = target }
                continue
            }
            let candidates = sortedNames ?? Self.uniqueSorted(names)
            sortedNames = candidates
            let hint = Suggestions.closest(to: reference.target, among: candidates).map { "did you mean \(JSONPointer.quoted($0))?" }
            problems.append(Diagnostic(
                location: location(reference.position), code: "ref.unknown", path: Self.path(of: reference),
                message: "no profile is named \(JSONPointer.quoted(reference.target))", hint: hint))
        }
        return problems + cycles(in: graph)
    }

    /// The reference graph with no edge yet: one vertex a profile, one slot a reference
    /// (references are appended owner by owner, so a profile's are contiguous). At
    /// 1,000,000 profiles it takes 4 bytes a profile and 4 a reference, for the walk only.
    private func emptyGraph() -> StronglyConnectedComponents.Graph {
        var starts = [Int32](repeating: 0, count: names.count + 1)
        for reference in references { starts[Int(reference.owner) + 1] += 1 }
        for profile in names.indices { starts[profile + 1] += starts[profile] }
        return StronglyConnectedComponents.Graph(starts: starts, targets: [Int32](repeating: -1, count: references.count))
    }

    /// Every name once, sorted.
    private static func uniqueSorted(_ names: [String?]) -> [String] {
        var sorted = names.compactMap { $0 }.sorted()
        var kept = 0
        for name in sorted where kept == 0 || sorted[kept - 1] != name {
            sorted[kept] = name
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }

    /// The field path of a reference, for messages.
    static func path(of reference: Reference) -> String {
        switch reference.kind {
        case .dependsOn: "spec.dependsOn[\(reference.dependsOnIndex)]"
        case .persistence: "spec.persistence.from"
        case .relatedContact: "spec.relatedContact.from"
        }
    }

    /// One diagnostic per cycle (strongly connected component with more than one profile,
    /// or a profile referring to itself), at the reference of the cycle's first profile in
    /// load order, naming the whole cycle.
    private func cycles(in graph: StronglyConnectedComponents.Graph) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let components = StronglyConnectedComponents.cyclic(graph)
        for component in components {
            let members = Set(component)
            guard let start = component.min() else { continue }
            let selfLoop = graph.hasEdge(from: start, to: start)
            let path = selfLoop && members.count == 1 ? [start, start] : shortestCycle(from: start, within: members, in: graph)
            guard path.count >= 2, let edge = graph.edges(of: start).first(where: { $0.target == path[1] }) else { continue }
            let reference = references[edge.reference]
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
    private func shortestCycle(
        from start: Int, within members: Set<Int>, in graph: StronglyConnectedComponents.Graph
    ) -> [Int] {
        var previous: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for (next, _) in graph.edges(of: current) {
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
    /// A graph in two flat arrays: the edges leaving vertex `v` are
    /// `targets[starts[v]..<starts[v + 1]]`, where a negative target is no edge. The walk
    /// reads them by offset: no closure, no collection built per vertex (a walk over lazy
    /// collections of edges cost thousands of instructions a vertex).
    struct Graph {
        /// Per vertex, the offset of its first edge; one more entry for the end.
        var starts: [Int32]
        /// Per edge slot, the vertex it leads to, or -1 for none.
        var targets: [Int32]

        var count: Int { starts.count - 1 }

        /// Whether an edge leads from `vertex` to `target`.
        func hasEdge(from vertex: Int, to target: Int) -> Bool {
            var offset = Int(starts[vertex])
            while offset < Int(starts[vertex + 1]) {
                if Int(targets[offset]) == target { return true }
                offset += 1
            }
            return false
        }

        /// The edges leaving `vertex`, as (target, offset of the edge slot).
        func edges(of vertex: Int) -> some Collection<(target: Int, reference: Int)> {
            (Int(starts[vertex])..<Int(starts[vertex + 1])).lazy.compactMap { offset in
                targets[offset] >= 0 ? (target: Int(targets[offset]), reference: offset) : nil
            }
        }
    }

    /// Components of the graph with vertices `0..<count`; each in discovery order.
    static func find(count: Int, successors: (Int) -> [Int]) -> [[Int]] {
        var graph = Graph(starts: [0], targets: [])
        for vertex in 0..<count {
            graph.targets += successors(vertex).map { Int32($0) }
            graph.starts.append(Int32(graph.targets.count))
        }
        var components: [[Int]] = []
        walk(graph, keepsSingleton: { _ in true }) { components.append($0) }
        return components
    }

    /// The components that hold a cycle: more than one vertex, or one with an edge to
    /// itself. A graph of a million vertices has a million singleton components; none is
    /// kept unless it loops.
    static func cyclic(_ graph: Graph) -> [[Int]] {
        var components: [[Int]] = []
        walk(graph, keepsSingleton: { vertex in graph.hasEdge(from: vertex, to: vertex) }) {
            components.append($0)
        }
        return components
    }

    private static func walk(_ graph: Graph, keepsSingleton: (Int) -> Bool, found: ([Int]) -> Void) {
        let count = graph.count
        // 32-bit: a million vertices cost 8 MB here, not 16. A vertex is on the stack when
        // it has an index that is not `done` (set when its component is found): no third
        // array of flags.
        let done = Int32.max
        var index = [Int32](repeating: -1, count: count)
        var lowLink = [Int32](repeating: 0, count: count)
        var stack: [Int32] = []
        var nextIndex: Int32 = 0
        // Each frame: a vertex and the offset of its next edge slot.
        var work: [(vertex: Int32, next: Int32)] = []
        for root in 0..<count where index[root] == -1 {
            work.append((Int32(root), graph.starts[root]))
            index[root] = nextIndex; lowLink[root] = nextIndex; nextIndex += 1
            stack.append(Int32(root))
            while let top = work.indices.last {
                let vertex = Int(work[top].vertex)
                let offset = Int(work[top].next)
                if offset < Int(graph.starts[vertex + 1]) {
                    work[top].next += 1
                    let target = graph.targets[offset]
                    guard target >= 0 else { continue }
                    let next = Int(target)
                    if index[next] == -1 {
                        index[next] = nextIndex; lowLink[next] = nextIndex; nextIndex += 1
                        stack.append(target)
                        work.append((target, graph.starts[next]))
                    } else if index[next] != done {
                        lowLink[vertex] = min(lowLink[vertex], index[next])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.vertex { lowLink[Int(parent)] = min(lowLink[Int(parent)], lowLink[vertex]) }
                if lowLink[vertex] == index[vertex] {
                    // A component of one vertex is the common case: no array unless it is kept.
                    if stack.last == Int32(vertex) {
                        stack.removeLast()
                        index[vertex] = done
                        if keepsSingleton(vertex) { found([vertex]) }
                        continue
                    }
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        index[Int(member)] = done
                        component.append(Int(member))
                        if Int(member) == vertex { break }
                    }
                    found(component.reversed())
                }
            }
        }
    }
}
