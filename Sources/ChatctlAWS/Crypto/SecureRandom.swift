/// Cryptographically secure random bytes from OpenSSL's `RAND_bytes` (its seeded DRBG),
/// for idempotency tokens and jitter seeds.
public enum SecureRandom {
    /// `count` random bytes.
    ///
    /// - Parameter count: the number of bytes, 0 or more.
    /// - Returns: exactly `count` bytes.
    /// - Throws: ``CryptoError`` when libcrypto's generator is not seeded or fails.
    public static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        precondition(count >= 0, "byte count must not be negative")
        guard count > 0 else { return [] }
        guard let output = LibCrypto.randomBytes(count) else {
            throw CryptoError.fromOpenSSLQueue(operation: "RAND_bytes")
        }
        return output
    }

    /// A uniformly random 64-bit unsigned integer.
    ///
    /// - Throws: ``CryptoError`` when libcrypto's generator fails.
    public static func uint64() throws(CryptoError) -> UInt64 {
        try bytes(count: 8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }
}
