internal import CLibCrypto

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
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else {
            return CryptoError(operation: operation, reason: "no reason queued by libcrypto")
        }
        var buffer = [CChar](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { pointer in
            ERR_error_string_n(code, pointer.baseAddress, pointer.count)
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return CryptoError(operation: operation, reason: String(decoding: bytes, as: UTF8.self))
    }
}
