internal import Foundation

/// A value guarded by an `NSLock`, shared between worker threads.
///
/// `Synchronization.Mutex` would express this directly, but it needs macOS 15 while the
/// package supports macOS 13; `NSLock` works on every platform the package builds for.
/// It is `@unchecked Sendable` because every access to `value` goes through `withLock`.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
