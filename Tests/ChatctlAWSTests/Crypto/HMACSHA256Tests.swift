import ChatctlAWS
import Testing

/// One RFC 4231 test case: key and data as bytes, the expected MAC as hex.
struct HMACVector: CustomTestStringConvertible, Sendable {
    var name: String
    var key: [UInt8]
    var data: [UInt8]
    /// Expected lowercase hex; case 5 of RFC 4231 gives only the first 128 bits.
    var expected: String

    var testDescription: String { name }
}

private func bytes(hex text: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        if let byte = UInt8(text[index..<next], radix: 16) {
            result.append(byte)
        }
        index = next
    }
    return result
}

/// The HMAC-SHA-256 vectors of RFC 4231 section 4.
private let rfc4231: [HMACVector] = [
    HMACVector(
        name: "rfc4231 case 1",
        key: [UInt8](repeating: 0x0b, count: 20),
        data: Array("Hi There".utf8),
        expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    HMACVector(
        name: "rfc4231 case 2 (key shorter than the output)",
        key: Array("Jefe".utf8),
        data: Array("what do ya want for nothing?".utf8),
        expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    HMACVector(
        name: "rfc4231 case 3",
        key: [UInt8](repeating: 0xaa, count: 20),
        data: [UInt8](repeating: 0xdd, count: 50),
        expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    HMACVector(
        name: "rfc4231 case 4",
        key: bytes(hex: "0102030405060708090a0b0c0d0e0f10111213141516171819"),
        data: [UInt8](repeating: 0xcd, count: 50),
        expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    HMACVector(
        name: "rfc4231 case 5 (truncated to 128 bits)",
        key: [UInt8](repeating: 0x0c, count: 20),
        data: Array("Test With Truncation".utf8),
        expected: "a3b6167473100ee06e0c796c2955552b"),
    HMACVector(
        name: "rfc4231 case 6 (key longer than the block)",
        key: [UInt8](repeating: 0xaa, count: 131),
        data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
        expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    HMACVector(
        name: "rfc4231 case 7 (long key and long data)",
        key: [UInt8](repeating: 0xaa, count: 131),
        data: Array(
            ("This is a test using a larger than block-size key and a larger than block-size data. "
                + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
        expected: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
]

@Suite struct HMACSHA256Tests {
    @Test(arguments: rfc4231)
    func matchesRFC4231Vector(_ vector: HMACVector) {
        let mac = HMACSHA256.authenticationCode(key: vector.key, message: vector.data)
        #expect(mac.count == 32)
        #expect(hex(mac).hasPrefix(vector.expected))
    }

    @Test func acceptsAnEmptyKeyAndMessage() {
        // Known value: HMAC-SHA256 with an empty key over an empty message.
        let mac = HMACSHA256.authenticationCode(key: [], message: [])
        #expect(hex(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func hashesTextAsItsUTF8Bytes() {
        let key = Array("key".utf8)
        let fromText = HMACSHA256.authenticationCode(key: key, message: "ሴ")
        let fromBytes = HMACSHA256.authenticationCode(key: key, message: [0xE1, 0x88, 0xB4])
        #expect(fromText == fromBytes)
    }
}
