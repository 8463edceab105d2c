/// A small, fast, reproducible random generator (SplitMix64, Steele, Lea and Flood 2014).
///
/// It is a value: copying it copies the sequence, so the same seed always gives the same
/// numbers. The one implementation in the package: ``SeededRandomSource`` (backoff jitter)
/// and the emulator (ids, tokens, fault decisions) both use it.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    /// Creates a generator from a 64-bit seed.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in `[0, 1)` from the top 53 bits of ``next()``.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}
