import ChatctlAWS
import Testing

@Suite struct SecureRandomTests {
    @Test func returnsTheRequestedNumberOfBytes() throws {
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
        #expect(try SecureRandom.bytes(count: 1).count == 1)
        #expect(try SecureRandom.bytes(count: 64).count == 64)
    }

    @Test func twoDrawsOf32BytesDiffer() throws {
        // 2^-256 chance of a false failure.
        #expect(try SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }
}
