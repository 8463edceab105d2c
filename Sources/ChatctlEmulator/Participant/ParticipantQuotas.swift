/// The Participant Service's throttling quotas, per instance: a token bucket per operation
/// (a rate of 0 turns that operation's throttling off).
public struct ParticipantQuotas: Sendable, Equatable {
    /// A bucket's refill rate, per second, and size.
    public struct Quota: Sendable, Equatable {
        /// Requests per second; 0 for no throttling.
        public var rate: Double
        /// Requests at once.
        public var burst: Int

        /// Creates a quota.
        public init(rate: Double, burst: Int) {
            self.rate = rate
            self.burst = burst
        }
    }

    /// The quota of each operation.
    public var byOperation: [ParticipantOperationName: Quota]

    /// Creates quotas.
    public init(_ byOperation: [ParticipantOperationName: Quota]) {
        self.byOperation = byOperation
    }

    /// The quotas Amazon Connect documents (research §1.4): CreateParticipantConnection 6/s
    /// burst 9, SendMessage and SendEvent 10/15 (each its own bucket here), GetTranscript
    /// 8/12, DisconnectParticipant 3/5.
    public static let documented = ParticipantQuotas([
        .createParticipantConnection: Quota(rate: 6, burst: 9), .sendMessage: Quota(rate: 10, burst: 15),
        .sendEvent: Quota(rate: 10, burst: 15), .getTranscript: Quota(rate: 8, burst: 12),
        .disconnectParticipant: Quota(rate: 3, burst: 5),
    ])

    /// No throttling at all.
    public static let off = ParticipantQuotas(
        Dictionary(uniqueKeysWithValues: ParticipantOperationName.allCases.map { ($0, Quota(rate: 0, burst: 1)) }))

    /// Reads one `OPERATION=RATE/BURST` setting (`SendMessage=20/30`); `nil` when it is not one.
    public static func parseSetting(_ text: String) -> (ParticipantOperationName, Quota)? {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let operation = ParticipantOperationName(rawValue: String(parts[0])) else {
            return nil
        }
        let numbers = parts[1].split(separator: "/", omittingEmptySubsequences: false)
        guard numbers.count == 2, let rate = Double(numbers[0]), let burst = Int(numbers[1]) else {
            return nil
        }
        return (operation, Quota(rate: rate, burst: burst))
    }

    /// The quota of `operation` (no throttling when none is set).
    public func quota(_ operation: ParticipantOperationName) -> Quota {
        byOperation[operation] ?? Quota(rate: 0, burst: 1)
    }
}
