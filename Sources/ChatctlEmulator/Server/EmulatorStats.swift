/// What the emulator has answered since it started or was last reset, for
/// `GET /_emulator/stats` and for tests.
public struct EmulatorStats: Sendable, Equatable {
    /// Every request counted, admin requests excluded.
    public var requests: Int = 0
    /// Outcomes by operation (`StartChatContact`, `StopContact`, or `Unknown` for a path
    /// that names none): `OK`, an error code such as `TooManyRequestsException`, or
    /// `ConnectionDropped`, `AnswerLost`, `GarbageAnswer` and `Malformed200` for injected
    /// faults that give no usable answer.
    public var outcomes: [String: [String: Int]] = [:]
    /// Injected faults by kind (`500`, `drop`, `lost`, `garbage`, `malformed-200`).
    public var faults: [String: Int] = [:]
    /// TCP connections accepted; far fewer than ``requests`` when clients keep connections alive.
    public var connections: Int = 0
    /// Requests refused before they could be read, by reason: `header too large`,
    /// `malformed request`, `malformed chunked body`, `timeout`. They count in no
    /// operation, and the connection is closed after each.
    public var refusedRequests: [String: Int] = [:]

    /// Creates empty statistics.
    public init() {}

    /// Counts one answered (or deliberately unanswered) request.
    mutating func record(operation: String, outcome: String) {
        requests += 1
        outcomes[operation, default: [:]][outcome, default: 0] += 1
    }

    /// Counts one injected fault.
    mutating func record(fault: FaultKind) {
        faults[fault.rawValue, default: 0] += 1
    }

    /// How many requests of `operation` ended with `outcome`.
    public func count(_ operation: String, _ outcome: String) -> Int {
        outcomes[operation]?[outcome] ?? 0
    }
}
