import ChatctlAWS
import Testing

/// ``SHA256/Incremental`` gives the one-shot digest of its pieces joined, wherever the
/// pieces are cut and however many of its own 64 KiB pieces they span.
@Suite struct SHA256IncrementalTests {
    /// FIPS 180-2 appendix B: "abc" and the 448-bit message.
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ])
    func knownVectors(message: String, expected: String) {
        var digest = SHA256.Incremental()
        for byte in message.utf8 { digest.update(byte: byte) }
        #expect(digest.hexDigest() == expected)
        // The one-shot digest too (each on OpenSSL's low-level functions, not on EVP).
        #expect(SHA256.hexDigest(message) == expected)
    }

    /// One million "a" (FIPS 180-2 B.3), fed in uneven pieces that cross the 64 KiB
    /// boundary many times.
    @Test func aMillionAsInUnevenPieces() {
        var digest = SHA256.Incremental()
        var fed = 0
        var size = 1
        while fed < 1_000_000 {
            let count = min(size, 1_000_000 - fed)
            digest.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            fed += count
            size = size * 7 % 100_003 + 1
        }
        #expect(digest.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func agreesWithTheOneShotDigestForEveryCut() {
        var generator = SplitMix(seed: 15)
        for _ in 0..<40 {
            let length = Int(generator.next() % 200_000)
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var digest = SHA256.Incremental()
            var start = 0
            while start < message.count {
                let end = min(message.count, start + 1 + Int(generator.next() % 70_000))
                if generator.next() % 5 == 0 {
                    for byte in message[start..<end] { digest.update(byte: byte) }
                } else {
                    digest.update(message[start..<end])
                }
                start = end
            }
            #expect(digest.hexDigest() == SHA256.hexDigest(message), "length \(length)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so the cuts are the same on every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
