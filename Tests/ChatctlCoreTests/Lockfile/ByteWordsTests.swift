import Testing
@testable import ChatctlCore

/// Each check on eight bytes at once answers as the same check made byte by byte, for
/// every byte value at every place of the word, among backgrounds that sit at the edges
/// of each range (a carry or a borrow crossing a byte would show there).
@Suite struct ByteWordsTests {
    static func isPlainASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x80 && byte != 0x22 && byte != 0x5C }
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }

    /// Backgrounds: bytes at the ends of every range the checks test, and outside them.
    static let backgrounds: [[UInt8]] = [
        Array("01234567".utf8), Array("abcdef09".utf8), Array("99999999".utf8), Array("ffffffff".utf8),
        Array("        ".utf8), [0x0A, 0x20, 0x20, 0x0D, 0x09, 0x20, 0x0A, 0x20], Array("Attribut".utf8),
        [0x00, 0x7F, 0x80, 0xFF, 0x1F, 0x20, 0x21, 0x5B], [0x2F, 0x3A, 0x60, 0x67, 0x40, 0x47, 0x22, 0x5C],
        [UInt8](repeating: 0xFF, count: 8), [UInt8](repeating: 0x00, count: 8),
    ]

    /// Every background with every byte value at every place.
    static var words: [[UInt8]] {
        var words: [[UInt8]] = []
        for background in backgrounds {
            words.append(background)
            for place in 0..<8 {
                for value in 0...255 {
                    var word = background
                    word[place] = UInt8(value)
                    words.append(word)
                }
            }
        }
        return words
    }

    static func word(_ bytes: [UInt8]) -> UInt64 { ByteWords.load(bytes.span, at: 0) }

    @Test func loadsTheFirstByteLowest() {
        let bytes: [UInt8] = [0xAA, 1, 2, 3, 4, 5, 6, 7, 8, 0xBB]
        #expect(ByteWords.load(bytes.span, at: 1) == 0x0807_0605_0403_0201)
        #expect(ByteWords.load(bytes.span, at: 2) == 0xBB08_0706_0504_0302)
    }

    @Test func hexDigitsAsTheyReadOneByOne() {
        for bytes in Self.words {
            let digits = bytes.map(Self.hexValue)
            let expected: UInt32? = digits.contains(nil) ? nil : digits.reduce(UInt32(0)) { $0 << 4 | $1! }
            #expect(ByteWords.lowerHexValue(Self.word(bytes)) == expected, "\(bytes)")
            #expect(ByteWords.isLowerHex(Self.word(bytes)) == (expected != nil), "\(bytes)")
        }
        #expect(ByteWords.lowerHexValue(Self.word(Array("0123abcd".utf8))) == 0x0123_ABCD)
        #expect(ByteWords.lowerHexValue(Self.word(Array("fedcba98".utf8))) == 0xFEDC_BA98)
    }

    @Test func leadingPlainASCIIAsCountedOneByOne() {
        for bytes in Self.words {
            let expected = bytes.firstIndex { !Self.isPlainASCII($0) } ?? 8
            #expect(ByteWords.leadingPlainASCII(Self.word(bytes)) == expected, "\(bytes)")
        }
    }

    /// Hex digits of any length (whole words, then what is left one by one), with a byte
    /// that is not one at each place.
    @Test func allLowerHexOfEveryLength() {
        let digits = Array("0123456789abcdef0123".utf8)
        for length in 0...digits.count {
            let text = Array(digits.prefix(length))
            let all = ByteWords.allLowerHex(text.span)
            #expect(all, "\(length)")
            for place in text.indices {
                for stray in [UInt8(ascii: "g"), UInt8(ascii: "A"), UInt8(ascii: "/"), UInt8(ascii: ":"), 0x80, 0x00] {
                    var bytes = text
                    bytes[place] = stray
                    let all = ByteWords.allLowerHex(bytes.span)
                    #expect(!all, "\(length), \(place): \(stray)")
                }
            }
        }
    }
}
