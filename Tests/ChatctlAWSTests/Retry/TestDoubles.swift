import ChatctlAWS
import Foundation

/// A random source that returns the given numbers in turn, then repeats the last one.
final class FixedRandomSource: RandomSource, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double]

    init(_ values: [Double]) {
        self.values = values
    }

    func nextUnitInterval() -> Double {
        lock.lock()
        defer { lock.unlock() }
        guard values.count > 1 else { return values.first ?? 0 }
        return values.removeFirst()
    }
}

/// A clock moved by hand.
final class ManualClock: MonotonicClock, @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double

    init(_ seconds: Double = 1000) {
        self.seconds = seconds
    }

    func now() -> Double {
        lock.lock()
        defer { lock.unlock() }
        return seconds
    }

    func advance(by delta: Double) {
        lock.lock()
        defer { lock.unlock() }
        seconds += delta
    }
}
