import Testing
@testable import ChatctlCore

/// A digest kept as its bytes reads back as exactly the text it was given, and compares
/// as that text does.
@Suite struct HexDigestTextTests {
    static let digits = "0123456789abcdef" + "fedcba9876543210" + "00000000000000ff" + "a0b1c2d3e4f50617"

    /// A stray character in each of the four words the digits are kept in.
    static let strayCharacters: [String] = [(5, "x", "sha256:"), (21, "-", ""), (40, "G", "sha256:"), (50, " ", "")].map {
        let (offset, stray, prefix) = $0
        return prefix + String(digits.prefix(offset)) + stray + String(digits.dropFirst(offset + 1))
    }

    /// Digests in both forms, and texts of neither form (kept as text).
    static let texts: [String] = [
        "sha256:" + digits, digits, "sha256:" + String(repeating: "0", count: 64), String(repeating: "f", count: 64),
        // Not a digest's form: kept as text.
        "sha256:" + digits.uppercased(), digits.uppercased(), "sha256:" + digits.dropLast(), String(digits.dropLast()),
        digits + "0", "sha257:" + digits, "SHA256:" + digits, "sha256: " + digits.dropLast(), "", "t", "sha256:",
        "sha256:" + String(digits.dropLast()) + "g", "é" + String(digits.dropFirst()),
    ]

    @Test(arguments: texts + strayCharacters)
    func readsBackTheTextItWasGiven(text: String) {
        #expect(HexDigestText(text).text == text)
        #expect(HexDigestText(text) == HexDigestText(text))
    }

    @Test func equalExactlyWhenTheTextIs() {
        let texts = [
            "sha256:" + Self.digits, Self.digits, "sha256:" + String(Self.digits.reversed()),
            "sha256:" + String(Self.digits.dropLast()) + "8", "sha256:" + Self.digits.uppercased(), "x",
        ]
        for left in texts {
            for right in texts {
                #expect((HexDigestText(left) == HexDigestText(right)) == (left == right), "\(left) vs \(right)")
            }
        }
    }

    @Test func keepsOnlyTheTwoDigestFormsAsBytes() {
        #expect(HexDigestText(utf8: ArraySlice(("sha256:" + Self.digits).utf8)) != nil)
        #expect(HexDigestText(utf8: ArraySlice(Self.digits.utf8)) != nil)
        #expect(HexDigestText(utf8: ArraySlice(("sha256:" + Self.digits.uppercased()).utf8)) == nil)
        #expect(HexDigestText(utf8: ArraySlice(("sha256:" + Self.digits.dropLast()).utf8)) == nil)
        // A slice that does not start at 0, as the reader's window gives.
        let window = Array(("xx\"sha256:" + Self.digits + "\"").utf8)
        #expect(HexDigestText(utf8: window[3..<74])?.text == "sha256:" + Self.digits)
    }

    /// Every byte value at every place of both forms: kept as bytes exactly when the form
    /// read byte by byte says so (the reader takes eight digits at a time), and then read
    /// back as its text.
    @Test func everyByteAtEveryPlaceIsKeptAsTheFormSays() {
        for form in ["sha256:" + Self.digits, Self.digits] {
            let base = Array(form.utf8)
            let digitsStart = base.count - 64
            for place in base.indices {
                for value in UInt8.min...UInt8.max {
                    var bytes = base
                    bytes[place] = value
                    let isForm = bytes.prefix(digitsStart).elementsEqual(base.prefix(digitsStart))
                        && bytes.dropFirst(digitsStart).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
                    let digest = HexDigestText(utf8: bytes[...])
                    #expect((digest != nil) == isForm, "\(place): \(value)")
                    if let digest { #expect(digest.text == String(decoding: bytes, as: UTF8.self)) }
                }
            }
        }
    }
}
