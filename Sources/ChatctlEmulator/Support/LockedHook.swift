import ChatctlAWS

/// A hook (a closure) behind a lock, handed back as it was installed however often it is
/// read.
///
/// Why not `Locked<Function?>`: with a closure as `Locked`'s generic value, `withLock` takes
/// it `inout` at the generic (most general) abstraction, so the closure is wrapped in a
/// reabstraction thunk on the way in and again on the way back, and the write-back stores
/// the wrapper. Every read then deepened the hook by two calls: the emulator's
/// `onChatStarted`, read once per StartChatContact, called its handler through ~28,000
/// nested thunks at the ~14,000th chat of one emulator and overflowed the stack (a
/// segmentation fault; docs/robustness.md "Reports found"). Kept in a struct, the closure is
/// never the `inout` value itself, and reading it stores nothing.
final class LockedHook<Function: Sendable>: Sendable {
    private struct Slot: Sendable {
        var function: Function?
    }

    private let slot = Locked(Slot())

    /// Creates an empty hook.
    init() {}

    /// The closure installed, or `nil`.
    var function: Function? {
        get { slot.withLock { $0.function } }
        set { slot.withLock { $0.function = newValue } }
    }
}
