/// A source of uniformly distributed numbers in `[0, 1)` for backoff jitter, injected so
/// tests can fix the sequence.
public protocol RandomSource: Sendable {
    /// The next number in `[0, 1)`.
    func nextUnitInterval() -> Double
}

/// The system's random generator (`SystemRandomNumberGenerator`); the default jitter source.
public struct SystemRandomSource: RandomSource {
    /// Creates the source.
    public init() {}

    /// A number in `[0, 1)` from the system generator.
    public func nextUnitInterval() -> Double {
        Double.random(in: 0..<1)
    }
}

/// A reproducible source (SplitMix64): the same seed always gives the same sequence.
/// Thread-safe; concurrent callers each get distinct numbers of the one sequence.
public final class SeededRandomSource: RandomSource {
    private let state: Locked<UInt64>

    /// Creates a source from a 64-bit seed.
    public init(seed: UInt64) {
        self.state = Locked(seed)
    }

    /// Creates a source seeded from ``SecureRandom``, for production use where runs should
    /// not share jitter.
    ///
    /// - Throws: ``CryptoError`` when libcrypto's generator fails.
    public convenience init() throws(CryptoError) {
        self.init(seed: try SecureRandom.uint64())
    }

    /// The next 64 random bits.
    public func next() -> UInt64 {
        state.withLock { state in
            // SplitMix64 (Steele, Lea and Flood, 2014).
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    /// The next number in `[0, 1)`, from the top 53 bits of ``next()``.
    public func nextUnitInterval() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}
