import Testing
@testable import ChatctlCore

/// An id kept as its 16 bytes reads back as exactly the text it was given, and compares
/// as that text does; only the lowercase UUID form is kept as bytes.
@Suite struct UUIDTextTests {
    static let uuid = "0123abcd-ef45-6789-a0b1-c2d3e4f5a6b7"

    /// Near misses of the form, each kept as text.
    static let nearMisses = [
        uuid.uppercased(), "0123ABCD-ef45-6789-a0b1-c2d3e4f5a6b7", String(uuid.dropLast()), uuid + "0", uuid + "-",
        "0123abcd0ef45-6789-a0b1-c2d3e4f5a6b7", "0123abc-def45-6789-a0b1-c2d3e4f5a6b7", "0123abcd-ef45-6789-a0b1c-2d3e4f5a6b7",
        "0123abcd-ef45-6789-a0b1-c2d3e4f5a6bg", "g123abcd-ef45-6789-a0b1-c2d3e4f5a6b7", "0123abcd_ef45_6789_a0b1_c2d3e4f5a6b7",
        "0123abcdef456789a0b1c2d3e4f5a6b7", "{0123abcd-ef45-6789-a0b1-c2d3e4f5a6b}", "0123abcd-ef45-6789-a0b1-c2d3e4f5a6b/",
        "0123abcd-ef45-6789-a0b1-c2d3e4f5a6b:", "0123abcd-ef45-6789-a0b1-c2d3e4f5a6b`", "é123abcd-ef45-6789-a0b1-c2d3e4f5a6b",
        "------------------------------------", "", "c", "c-target",
    ]

    @Test(arguments: [
        uuid, "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "901a6215-d700-48d5-96a9-31648f049acb", "12345678-1234-1234-1234-123456789012",
    ] + nearMisses)
    func readsBackTheTextItWasGiven(text: String) {
        #expect(UUIDText(text).text == text)
        #expect(UUIDText(text) == UUIDText(text))
    }

    @Test func equalExactlyWhenTheTextIs() {
        let texts = [
            Self.uuid, "0123abcd-ef45-6789-a0b1-c2d3e4f5a6b8", "1123abcd-ef45-6789-a0b1-c2d3e4f5a6b7",
            "0123abcd-ef45-6789-a0b2-c2d3e4f5a6b7", Self.uuid.uppercased(), "x",
        ]
        for left in texts {
            for right in texts {
                #expect((UUIDText(left) == UUIDText(right)) == (left == right), "\(left) vs \(right)")
            }
        }
    }

    @Test func keepsOnlyTheLowercaseUUIDFormAsBytes() {
        #expect(UUIDText(utf8: ArraySlice(Self.uuid.utf8)) != nil)
        for text in Self.nearMisses {
            #expect(UUIDText(utf8: ArraySlice(text.utf8)) == nil, "\(text)")
        }
        // A slice that does not start at 0, as the reader's window gives.
        let window = Array(("xx\"" + Self.uuid + "\"").utf8)
        #expect(UUIDText(utf8: window[3..<39])?.text == Self.uuid)
    }

    /// Every byte value at every place of an id: kept as bytes exactly when the form read
    /// byte by byte says so (the reader takes the groups eight digits at a time), and then
    /// read back as its text.
    @Test func everyByteAtEveryPlaceIsKeptAsTheFormSays() {
        let base = Array(Self.uuid.utf8)
        for place in base.indices {
            for value in UInt8.min...UInt8.max {
                var bytes = base
                bytes[place] = value
                let isForm = bytes.enumerated().allSatisfy { offset, byte in
                    [8, 13, 18, 23].contains(offset) ? byte == UInt8(ascii: "-") : (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
                }
                let id = UUIDText(utf8: bytes[...])
                #expect((id != nil) == isForm, "\(place): \(value)")
                if let id { #expect(id.text == String(decoding: bytes, as: UTF8.self)) }
            }
        }
    }
}
