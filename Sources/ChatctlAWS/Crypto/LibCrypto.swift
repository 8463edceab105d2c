internal import CLibCrypto

/// The one file that calls OpenSSL's libcrypto (STYLE.md: C interop in one wrapper file per
/// library). ``SHA256``, ``HMACSHA256``, ``SecureRandom`` and ``CryptoError`` are the
/// Swift-shaped front; pointers and C types stay here.
enum LibCrypto {
    /// Initialises libcrypto once, asking it not to free its tables in an `atexit` handler:
    /// a process that exits while another thread digests (a second SIGINT during apply, a
    /// failed write to standard output) would otherwise have that digest fail under it.
    /// Called before any other use of libcrypto, libcurl's TLS included (the first
    /// initialisation decides whether the handler is registered).
    static func initialize() {
        precondition(initialized, "libcrypto OPENSSL_init_crypto failed")
    }

    private static let initialized: Bool = chatctl_openssl_init_without_atexit() == 1

    /// SHA-256 of `input`, by the low-level `SHA256_*` functions (shim.h says why not EVP).
    static func sha256(_ input: [UInt8]) -> [UInt8] {
        initialize()
        var context = chatctl_sha256_context()
        var output = [UInt8](repeating: 0, count: 32)
        // The low-level functions only set up and fill the context: they cannot fail.
        let ok = chatctl_sha256_init(&context) == 1
            && input.withUnsafeBytes { bytes in chatctl_sha256_update(&context, bytes.baseAddress, bytes.count) } == 1
            && output.withUnsafeMutableBufferPointer { out in chatctl_sha256_final(&context, out.baseAddress) } == 1
        precondition(ok, "libcrypto SHA256 failed")
        return output
    }

    /// SHA-1 of `input`: only for the WebSocket handshake's `Sec-WebSocket-Accept` (RFC 6455
    /// section 4.2.2 fixes SHA-1 there; it proves nothing secret).
    static func sha1(_ input: [UInt8]) -> [UInt8] {
        digest(input, EVP_sha1(), name: "SHA-1")
    }

    /// `input` digested with `algorithm` by the one-shot `EVP_Digest`.
    private static func digest(_ input: [UInt8], _ algorithm: OpaquePointer?, name: String) -> [UInt8] {
        initialize()
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { bytes in
            output.withUnsafeMutableBufferPointer { out in
                EVP_Digest(bytes.baseAddress, bytes.count, out.baseAddress, &length, algorithm, nil)
            }
        }
        // EVP_Digest with a built-in digest and no engine cannot fail short of memory
        // exhaustion; a failure here means libcrypto itself is broken.
        precondition(ok == 1, "libcrypto EVP_Digest(\(name)) failed")
        return Array(output.prefix(Int(length)))
    }

    /// A SHA-256 digest fed in pieces (`SHA256_Init`, `SHA256_Update`, `SHA256_Final`,
    /// through the shim), so a long input is never held whole.
    final class SHA256Context {
        private var context = chatctl_sha256_context()

        init() {
            LibCrypto.initialize()
            precondition(chatctl_sha256_init(&context) == 1, "libcrypto SHA256_Init failed")
        }

        func update(_ input: [UInt8]) {
            let ok = input.withUnsafeBytes { bytes in chatctl_sha256_update(&context, bytes.baseAddress, bytes.count) }
            precondition(ok == 1, "libcrypto SHA256_Update failed")
        }

        /// The digest of everything fed; the context is spent afterwards.
        func finish() -> [UInt8] {
            var output = [UInt8](repeating: 0, count: 32)
            let ok = output.withUnsafeMutableBufferPointer { out in chatctl_sha256_final(&context, out.baseAddress) }
            precondition(ok == 1, "libcrypto SHA256_Final failed")
            return output
        }
    }

    /// HMAC-SHA256 of `message` under `key`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        initialize()
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // OpenSSL treats a NULL key specially, so an empty key is passed as a valid
        // pointer to a one-byte buffer together with a length of 0.
        let keyBytes = key.isEmpty ? [0] : key
        let keyLength = Int32(clamping: key.count)
        let result = keyBytes.withUnsafeBytes { keyPointer in
            message.withUnsafeBytes { messagePointer in
                output.withUnsafeMutableBufferPointer { outputPointer in
                    HMAC(
                        EVP_sha256(),
                        keyPointer.baseAddress, keyLength,
                        messagePointer.baseAddress?.assumingMemoryBound(to: UInt8.self), messagePointer.count,
                        outputPointer.baseAddress, &length
                    )
                }
            }
        }
        // As with EVP_Digest: HMAC with the built-in SHA-256 fails only when memory is
        // exhausted, so signing stays a non-throwing pure function.
        precondition(result != nil && length == 32, "libcrypto HMAC(SHA-256) failed")
        return Array(output.prefix(Int(length)))
    }

    /// `count` bytes from `RAND_bytes`, or `nil` when libcrypto could not provide them.
    static func randomBytes(_ count: Int) -> [UInt8]? {
        initialize()
        var output = [UInt8](repeating: 0, count: count)
        let result = output.withUnsafeMutableBufferPointer { pointer in
            RAND_bytes(pointer.baseAddress, Int32(clamping: pointer.count))
        }
        return result == 1 ? output : nil
    }

    /// The oldest error on libcrypto's thread-local queue, as text (the queue is cleared),
    /// or `nil` when none is queued.
    static func takeQueuedError() -> String? {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { pointer in
            ERR_error_string_n(code, pointer.baseAddress, pointer.count)
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
