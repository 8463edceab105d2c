import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` over the elements on all cores, results in the same order. For independent,
    /// CPU-bound work per element (a file to parse, a profile to validate).
    func parallelMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        let results = HandedResults<Result>(count: count)
        let elements = self
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, transform(elements[index]))
        }
        // Every slot is set once `concurrentPerform` has returned: nothing waits.
        return (0..<count).map { results.take($0) }
    }
}

extension Array where Element: Sendable {
    /// `transform` of each element on all cores, each result handed to `consume` on the
    /// calling thread in the elements' order, as soon as it (and every result before it) is
    /// ready. Work that must follow the order (a plan's decisions) then runs beside the
    /// parallel work instead of after all of it. When `consume` throws, the rest of the
    /// results are computed and dropped, and the error is rethrown.
    func parallelMap<Result: Sendable, Failure: Error>(
        _ transform: @escaping @Sendable (Element) -> Result,
        consumingInOrder consume: (Int, Result) throws(Failure) -> Void
    ) throws(Failure) {
        guard count > 1 else {
            for (index, element) in enumerated() { try consume(index, transform(element)) }
            return
        }
        let results = HandedResults<Result>(count: count)
        let elements = self
        // A thread of its own: the caller may hold one of the pool's threads while it waits,
        // and `concurrentPerform` always runs iterations on the thread that calls it, so the
        // results come even when the pool has no other thread to give.
        let producer = Thread {
            DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                results.set(index, transform(elements[index]))
            }
            results.finish()
        }
        producer.start()
        // Whatever `consume` does, the producer's work ends before this returns.
        defer { results.waitUntilFinished() }
        for index in 0..<count {
            try consume(index, results.take(index))
        }
    }
}

/// Slots filled from several threads, each once, and taken in order by one.
private final class HandedResults<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `slots` and `finished` are only touched under `condition`.
    private let condition = NSCondition()
    private var slots: [Value?]
    private var finished = false

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        condition.lock()
        slots[index] = value
        condition.broadcast()
        condition.unlock()
    }

    /// The value of slot `index`, once set; the slot is emptied (nothing holds it twice).
    func take(_ index: Int) -> Value {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = slots[index] {
                slots[index] = nil
                return value
            }
            condition.wait()
        }
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
