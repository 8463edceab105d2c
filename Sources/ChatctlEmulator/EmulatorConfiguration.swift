/// How an emulator behaves: where it listens, its quotas, what exists in it, and the faults
/// it injects. Every member has the default `chatctl emulator` uses.
public struct EmulatorConfiguration: Sendable, Equatable {
    /// The address to listen on: an IPv4 or IPv6 literal, or `localhost`. Default
    /// `127.0.0.1` (loopback only).
    public var host: String
    /// The TCP port; 0 (the default) picks any free port.
    public var port: Int
    /// StartChatContact requests per second allowed by the token bucket (the service
    /// quota is 5); 0 turns throttling off.
    public var tps: Double
    /// StartChatContact burst: the bucket's size (the service quota is 8).
    public var burst: Int
    /// StopContact requests per second (the service quota is 10); 0 turns throttling off.
    public var stopTPS: Double
    /// StopContact burst (the service quota is 15).
    public var stopBurst: Int
    /// Concurrent active chats allowed per instance (the default quota is 500).
    public var maxActive: Int
    /// The region requests must be signed for, and that instance ARNs must name.
    public var region: String
    /// The instances that exist, as ids or instance ARNs; empty accepts any well-formed id.
    public var instances: [String]
    /// The contact flows that exist, as ids or contact-flow ARNs; empty accepts any
    /// well-formed id.
    public var flows: [String]
    /// The probability, 0 to 1, that a Connect request gets a fault.
    public var faultRate: Double
    /// The fault kinds to choose from (``FaultKind/standard`` by default: 500, drop, lost).
    public var faults: Set<FaultKind>
    /// A delay added before every Connect answer, in milliseconds.
    public var latencyMilliseconds: Int
    /// The seed of every random choice (ids, tokens, faults); `nil` picks one at start,
    /// which ``EmulatorServer/seed`` then reports so the run can be repeated.
    public var seed: UInt64?
    /// The credentials requests must be signed with.
    public var credentials: EmulatorCredentials
    /// How long a ClientToken is remembered, in seconds of emulated time (default 8 hours).
    public var idempotencyWindow: Double
    /// How far a request's signing time may be from the clock, in seconds (AWS: 300).
    public var allowedClockSkew: Int
    /// The largest request body read, in bytes (default 1 MiB); also the largest WebSocket message.
    public var maxBodyBytes: Int
    /// The largest request head (request line and header fields) read, in bytes (default
    /// 32 KiB): a longer request line is answered 414, a longer head 431, and the
    /// connection is closed.
    public var maxHeaderBytes: Int
    /// Seconds a request may take to arrive once its first byte has (head and body), and an
    /// answer to be written (default 10): a slower client is disconnected.
    public var requestTimeout: Double
    /// Seconds a kept-alive connection may wait for its next request (default 60).
    public var idleTimeout: Double
    /// The contact flows (`--flows`) and fixtures (`--fixtures`) chats run when their
    /// customer connects; empty by default: a chat whose flow has no file runs no flow.
    public var flowRunner = FlowRunner()
    /// The Participant Service's per-instance token buckets (default: the documented quotas).
    public var participantQuotas = ParticipantQuotas.documented
    /// Seconds a chat's customer has to call CreateParticipantConnection before the chat ends
    /// (default 300, the documented 5 minutes); `nil` keeps such chats open.
    public var customerConnectWindow: Double? = 300

    /// Creates a configuration; every parameter has the `chatctl emulator` default.
    public init(
        host: String = "127.0.0.1", port: Int = 0, tps: Double = 5, burst: Int = 8, stopTPS: Double = 10,
        stopBurst: Int = 15, maxActive: Int = 500, region: String = "us-east-1", instances: [String] = [],
        flows: [String] = [], faultRate: Double = 0, faults: Set<FaultKind> = FaultKind.standard,
        latencyMilliseconds: Int = 0, seed: UInt64? = nil, credentials: EmulatorCredentials = .standard,
        idempotencyWindow: Double = 8 * 3600, allowedClockSkew: Int = 300, maxBodyBytes: Int = 1 << 20,
        maxHeaderBytes: Int = 32 << 10, requestTimeout: Double = 10, idleTimeout: Double = 60
    ) {
        self.host = host
        self.port = port
        self.tps = tps
        self.burst = burst
        self.stopTPS = stopTPS
        self.stopBurst = stopBurst
        self.maxActive = maxActive
        self.region = region
        self.instances = instances
        self.flows = flows
        self.faultRate = faultRate
        self.faults = faults
        self.latencyMilliseconds = latencyMilliseconds
        self.seed = seed
        self.credentials = credentials
        self.idempotencyWindow = idempotencyWindow
        self.allowedClockSkew = allowedClockSkew
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
    }

    /// What is wrong with the settings, one lowercase message each; empty when they are usable.
    public var problems: [String] {
        var problems: [String] = []
        if !(0...65_535).contains(port) {
            problems.append("port must be between 0 and 65535, not \(port)")
        }
        if !(tps >= 0 && tps.isFinite) {
            problems.append("tps must be 0 (no throttling) or more")
        }
        if burst < 1 {
            problems.append("burst must be at least 1")
        }
        if !(stopTPS >= 0 && stopTPS.isFinite) {
            problems.append("stop tps must be 0 (no throttling) or more")
        }
        if stopBurst < 1 {
            problems.append("stop burst must be at least 1")
        }
        if maxActive < 0 {
            problems.append("max active must be 0 or more")
        }
        if !(0...1).contains(faultRate) {
            problems.append("fault rate must be between 0 and 1, not \(faultRate)")
        }
        if faultRate > 0 && faults.isEmpty {
            problems.append("a fault rate needs at least one fault kind")
        }
        if !(0...600_000).contains(latencyMilliseconds) {
            problems.append("latency must be between 0 and 600000 ms (10 minutes), not \(latencyMilliseconds)")
        }
        if maxBodyBytes < 1 || maxHeaderBytes < 256 {
            problems.append("the body limit must be at least 1 byte and the header limit at least 256 bytes")
        }
        if !(requestTimeout > 0 && requestTimeout.isFinite && idleTimeout > 0 && idleTimeout.isFinite) {
            problems.append("the request and idle timeouts must be positive numbers of seconds")
        }
        for (operation, quota) in participantQuotas.byOperation.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if !(quota.rate >= 0 && quota.rate.isFinite) || quota.burst < 1 {
                problems.append("the \(operation.rawValue) quota needs a rate of 0 (no throttling) or more and a burst of 1 or more")
            }
        }
        // At most as far ahead as the emulated time goes: a deadline further on could not be
        // printed (`GET /_emulator/contacts/{id}` shows it as a date).
        if let window = customerConnectWindow, !(window > 0 && window <= EmulatedTime.maxOffset) {
            problems.append(
                "the customer connect window must be a positive number of seconds, at most \(Int(EmulatedTime.maxOffset)) (100 years)")
        }
        if region.isEmpty {
            problems.append("region must not be empty")
        }
        for instance in instances {
            if case .failure(let failure) = ConnectResourceID.parseInstance(instance) {
                problems.append("instance \"\(instance)\": \(failure.reason)")
            }
        }
        for flow in flows {
            if case .failure(let failure) = ConnectResourceID.parseFlow(flow) {
                problems.append("flow \"\(flow)\": \(failure.reason)")
            }
        }
        return problems
    }
}
