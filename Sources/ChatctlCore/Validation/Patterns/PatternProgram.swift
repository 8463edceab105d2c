import Foundation
/// A ``PatternNode`` compiled to a Thompson NFA and run as a Pike VM without captures:
/// time linear in the input times the program size, with no backtracking blow-up.
///
/// Only whether a match exists is computed, so greedy and lazy quantifiers behave alike.
/// Input is walked by Unicode scalars (ECMA-262 Unicode mode).
struct PatternProgram: Sendable {
    enum Instruction: Sendable, Hashable {
        /// Consume one scalar in `sets[index]`.
        case scalar(Int)
        case split(Int, Int)
        case jump(Int)
        case assertStart
        case assertEnd
        case match
    }

    /// Programs longer than this are left to another engine.
    static let maximumInstructions = 5000

    private(set) var instructions: [Instruction] = []
    private(set) var sets: [ScalarSet] = []
    /// True when every match must start at the start of the input.
    private(set) var anchoredAtStart = false
    /// Buffers of finished runs, reused so a match neither allocates nor clears memory.
    private let pool = RunBufferPool()

    /// Compiles `node`, or returns `nil` when the program would be too large.
    init?(_ node: PatternNode) {
        var builder = Builder()
        guard builder.emit(node) else { return nil }
        builder.instructions.append(.match)
        instructions = builder.instructions
        sets = builder.sets
        anchoredAtStart = Self.isAnchored(node)
    }

    private static func isAnchored(_ node: PatternNode) -> Bool {
        switch node {
        case .inputStart: true
        case .sequence(let items): items.first.map(isAnchored) ?? false
        case .alternation(let alternatives): alternatives.allSatisfy(isAnchored)
        default: false
        }
    }

    private struct Builder {
        var instructions: [Instruction] = []
        var sets: [ScalarSet] = []
        var setIndex: [ScalarSet: Int] = [:]

        /// Appends the code for `node`; false when the program grows too large.
        mutating func emit(_ node: PatternNode) -> Bool {
            guard instructions.count < PatternProgram.maximumInstructions else { return false }
            switch node {
            case .set(let set):
                let index: Int
                if let known = setIndex[set] {
                    index = known
                } else {
                    index = sets.count
                    sets.append(set)
                    setIndex[set] = index
                }
                instructions.append(.scalar(index))
            case .sequence(let items):
                for item in items where !emit(item) { return false }
            case .alternation(let alternatives):
                var exits: [Int] = []
                for (position, alternative) in alternatives.enumerated() {
                    if position == alternatives.count - 1 {
                        if !emit(alternative) { return false }
                    } else {
                        let split = instructions.count
                        instructions.append(.split(split + 1, 0))
                        if !emit(alternative) { return false }
                        exits.append(instructions.count)
                        instructions.append(.jump(0))
                        instructions[split] = .split(split + 1, instructions.count)
                    }
                }
                for exit in exits { instructions[exit] = .jump(instructions.count) }
            case .repetition(let body, let minimum, let maximum):
                for _ in 0..<minimum where !emit(body) { return false }
                if let maximum {
                    var exits: [Int] = []
                    for _ in minimum..<max(minimum, maximum) {
                        exits.append(instructions.count)
                        instructions.append(.split(0, 0))
                        if !emit(body) { return false }
                    }
                    for exit in exits { instructions[exit] = .split(exit + 1, instructions.count) }
                } else {
                    let loop = instructions.count
                    instructions.append(.split(loop + 1, 0))
                    if !emit(body) { return false }
                    instructions.append(.jump(loop))
                    instructions[loop] = .split(loop + 1, instructions.count)
                }
            case .inputStart:
                instructions.append(.assertStart)
            case .inputEnd:
                instructions.append(.assertEnd)
            }
            return instructions.count <= PatternProgram.maximumInstructions
        }
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        var run = Run(program: self, reusing: pool.take())
        defer { pool.give(run.buffer, generation: run.generation + 1) }
        var iterator = text.unicodeScalars.makeIterator()
        var current = iterator.next()
        if run.add(0, atStart: true, atEnd: current == nil) { return true }
        run.swapLists()
        while let scalar = current {
            let following = iterator.next()
            let atEnd = following == nil
            if run.step(scalar.value, atEnd: atEnd) { return true }
            if !anchoredAtStart, run.add(0, atStart: false, atEnd: atEnd) { return true }
            if run.nextIsEmpty && anchoredAtStart { return false }
            run.swapLists()
            current = following
        }
        return false
    }

    /// The state of one run. A single array holds the marks (the generation in which
    /// each instruction was last added), the current and next thread lists and the
    /// work stack of `add`, so a match costs one allocation.
    private struct Run {
        let program: PatternProgram
        fileprivate(set) var buffer: [Int]
        private var currentBase: Int
        private var nextBase: Int
        private var currentCount = 0
        private var nextCount = 0
        private let stackBase: Int
        fileprivate(set) var generation = 1

        init(program: PatternProgram, reusing pooled: (buffer: [Int], generation: Int)?) {
            self.program = program
            let size = program.instructions.count
            // marks | list | list | stack (each instruction pushes at most two more).
            if let pooled, pooled.buffer.count == 5 * size + 2 {
                // Marks are generation stamps: a generation above every stamp in the
                // buffer makes it as good as cleared.
                buffer = pooled.buffer
                generation = pooled.generation
            } else {
                buffer = Array(repeating: 0, count: 5 * size + 2)
            }
            currentBase = size
            nextBase = 2 * size
            stackBase = 3 * size
        }

        var nextIsEmpty: Bool { nextCount == 0 }

        mutating func swapLists() {
            swap(&currentBase, &nextBase)
            currentCount = nextCount
            nextCount = 0
            generation += 1
        }

        /// Advances every thread over `value`; true when a thread reaches `match`.
        mutating func step(_ value: UInt32, atEnd: Bool) -> Bool {
            for offset in 0..<currentCount {
                let pc = buffer[currentBase + offset]
                if case .scalar(let set) = program.instructions[pc], program.sets[set].contains(value) {
                    if add(pc + 1, atStart: false, atEnd: atEnd) { return true }
                }
            }
            return false
        }

        /// Adds the thread at `pc` and everything reachable from it without consuming
        /// input to the next list; true when that reaches `match`.
        mutating func add(_ pc: Int, atStart: Bool, atEnd: Bool) -> Bool {
            var top = stackBase
            buffer[top] = pc
            top += 1
            while top > stackBase {
                top -= 1
                let current = buffer[top]
                if buffer[current] == generation { continue }
                buffer[current] = generation
                switch program.instructions[current] {
                case .scalar:
                    buffer[nextBase + nextCount] = current
                    nextCount += 1
                case .split(let first, let second):
                    buffer[top] = second
                    buffer[top + 1] = first
                    top += 2
                case .jump(let target):
                    buffer[top] = target
                    top += 1
                case .assertStart:
                    if atStart {
                        buffer[top] = current + 1
                        top += 1
                    }
                case .assertEnd:
                    if atEnd {
                        buffer[top] = current + 1
                        top += 1
                    }
                case .match:
                    return true
                }
            }
            return false
        }
    }
}

/// Finished runs' buffers, kept for the next match of the same program (a program with
/// long counted repetitions, such as `{1,500}`, has a buffer of several kilobytes).
final class RunBufferPool: @unchecked Sendable {
    // @unchecked: `free` is only touched under `lock`.
    private let lock = NSLock()
    private var free: [(buffer: [Int], generation: Int)] = []

    func take() -> (buffer: [Int], generation: Int)? {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast()
    }

    func give(_ buffer: [Int], generation: Int) {
        lock.lock()
        defer { lock.unlock() }
        // A few per program cover the threads that validate at once.
        if free.count < 8 { free.append((buffer, generation)) }
    }
}
