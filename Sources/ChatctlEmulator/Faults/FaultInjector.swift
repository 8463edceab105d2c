import ChatctlAWS

/// Decides, request by request, whether to inject a fault and which: reproducible from its
/// seed, so a run with the same `--seed` and the same requests in the same order meets the
/// same faults.
struct FaultInjector: Sendable, Equatable {
    /// The probability of a fault, 0 to 1.
    var rate: Double
    /// The enabled kinds, in declaration order.
    var kinds: [FaultKind]
    private var random: SplitMix64

    /// Creates an injector.
    ///
    /// - Parameters:
    ///   - rate: the probability of a fault per request.
    ///   - kinds: the kinds to choose from, weighted by ``FaultKind/weight``.
    ///   - seed: the seed of the decisions (kept apart from the seed of ids and tokens).
    init(rate: Double, kinds: Set<FaultKind>, seed: UInt64) {
        self.rate = rate
        self.kinds = kinds.sorted()
        self.random = SplitMix64(seed: seed ^ 0xFA17_FA17_FA17_FA17)
    }

    /// The fault for the next request, or `nil` for none. Draws two numbers every time, so
    /// later decisions do not depend on whether earlier requests got a fault.
    mutating func next() -> FaultKind? {
        let roll = random.nextUnitInterval()
        let pick = random.nextUnitInterval()
        guard rate > 0, roll < rate, !kinds.isEmpty else { return nil }
        let total = kinds.reduce(0) { $0 + $1.weight }
        var threshold = pick * total
        for kind in kinds {
            if threshold < kind.weight {
                return kind
            }
            threshold -= kind.weight
        }
        return kinds.last
    }
}
