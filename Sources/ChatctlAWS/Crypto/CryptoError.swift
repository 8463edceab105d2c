/// A libcrypto (OpenSSL) call that failed, with OpenSSL's own reason text.
public struct CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The libcrypto function that failed, for example `RAND_bytes`.
    public var operation: String
    /// OpenSSL's error string for the first queued error, or a fallback when the queue was empty.
    public var reason: String

    /// Creates an error from an operation name and a reason text.
    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    /// A lowercase message with no trailing period, such as `RAND_bytes failed: …`.
    public var description: String {
        "\(operation) failed: \(reason)"
    }

    /// Takes the oldest error from OpenSSL's per-thread queue (clearing the rest) and
    /// wraps it for `operation`.
    static func fromOpenSSLQueue(operation: String) -> CryptoError {
        CryptoError(operation: operation, reason: LibCrypto.takeQueuedError() ?? "no reason queued by libcrypto")
    }
}
