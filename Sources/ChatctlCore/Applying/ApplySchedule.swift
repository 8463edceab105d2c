/// The order apply runs a plan in: a ready queue fed by counting, for each call, the
/// dependencies not finished yet. Each call is queued once and each dependency edge is
/// looked at once when its call finishes, so scheduling a plan costs O(calls + edges).
///
/// A call whose dependency failed or was not applied is finished as skipped at once,
/// and so, in turn, are its own dependants.
struct ApplySchedule {
    /// Where one call is.
    enum State: Equatable {
        /// Waiting for this many dependencies to finish.
        case blocked(unfinishedDependencies: Int)
        /// All dependencies are done; in the ready queue.
        case ready
        case running
        case finished
    }

    private(set) var states: [State]
    private var dependants: [[Int]]
    private var results: [ApplyReport.Result?]
    private var ready: [Int] = []
    private var readHead = 0
    private let calls: [PlannedCall]

    init(_ calls: [PlannedCall]) {
        self.calls = calls
        var index: [String: Int] = [:]
        for (position, call) in calls.enumerated() { index[call.profile] = position }
        dependants = Array(repeating: [], count: calls.count)
        states = []
        states.reserveCapacity(calls.count)
        for (position, call) in calls.enumerated() {
            var unfinished = 0
            // Dependencies outside the plan (not selected) are already applied.
            for dependency in Set(call.dependsOn) {
                guard let dependencyIndex = index[dependency], dependencyIndex != position else { continue }
                dependants[dependencyIndex].append(position)
                unfinished += 1
            }
            states.append(unfinished == 0 ? .ready : .blocked(unfinishedDependencies: unfinished))
            if unfinished == 0 { ready.append(position) }
        }
        results = Array(repeating: nil, count: calls.count)
        ready = Self.interleavedByRegion(ready, calls)
    }

    /// `indices` taken one region at a time, in turn, each region's calls in their order.
    /// Each region has its own rate bucket, and a worker waiting for a token holds its
    /// concurrency slot: in plan order, a repository whose first hundred profiles are in one
    /// region would have every worker wait on that region's bucket while the other regions'
    /// buckets fill unused. Interleaved, the workers spread over the regions and a
    /// repository spanning three regions launches at three times one region's rate.
    static func interleavedByRegion(_ indices: [Int], _ calls: [PlannedCall]) -> [Int] {
        var queues: [String: [Int]] = [:]
        var regions: [String] = []
        for index in indices {
            let region = calls[index].region ?? ""
            if queues[region] == nil { regions.append(region) }
            queues[region, default: []].append(index)
        }
        guard regions.count > 1 else { return indices }
        var interleaved: [Int] = []
        interleaved.reserveCapacity(indices.count)
        var position = 0
        while interleaved.count < indices.count {
            for region in regions {
                let queue = queues[region, default: []]
                if position < queue.count { interleaved.append(queue[position]) }
            }
            position += 1
        }
        return interleaved
    }

    /// The next call whose dependencies are all done, first come first served.
    mutating func nextReady() -> Int? {
        guard readHead < ready.count else { return nil }
        defer { readHead += 1 }
        return ready[readHead]
    }

    /// Gives back the call ``nextReady()`` just returned, to be taken again first.
    mutating func putBack(_ index: Int) {
        readHead -= 1
    }

    mutating func markRunning(_ index: Int) {
        states[index] = .running
    }

    /// Records `result` for call `index` and releases (or skips) its dependants.
    mutating func finish(_ index: Int, with result: ApplyReport.Result, events: (ApplyEvent) -> Void) {
        var finished = [(index, result)]
        while let (current, result) = finished.popLast() {
            guard states[current] != .finished else { continue }
            states[current] = .finished
            results[current] = result
            events(.finished(result))
            let blocksDependants = result.outcome == .failed || result.outcome == .skipped
            for dependant in dependants[current] {
                guard case .blocked(let unfinished) = states[dependant] else { continue }
                if blocksDependants, calls[dependant].action != .unchanged {
                    let reason = result.outcome == .failed ? "skipped: \(result.profile) failed" : "skipped: \(result.profile) was not applied"
                    finished.append((dependant, ApplyReport.Result(calls[dependant], outcome: .skipped, message: reason)))
                } else if unfinished == 1 {
                    states[dependant] = .ready
                    ready.append(dependant)
                } else {
                    states[dependant] = .blocked(unfinishedDependencies: unfinished - 1)
                }
            }
        }
        // Keep the queue's consumed prefix from growing without bound on long plans.
        if readHead > 1024, readHead * 2 > ready.count {
            ready.removeFirst(readHead)
            readHead = 0
        }
    }

    /// One result per call, in plan order; a call that never became ready (a cycle that
    /// validation let through) is reported as skipped.
    func results(_ calls: [PlannedCall]) -> [ApplyReport.Result] {
        calls.indices.map { index in
            results[index] ?? ApplyReport.Result(calls[index], outcome: .skipped, message: "skipped: its dependencies never finished")
        }
    }
}
