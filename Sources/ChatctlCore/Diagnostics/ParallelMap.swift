import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` over the elements on all cores, results in the same order. For independent,
    /// CPU-bound work per element (a file to parse, a profile to validate).
    func parallelMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        let results = OrderedResults<Result>(count: count)
        let elements = self
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, transform(elements[index]))
        }
        return results.values
    }
}

/// Slots filled from several threads, each once.
private final class OrderedResults<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `slots` is only touched under `lock`.
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    /// Every slot's value; all are set once `concurrentPerform` has returned.
    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
