import ChatctlEmulator
import Testing

@Suite struct EmulatorConfigurationTests {
    @Test func theDefaultsAreTheServiceQuotasOnLoopback() {
        let configuration = EmulatorConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 0)
        #expect(configuration.tps == 5)
        #expect(configuration.burst == 8)
        #expect(configuration.stopTPS == 10)
        #expect(configuration.stopBurst == 15)
        #expect(configuration.maxActive == 500)
        #expect(configuration.region == "us-east-1")
        #expect(configuration.faultRate == 0)
        #expect(configuration.faults == [.internalError, .drop, .lost])
        #expect(configuration.idempotencyWindow == 8 * 3600)
        #expect(configuration.credentials == .standard)
        #expect(configuration.problems.isEmpty)
    }

    @Test func refusesLimitsTheServerCannotWorkWith() {
        #expect(
            EmulatorConfiguration(maxBodyBytes: 0, maxHeaderBytes: 100, requestTimeout: 0, idleTimeout: .infinity).problems == [
                "the body limit must be at least 1 byte and the header limit at least 256 bytes",
                "the request and idle timeouts must be positive numbers of seconds",
            ])
        #expect(EmulatorConfiguration(maxHeaderBytes: 256, requestTimeout: 0.01, idleTimeout: 0.01).problems.isEmpty)
    }

    /// A latency the stop grace period cannot add without overflowing is refused up front.
    @Test func refusesALatencyOverTenMinutes() {
        let configuration = EmulatorConfiguration(latencyMilliseconds: Int.max)
        #expect(configuration.problems == ["latency must be between 0 and 600000 ms (10 minutes), not \(Int.max)"])
        #expect(EmulatorConfiguration(latencyMilliseconds: 600_000).problems.isEmpty)
    }

    @Test func listsEveryProblem() {
        let configuration = EmulatorConfiguration(
            port: 70_000, tps: -1, burst: 0, maxActive: -1, region: "", instances: ["a b", "arn:aws:s3:::bucket"],
            flows: ["arn:aws:connect:us-east-1:123456789012:instance/i-1"], faultRate: 1.5, faults: [],
            latencyMilliseconds: -5)
        #expect(
            configuration.problems == [
                "port must be between 0 and 65535, not 70000",
                "tps must be 0 (no throttling) or more",
                "burst must be at least 1",
                "max active must be 0 or more",
                "fault rate must be between 0 and 1, not 1.5",
                "a fault rate needs at least one fault kind",
                "latency must be between 0 and 600000 ms (10 minutes), not -5",
                "region must not be empty",
                "instance \"a b\": is not a well-formed instance id (letters, digits, '-' and '_')",
                "instance \"arn:aws:s3:::bucket\": is an ARN of the service \"s3\", not of Amazon Connect",
                "flow \"arn:aws:connect:us-east-1:123456789012:instance/i-1\": is an ARN of another resource type, "
                    + "not of a contact flow",
            ])
    }
}
