public import Foundation

/// The emulator's wall clock, injected so tests can fix and move time: it dates
/// signatures (the 5-minute window), refills the token buckets and ends chats whose
/// duration has passed.
public protocol EmulatorClock: Sendable {
    /// The current time (UTC instant).
    func now() -> Date
}

/// The system clock, `Date()`.
public struct SystemEmulatorClock: EmulatorClock {
    /// Creates the clock.
    public init() {}

    /// `Date()`.
    public func now() -> Date {
        Date()
    }
}

/// A clock that stands still until moved, for tests.
public final class ManualEmulatorClock: EmulatorClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Creates a clock showing `date`.
    public init(_ date: Date) {
        self.current = date
    }

    /// The time the clock shows.
    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Moves the clock forward (or back, with a negative value).
    ///
    /// - Parameter seconds: how far to move it.
    public func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        lock.lock()
        defer { lock.unlock() }
        current = date
    }
}
