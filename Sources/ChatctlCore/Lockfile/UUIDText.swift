/// An id as text (a lock entry's contact and participant ids, and the contacts it
/// continues or relates to), kept as its 16 bytes when it is a UUID written the way Amazon
/// Connect writes them: 36 characters, lowercase hex digits in groups of 8-4-4-4-12
/// joined by `-`. That is 17 bytes in the entry instead of a `String` of 16 and its 80 on
/// the heap, for two ids of each of 100,000 entries. Any other text (upper case, another
/// length, an emulator's or a test's id) is kept as it is; either way it reads back as
/// exactly the text it was given.
struct UUIDText: Sendable, Equatable {
    private enum Storage: Sendable, Equatable {
        /// The 32 digits' bytes, big-endian in two words.
        case uuid(UInt64, UInt64)
        case text(String)
    }

    private let storage: Storage

    /// `text`, compact when it has the lowercase UUID form.
    init(_ text: String) {
        self = Self(utf8: ArraySlice(text.utf8)) ?? Self(storage: .text(text))
    }

    private init(storage: Storage) { self.storage = storage }

    /// Where the dashes are, as offsets in the 36 characters.
    private static func isDash(at offset: Int) -> Bool { offset == 8 || offset == 13 || offset == 18 || offset == 23 }

    /// The id written in `utf8`, or `nil` when it is not a lowercase UUID (36 characters:
    /// hex digits `0-9a-f` with `-` at offsets 8, 13, 18 and 23, and nothing else).
    init?(utf8: ArraySlice<UInt8>) {
        guard utf8.count == 36 else { return nil }
        let text = utf8.span
        guard text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"),
              text[23] == UInt8(ascii: "-") else { return nil }
        // Eight digits at a time (``ByteWords``), a group of four read as four zeros before it.
        func group(at offset: Int, digits: Int) -> UInt64? {
            var word = ByteWords.load(text, at: offset + digits - 8)
            if digits == 4 { word = word & 0xFFFF_FFFF_0000_0000 | 0x3030_3030 }
            return ByteWords.lowerHexValue(word).map(UInt64.init)
        }
        guard let first = group(at: 0, digits: 8), let second = group(at: 9, digits: 4),
              let third = group(at: 14, digits: 4), let fourth = group(at: 19, digits: 4),
              let fifth = group(at: 24, digits: 4), let sixth = group(at: 28, digits: 8) else { return nil }
        let high = first << 32 | second << 16 | third
        let low = fourth << 48 | fifth << 32 | sixth
        storage = .uuid(high, low)
    }

    /// The text, as it was given.
    var text: String {
        switch storage {
        case .text(let text): return text
        case .uuid(let high, let low):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(36)
            for word in [high, low] {
                for digit in 0..<16 {
                    if Self.isDash(at: bytes.count) { bytes.append(UInt8(ascii: "-")) }
                    let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * digit)) & 0x0F
                    bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
