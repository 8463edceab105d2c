import Testing
@testable import ChatctlCore

/// The scan's own answers, which the decoder's agreement tests cannot see (anything the
/// scan leaves is read again the general way, which decides): a plain object is valid to
/// its last byte, and one byte it must not take, anywhere in a string, makes it not plain.
@Suite struct PlainMembersScannerTests {
    static func members(value string: [UInt8]) -> [UInt8] {
        Array(#"{"Attributes.a": {"value": "#.utf8) + [UInt8(ascii: "\"")] + string + [UInt8(ascii: "\"")]
            + Array(#"}, "InstanceId": {"value": {"Key": "#.utf8) + [UInt8(ascii: "\"")] + string + [UInt8(ascii: "\"")]
            + Array("}}}".utf8)
    }

    static let text = Array("chatctl-p000001-g1-f08f9bf8a3a49cf31addcfc1".utf8)

    /// Strings of every length up to past five words, as a value and as a key inside one.
    @Test func aPlainStringOfEveryLengthIsValidToTheObjectsEnd() {
        for length in 0...Self.text.count {
            let bytes = Self.members(value: Array(Self.text.prefix(length)))
            #expect(PlainMembersScanner.scan(bytes, from: 0) == .valid(end: bytes.count), "\(length)")
            // Cut anywhere, the scan asks for more.
            #expect(PlainMembersScanner.scan(Array(bytes.dropLast(2 + length % 7)), from: 0) == .needsMore, "\(length)")
        }
    }

    /// A byte a plain string does not hold (a backslash, a control character, a byte of
    /// 0x80 and above) at every offset: not plain, however far into a word it lies.
    @Test func aByteAPlainStringDoesNotHoldIsNotPlainAtEveryOffset() {
        for special: UInt8 in [0x5C, 0x09, 0x00, 0x1F, 0x80, 0xC3, 0xFF] {
            for offset in 0...Self.text.count {
                var string = Self.text
                string.insert(special, at: offset)
                #expect(PlainMembersScanner.scan(Self.members(value: string), from: 0) == .notPlain, "\(special) at \(offset)")
            }
        }
    }

    /// A member's digest: 64 lowercase hex digits, each place checked.
    @Test func aDigestWithAStrayCharacterAtEveryPlaceIsNotPlain() {
        let digits = Array(String(repeating: "0123456789abcdef", count: 4).utf8)
        func object(_ digest: [UInt8]) -> [UInt8] {
            Array(#"{"CustomerId": {"digest": ""#.utf8) + digest + Array(#""}}"#.utf8)
        }
        #expect(PlainMembersScanner.scan(object(digits), from: 0) == .valid(end: object(digits).count))
        for place in digits.indices {
            for stray in [UInt8(ascii: "g"), UInt8(ascii: "A"), UInt8(ascii: "/"), UInt8(ascii: ":"), 0xE9] {
                var digest = digits
                digest[place] = stray
                #expect(PlainMembersScanner.scan(object(digest), from: 0) == .notPlain, "\(stray) at \(place)")
            }
        }
    }
}
