internal import CLibCrypto

/// SHA-256 digests on OpenSSL's libcrypto (one-shot `EVP_Digest`).
public enum SHA256 {
    /// The 32-byte SHA-256 digest of `bytes`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let contiguous = Array(bytes)
        let ok = contiguous.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                EVP_Digest(input.baseAddress, input.count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with the built-in SHA-256 and no engine cannot fail short of
        // memory exhaustion; a failure here means libcrypto itself is broken.
        precondition(ok == 1, "libcrypto EVP_Digest(SHA-256) failed")
        return Array(output.prefix(Int(length)))
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
    let digits: [Character] = Array("0123456789abcdef")
    var text = ""
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return text
}
