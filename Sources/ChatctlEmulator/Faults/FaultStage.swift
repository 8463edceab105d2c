import ChatctlAWS

/// The step of the Connect request path that injects faults and latency: it draws each
/// admitted request's fault from the seeded ``FaultInjector`` and waits the configured
/// latency before every answer.
final class FaultStage: Sendable {
    private let seed: UInt64
    private let configuration: EmulatorConfiguration
    private let state: Locked<(injector: FaultInjector, malformedCount: Int)>

    init(configuration: EmulatorConfiguration, seed: UInt64) {
        self.seed = seed
        self.configuration = configuration
        state = Locked((Self.injector(configuration, seed), 0))
    }

    private static func injector(_ configuration: EmulatorConfiguration, _ seed: UInt64) -> FaultInjector {
        FaultInjector(rate: configuration.faultRate, kinds: configuration.faults, seed: seed)
    }

    /// The fault for the next admitted request, or `nil`.
    func draw() -> FaultKind? {
        state.withLock { $0.injector.next() }
    }

    /// Which malformed answer the next `malformed-200` gives: `true` for a missing
    /// `ContactId`, `false` for an oversized one, in turn.
    func nextMalformedLacksContactID() -> Bool {
        state.withLock { state in
            state.malformedCount += 1
            return state.malformedCount % 2 == 1
        }
    }

    /// Waits the configured latency (`--latency-ms`).
    func delay() async {
        if configuration.latencyMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(configuration.latencyMilliseconds))
        }
    }

    /// Restarts the decisions from the seed.
    func reset() {
        state.withLock { $0 = (Self.injector(configuration, seed), 0) }
    }
}
