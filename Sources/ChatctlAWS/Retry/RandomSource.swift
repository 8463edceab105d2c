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
    private let generator: Locked<SplitMix64>

    /// Creates a source from a 64-bit seed.
    public init(seed: UInt64) {
        self.generator = Locked(SplitMix64(seed: seed))
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
        generator.withLock { $0.next() }
    }

    /// The next number in `[0, 1)`, from the top 53 bits of ``next()``.
    public func nextUnitInterval() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}
