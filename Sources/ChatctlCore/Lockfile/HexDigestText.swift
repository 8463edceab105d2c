/// A lock entry's SHA-256 as text (`sha256:` and 64 lowercase hex digits, or the 64 digits
/// alone), kept as its 32 bytes: 40 bytes in the entry instead of a `String` of 16 and its
/// 96 or 112 on the heap, for two fields of each of 100,000 entries. Any other text (an
/// entry made in code, or before its digest is known) is kept as it is; either way it
/// reads back as the same text.
struct HexDigestText: Sendable, Equatable {
    private enum Storage: Sendable, Equatable {
        /// The digits' bytes, big-endian in four words; `prefixed` when the text starts `sha256:`.
        case digest(UInt64, UInt64, UInt64, UInt64, prefixed: Bool)
        case text(String)
    }

    private let storage: Storage

    static let prefix = Array("sha256:".utf8)

    /// `text`, compact when it has one of the two digest forms.
    init(_ text: String) {
        self = Self(utf8: ArraySlice(text.utf8)) ?? Self(storage: .text(text))
    }

    private init(storage: Storage) { self.storage = storage }

    /// The digest written in `utf8`, or `nil` when it is not `sha256:` and 64 lowercase hex
    /// digits, or the digits alone.
    init?(utf8: ArraySlice<UInt8>) {
        let prefixed = utf8.count == 71 && utf8.prefix(7).elementsEqual(Self.prefix)
        guard prefixed || utf8.count == 64 else { return nil }
        // Eight digits at a time (``ByteWords``): this runs for two digests of each of a
        // lockfile's entries.
        let digits = utf8.span.extracting(droppingFirst: prefixed ? 7 : 0)
        func word(_ index: Int) -> UInt64? {
            guard let high = ByteWords.lowerHexValue(ByteWords.load(digits, at: 16 * index)),
                  let low = ByteWords.lowerHexValue(ByteWords.load(digits, at: 16 * index + 8)) else { return nil }
            return UInt64(high) << 32 | UInt64(low)
        }
        guard let first = word(0), let second = word(1), let third = word(2), let fourth = word(3) else { return nil }
        storage = .digest(first, second, third, fourth, prefixed: prefixed)
    }

    /// `sha256:` and the hex digits of a 32-byte SHA-256 `digest`, made without its text
    /// (a plan computes one for each profile and compares it with the entry's bytes).
    init(sha256 digest: [UInt8]) {
        precondition(digest.count == 32, "a SHA-256 digest is 32 bytes")
        var words: [UInt64] = [0, 0, 0, 0]
        for (offset, byte) in digest.enumerated() {
            words[offset / 8] = words[offset / 8] << 8 | UInt64(byte)
        }
        storage = .digest(words[0], words[1], words[2], words[3], prefixed: true)
    }

    /// The four words and the form of a digest kept compact, `nil` for any other text: what
    /// a row of ``KeptEntryRows`` holds in place of the value.
    var words: (UInt64, UInt64, UInt64, UInt64, prefixed: Bool)? {
        guard case .digest(let first, let second, let third, let fourth, let prefixed) = storage else { return nil }
        return (first, second, third, fourth, prefixed)
    }

    /// The digest ``words`` gave.
    init(words: (UInt64, UInt64, UInt64, UInt64), prefixed: Bool) {
        storage = .digest(words.0, words.1, words.2, words.3, prefixed: prefixed)
    }

    /// The text, as it was given.
    var text: String {
        switch storage {
        case .text(let text): return text
        case .digest:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(71)
            appendText(to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Appends the UTF-8 bytes of ``text`` to `bytes`, without making the `String`.
    func appendText(to bytes: inout [UInt8]) {
        switch storage {
        case .text(let text): bytes.append(contentsOf: text.utf8)
        case .digest(let first, let second, let third, let fourth, let prefixed):
            if prefixed { bytes += Self.prefix }
            Self.appendDigits(of: first, to: &bytes)
            Self.appendDigits(of: second, to: &bytes)
            Self.appendDigits(of: third, to: &bytes)
            Self.appendDigits(of: fourth, to: &bytes)
        }
    }

    /// The 16 lowercase hex digits of `word`, most significant first.
    private static func appendDigits(of word: UInt64, to bytes: inout [UInt8]) {
        // A plain countdown, not a `stride`: 2.5 times faster, and a plan's inputs digest
        // writes four words for each profile on one core (issue 15).
        var shift: UInt64 = 64
        repeat {
            shift &-= 4
            let nibble = UInt8(truncatingIfNeeded: word &>> shift) & 0x0F
            bytes.append(nibble &+ (nibble < 10 ? UInt8(ascii: "0") : UInt8(ascii: "a") &- 10))
        } while shift != 0
    }
}
