import Testing
@testable import ChatctlCore

/// A client token kept as the parts of one chatctl made reads back as exactly the text it
/// was given and compares as that text does; only chatctl's own form is kept as parts.
@Suite struct ClientTokenTextTests {
    static let digits = "0123456789abcdef01234567"

    /// Tokens of chatctl's form, each kept as parts: names with dashes, digits and `-g`
    /// of their own, a name of another script, the generations at either end.
    static let made = [
        LaunchRequest.clientToken(profile: "care-chat", digest: "sha256:x", generation: 1, serial: 1),
        LaunchRequest.clientToken(profile: "a-name-well-past-fifteen-bytes-long", digest: "sha256:y", generation: 12, serial: 3),
        "chatctl-a-g1-" + digits, "chatctl-x-g1-g2-" + digits, "chatctl-x-1-g0-" + digits, "chatctl-g-g9-" + digits,
        "chatctl-7-g4294967295-" + digits, "chatctl-café-g3-" + digits, "chatctl---g3-" + digits, "chatctl-a-g10-" + digits,
        "chatctl-chatctl-a-g1-\(digits)-g2-" + digits,
    ]

    /// Near misses of the form, each kept as text.
    static let nearMisses = [
        "chatctl--g1-" + digits.dropFirst() + "-", "chatctl-g1-" + digits, "chatctl-a-g01-" + digits, "chatctl-a-g-" + digits,
        "chatctl-a-g4294967296-" + digits, "chatctl-a-g12345678901-" + digits, "chatctl-a-g1-" + digits.uppercased(),
        "chatctl-a-g1-" + digits.dropLast(), "chatctl-a-g1-" + digits + "0", "chatctl-a-g1_" + digits, "chatctl-a_g1-" + digits,
        "chatctl-a-h1-" + digits, "Chatctl-a-g1-" + digits, "chatctl_a-g1-" + digits, "chatctl-a-g1-" + digits.dropLast() + "g",
        "chatctl-a-g-1-" + digits, "chatctl-a-g+1-" + digits, "chatctl-a-g1-0123456789abcdef0123456-", "chatctl-", "", "token-1",
        "my-own-token", "chatctl--g3-" + digits,
    ]

    @Test(arguments: made + nearMisses)
    func readsBackTheTextItWasGiven(text: String) {
        let token = ClientTokenText(text)
        #expect(Array(token.text.utf8) == Array(text.utf8))
        #expect(token == ClientTokenText(text))
        // With the entry's name given, whether or not it is the token's.
        #expect(ClientTokenText(text, name: "a").text == text)
        #expect(ClientTokenText(text, name: "care-chat") == token)
    }

    @Test func keepsTheBytesOfANameWhateverItsOtherSpellings() {
        // "café" composed and decomposed: equal as Swift strings, not as bytes. The token
        // is sent again as the ClientToken and written back to the lockfile: byte for byte.
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        for (name, other) in [(composed, decomposed), (decomposed, composed)] {
            let text = "chatctl-\(name)-g2-" + Self.digits
            for hint in [nil, name, other] {
                let token = ClientTokenText(text, name: hint)
                #expect(token.isCompact)
                #expect(Array(token.text.utf8) == Array(text.utf8), "hint \(hint.map { Array($0.utf8) } ?? [])")
            }
        }
    }

    @Test func keepsOnlyChatctlsOwnFormAsParts() {
        for text in Self.made { #expect(ClientTokenText(text).isCompact, "\(text)") }
        for text in Self.nearMisses { #expect(!ClientTokenText(text).isCompact, "\(text)") }
    }

    @Test func equalExactlyWhenTheTextIs() {
        let texts = Self.made + [
            "chatctl-a-g1-" + digitsChanged(at: 0), "chatctl-a-g1-" + digitsChanged(at: 15), "chatctl-a-g1-" + digitsChanged(at: 16),
            "chatctl-a-g1-" + digitsChanged(at: 23), "chatctl-b-g1-" + Self.digits, "chatctl-a-g2-" + Self.digits, "my-own-token",
            "my-own-token-2", "chatctl-a-g1-" + Self.digits + "x",
        ]
        for left in texts {
            for right in texts {
                #expect((ClientTokenText(left) == ClientTokenText(right)) == (left == right), "\(left) vs \(right)")
            }
        }
    }

    /// ``digits`` with the digit at `offset` changed.
    private func digitsChanged(at offset: Int) -> String {
        var bytes = Array(Self.digits.utf8)
        bytes[offset] = bytes[offset] == UInt8(ascii: "f") ? UInt8(ascii: "e") : UInt8(ascii: "f")
        return String(decoding: bytes, as: UTF8.self)
    }
}
