import Foundation

/// A value guarded by an `NSLock`, shared between the server's connection tasks.
///
/// The emulator's state changes in short, synchronous steps (no `await` inside), so a lock
/// serialises them more cheaply than an actor hop would; `Synchronization.Mutex` would do
/// the same but needs macOS 15. It is `@unchecked Sendable` because every access to the
/// value goes through ``withLock(_:)``.
final class EmulatorLock<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
