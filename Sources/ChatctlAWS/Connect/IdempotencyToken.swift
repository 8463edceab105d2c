/// Idempotency tokens for `ClientToken` members, as the AWS SDKs generate them when the
/// caller gives none: a random (version 4) UUID in lowercase text.
public enum IdempotencyToken {
    /// A new random token such as `3f2b8c1e-9a4d-4e57-b0c2-5d6e7f8091a2`, from ``SecureRandom``.
    ///
    /// - Throws: ``CryptoError`` when libcrypto's generator fails.
    public static func generate() throws(CryptoError) -> String {
        var bytes = try SecureRandom.bytes(count: 16)
        bytes[6] = (bytes[6] & 0x0f) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80  // RFC 4122 variant
        let text = hex(bytes)
        let characters = Array(text)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }
}
