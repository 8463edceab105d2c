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
        LibCrypto.hmacSHA256(key: key, message: message)
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
