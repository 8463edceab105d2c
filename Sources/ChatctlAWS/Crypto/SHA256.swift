/// SHA-256 digests on OpenSSL's libcrypto (its low-level `SHA256_*` functions: CLibCrypto's
/// shim.h says why not EVP).
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

    /// A SHA-256 digest of bytes fed in pieces: the same digest as ``digest(_:)-(Collection)``
    /// of all the pieces joined, without holding them joined (a plan's inputs digest covers
    /// every call of a plan of any size).
    public struct Incremental: ~Copyable {
        private let context = LibCrypto.SHA256Context()
        private var pending: [UInt8] = []
        /// Bytes gathered before they go to libcrypto: one call per piece of this size
        /// rather than one per small append.
        private static let pieceSize = 64 * 1024

        /// A digest of nothing yet.
        public init() {
            pending.reserveCapacity(Self.pieceSize)
        }

        /// Feeds `bytes`.
        public mutating func update(_ bytes: some Sequence<UInt8>) {
            pending.append(contentsOf: bytes)
            if pending.count >= Self.pieceSize { flush() }
        }

        /// Feeds one byte.
        public mutating func update(byte: UInt8) {
            pending.append(byte)
            if pending.count >= Self.pieceSize { flush() }
        }

        /// The lowercase hex digest of everything fed.
        public consuming func hexDigest() -> String {
            flush()
            return hex(context.finish())
        }

        private mutating func flush() {
            guard !pending.isEmpty else { return }
            context.update(pending)
            pending.removeAll(keepingCapacity: true)
        }
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
