/// SHA-256 digests on OpenSSL's libcrypto (one-shot `EVP_Digest`).
public enum SHA256 {
    /// The 32-byte SHA-256 digest of `bytes`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        LibCrypto.sha256(Array(bytes))
    }

    /// The SHA-256 digest of the UTF-8 bytes of `text`.
    public static func digest(_ text: String) -> [UInt8] {
        digest(Array(text.utf8))
    }

    /// The lowercase hex SHA-256 digest of `bytes`.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        hex(digest(bytes))
    }

    /// The lowercase hex SHA-256 digest of the UTF-8 bytes of `text`.
    public static func hexDigest(_ text: String) -> String {
        hex(digest(Array(text.utf8)))
    }
}

/// Lowercase hexadecimal text of `bytes`.
public func hex(_ bytes: some Sequence<UInt8>) -> String {
    // Built as UTF-8 bytes and made a String once: appending `Character`s one at a time
    // was a visible share of a plan's digests (issue 15).
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
}
