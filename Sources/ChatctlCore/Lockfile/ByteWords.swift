/// Eight bytes of a lockfile at a time: the reader's hottest checks (hex digits, the plain
/// bytes of a string) made on one `UInt64` with bit arithmetic instead of a comparison per
/// byte. A plan reads every entry of a lockfile of 100,000 entries beside validation on the
/// same two cores: thirteen digests, two ids and some thirty strings an entry (issue 15).
/// (Whitespace stays byte by byte: its runs, a line break and six to ten spaces, are too
/// short for a word to win; measured.)
///
/// A word holds the bytes in reading order from its lowest byte up, whatever the
/// machine's byte order (``load(_:at:)`` assembles it), so "the first n bytes" is
/// "the lowest n bytes".
enum ByteWords {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes from `offset` of `bytes`, the first in the lowest byte of the word.
    /// `offset + 8` must not pass the end.
    @inline(__always)
    static func load(_ bytes: Span<UInt8>, at offset: Int) -> UInt64 {
        precondition(offset >= 0 && offset <= bytes.count &- 8, "eight bytes from the offset")
        var word = UInt64(bytes[offset])
        word |= UInt64(bytes[offset &+ 1]) &<< 8
        word |= UInt64(bytes[offset &+ 2]) &<< 16
        word |= UInt64(bytes[offset &+ 3]) &<< 24
        word |= UInt64(bytes[offset &+ 4]) &<< 32
        word |= UInt64(bytes[offset &+ 5]) &<< 40
        word |= UInt64(bytes[offset &+ 6]) &<< 48
        word |= UInt64(bytes[offset &+ 7]) &<< 56
        return word
    }

    /// The high bit of each byte of `word` that lies in `low...high` (bytes below 0x80
    /// only: the caller has refused the others). No carry crosses a byte: each byte plus a
    /// constant of at most 0x80 stays below 0x100.
    @inline(__always)
    private static func within(_ word: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        let atLeastLow = word &+ ones &* UInt64(0x80 &- low)
        let aboveHigh = word &+ ones &* UInt64(0x7F &- high)
        return atLeastLow & ~aboveHigh & highBits
    }

    /// The high bit of each byte of `word` that is not zero, exactly, byte by byte (the
    /// low seven bits plus 0x7F carry into the high bit only when one is set, and never
    /// out of the byte).
    @inline(__always)
    private static func nonZero(_ word: UInt64) -> UInt64 {
        (((word & ~highBits) &+ ~highBits) | word) & highBits
    }

    /// True when all eight bytes are lowercase hex digits (`0-9`, `a-f`).
    @inline(__always)
    static func isLowerHex(_ word: UInt64) -> Bool {
        word & highBits == 0 && within(word, 0x30, 0x39) | within(word, 0x61, 0x66) == highBits
    }

    /// True when every byte of `bytes` is a lowercase hex digit: eight at a time, then
    /// one by one.
    static func allLowerHex(_ bytes: Span<UInt8>) -> Bool {
        var offset = 0
        while offset <= bytes.count &- 8 {
            guard isLowerHex(load(bytes, at: offset)) else { return false }
            offset &+= 8
        }
        while offset < bytes.count {
            let byte = bytes[offset]
            guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { return false }
            offset &+= 1
        }
        return true
    }

    /// The value of eight lowercase hex digits, the first the most significant; `nil`
    /// when any byte is not one.
    @inline(__always)
    static func lowerHexValue(_ word: UInt64) -> UInt32? {
        guard isLowerHex(word) else { return nil }
        // A digit's low four bits are its value; a letter's (a = 0x61) are its value less 9,
        // and only letters have bit 6 set.
        var nibbles = (word & (ones &* 0x0F)) &+ ((word &>> 6) & ones) &* 9
        // The first digit to the top, then each pair of nibbles into a byte, bytes into
        // halves, halves into the value.
        nibbles = nibbles.byteSwapped
        nibbles = ((nibbles &>> 4) | nibbles) & 0x00FF_00FF_00FF_00FF
        nibbles = ((nibbles &>> 8) | nibbles) & 0x0000_FFFF_0000_FFFF
        nibbles = ((nibbles &>> 16) | nibbles) & 0x0000_0000_FFFF_FFFF
        return UInt32(truncatingIfNeeded: nibbles)
    }

    /// How many of the first bytes of `word` a string may hold as they are and as ASCII:
    /// not `"`, `\`, a control character or a byte of 0x80 and above. 8 when all are.
    @inline(__always)
    static func leadingPlainASCII(_ word: UInt64) -> Int {
        // Each test exact byte by byte: a byte of 0x80 and above is a stop however the
        // others read it once its high bit is cleared.
        let stops = (word & highBits)
            | within(word & ~highBits, 0x00, 0x1F)
            | (~nonZero(word ^ (ones &* 0x22)) & highBits)
            | (~nonZero(word ^ (ones &* 0x5C)) & highBits)
        return stops.trailingZeroBitCount &>> 3
    }
}
