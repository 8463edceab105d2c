import ChatctlAWS

/// Counts what the emulator answers (``EmulatorStats``) and hands out request ids, each
/// behind its own lock so counting never waits for the contacts' lock.
final class StatisticsRecorder: Sendable {
    private let seed: UInt64
    private let stats = Locked(EmulatorStats())
    /// Request ids come from their own sequence, so they do not shift contact ids.
    private let requestIDs: Locked<SplitMix64>

    init(seed: UInt64) {
        self.seed = seed
        requestIDs = Locked(SplitMix64(seed: seed ^ 0x5EED_0F_1D5))
    }

    /// The statistics so far.
    var current: EmulatorStats {
        stats.withLock { $0 }
    }

    /// Counts one request of `operation` that ended with `outcome`, and its fault.
    func record(operation: String, outcome: String, fault: FaultKind? = nil) {
        stats.withLock { stats in
            if let fault {
                stats.record(fault: fault)
            }
            stats.record(operation: operation, outcome: outcome)
        }
    }

    /// Counts a request refused before it could be read (see ``EmulatorStats/refusedRequests``).
    func recordRefused(_ reason: String) {
        stats.withLock { $0.refusedRequests[reason, default: 0] += 1 }
    }

    /// Counts an accepted TCP connection.
    func recordConnection() {
        stats.withLock { $0.connections += 1 }
    }

    /// The next `x-amzn-RequestId`.
    func nextRequestID() -> String {
        requestIDs.withLock { $0.nextUUID() }
    }

    /// Forgets every count and restarts the request ids from the seed.
    func reset() {
        stats.withLock { $0 = EmulatorStats() }
        requestIDs.withLock { $0 = SplitMix64(seed: seed ^ 0x5EED_0F_1D5) }
    }
}
