import Foundation

/// A request to stop scheduling, set by the first SIGINT or SIGTERM: apply starts no new
/// call but lets the calls in flight finish and records them (unlike cancelling its task,
/// which also cancels those calls). Shared between the signal handler and the ``Applier``.
public final class ApplyInterruption: @unchecked Sendable {
    // @unchecked: `signalNumber` is only read and written under `lock`.
    private let lock = NSLock()
    private var signalNumber: Int32?

    public init() {}

    /// Asks apply to stop scheduling; the first request's signal is kept.
    /// - Returns: true for the first request.
    @discardableResult
    public func request(signal: Int32) -> Bool {
        lock.withLock {
            guard signalNumber == nil else { return false }
            signalNumber = signal
            return true
        }
    }

    /// The signal of the first request, or `nil` while none came.
    public var signal: Int32? { lock.withLock { signalNumber } }

    /// True once a request came.
    public var isRequested: Bool { signal != nil }
}
