internal import CLibCrypto

/// HMAC-SHA256 ([RFC 2104](https://www.rfc-editor.org/rfc/rfc2104)) on OpenSSL's libcrypto
/// (one-shot `HMAC` with `EVP_sha256`), the MAC that every SigV4 step uses.
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 authentication code of `message` under `key`.
    ///
    /// - Parameters:
    ///   - key: the key bytes, any length (keys longer than 64 bytes are hashed first, per RFC 2104).
    ///   - message: the message bytes, any length.
    /// - Returns: 32 raw bytes; use ``hex(_:)`` for the lowercase hex form.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
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
        // Like EVP_Digest in SHA256.swift: HMAC with the built-in SHA-256 and no engine
        // fails only when memory is exhausted, which leaves nothing sensible to report,
        // so signing stays a non-throwing pure function.
        precondition(result != nil && length == 32, "libcrypto HMAC(SHA-256) failed")
        return Array(output.prefix(Int(length)))
    }

    /// The HMAC-SHA256 of the UTF-8 bytes of `message` under `key`.
    ///
    /// - Parameters:
    ///   - key: the key bytes.
    ///   - message: text, hashed as its UTF-8 bytes.
    /// - Returns: 32 raw bytes.
    public static func authenticationCode(key: [UInt8], message: String) -> [UInt8] {
        authenticationCode(key: key, message: Array(message.utf8))
    }
}
