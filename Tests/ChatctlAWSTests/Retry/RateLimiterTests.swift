import ChatctlAWS
import Testing

@Suite struct RateLimiterTests {
    private func limiter(rate: Double, burst: Double, clock: ManualClock, recovery: Double = 10) -> RateLimiter {
        RateLimiter(
            configuration: .init(ratePerSecond: rate, burst: burst, minimumRate: 0.5, recoveryInterval: recovery),
            clock: clock)
    }

    @Test func letsABurstThroughThenSpacesRequests() {
        let clock = ManualClock()
        let limiter = limiter(rate: 2, burst: 3, clock: clock)
        let waits = (0..<6).map { _ in limiter.reserve() }
        #expect(waits == [0, 0, 0, 0.5, 1, 1.5])
    }

    @Test func refillsAtTheRateUpToTheBurst() {
        let clock = ManualClock()
        let limiter = limiter(rate: 2, burst: 3, clock: clock)
        for _ in 0..<3 { _ = limiter.reserve() }
        clock.advance(by: 1)
        #expect([limiter.reserve(), limiter.reserve(), limiter.reserve()] == [0, 0, 0.5])
        clock.advance(by: 100)
        #expect((0..<4).map { _ in limiter.reserve() } == [0, 0, 0, 0.5])
    }

    @Test func aLoneThrottleDropsTheBurstButKeepsTheRate() {
        let clock = ManualClock()
        let limiter = limiter(rate: 10, burst: 10, clock: clock)
        limiter.recordThrottle()
        #expect(limiter.currentRate == 10)
        #expect(limiter.reserve() == 0.1)
    }

    @Test func aRepeatedThrottleHalvesTheRate() {
        let clock = ManualClock()
        let limiter = limiter(rate: 10, burst: 10, clock: clock)
        limiter.recordThrottle()
        clock.advance(by: 5)
        limiter.recordThrottle()
        #expect(limiter.currentRate == 5)
        #expect(limiter.reserve() == 0.2)
    }

    @Test func throttlesFurtherApartThanTheRecoveryIntervalAreEachAlone() {
        let clock = ManualClock()
        let limiter = limiter(rate: 10, burst: 10, clock: clock)
        for _ in 0..<5 {
            limiter.recordThrottle()
            clock.advance(by: 10)
        }
        #expect(limiter.currentRate == 10)
    }

    @Test func countsThrottlesWithinTheCooldownOnce() {
        let clock = ManualClock()
        let limiter = limiter(rate: 10, burst: 10, clock: clock)
        limiter.recordThrottle()
        limiter.recordThrottle()
        clock.advance(by: 0.5)
        limiter.recordThrottle()
        #expect(limiter.currentRate == 10, "one event so far")
        clock.advance(by: 0.5)
        limiter.recordThrottle()
        #expect(limiter.currentRate == 5)
        limiter.recordThrottle()
        clock.advance(by: 1)
        limiter.recordThrottle()
        #expect(limiter.currentRate == 2.5)
    }

    @Test func neverGoesBelowTheMinimumRate() {
        let clock = ManualClock()
        let limiter = limiter(rate: 2, burst: 1, clock: clock)
        for _ in 0..<10 {
            limiter.recordThrottle()
            clock.advance(by: 1)
        }
        #expect(limiter.currentRate == 0.5)
    }

    struct RecoveryCase: CustomTestStringConvertible, Sendable {
        var elapsed: Double
        var rate: Double
        var testDescription: String { "\(elapsed) s after two throttles" }
    }

    @Test(arguments: [
        RecoveryCase(elapsed: 0, rate: 2.5), RecoveryCase(elapsed: 9.9, rate: 2.5), RecoveryCase(elapsed: 10, rate: 5),
        RecoveryCase(elapsed: 19.9, rate: 5), RecoveryCase(elapsed: 20, rate: 10), RecoveryCase(elapsed: 300, rate: 10),
    ])
    func doublesBackOncePerQuietRecoveryInterval(_ testCase: RecoveryCase) {
        let clock = ManualClock()
        let limiter = limiter(rate: 10, burst: 10, clock: clock)
        limiter.recordThrottle()
        clock.advance(by: 1)
        limiter.recordThrottle()  // 5
        clock.advance(by: 1)
        limiter.recordThrottle()  // 2.5
        clock.advance(by: testCase.elapsed)
        #expect(limiter.currentRate == testCase.rate)
    }

    @Test func aThrottleDuringRecoveryRestartsIt() {
        let clock = ManualClock()
        let limiter = limiter(rate: 8, burst: 8, clock: clock)
        limiter.recordThrottle()  // alone: 8
        clock.advance(by: 1)
        limiter.recordThrottle()  // 4
        clock.advance(by: 5)
        limiter.recordThrottle()  // 2, and the recovery starts again
        clock.advance(by: 9)
        #expect(limiter.currentRate == 2)
        clock.advance(by: 1)
        #expect(limiter.currentRate == 4)
    }

    @Test func spacesConcurrentWorkersSharingOneBucket() async {
        let clock = ManualClock()
        let limiter = limiter(rate: 10, burst: 10, clock: clock)
        let waits = await withTaskGroup(of: Double.self) { group in
            for _ in 0..<100 {
                group.addTask { limiter.reserve() }
            }
            return await group.reduce(into: [Double]()) { $0.append($1) }
        }
        let sorted = waits.sorted()
        #expect(sorted.prefix(10).allSatisfy { $0 == 0 })
        for (index, wait) in sorted.enumerated().dropFirst(10) {
            #expect(abs(wait - Double(index - 9) * 0.1) < 1e-9)
        }
    }

    @Test func acquireReturnsAtOnceWhenATokenIsFree() async throws {
        // A frozen clock never refills: if acquire took more than the one free token, the
        // next reservation would owe more than one interval.
        let clock = ManualClock()
        let limiter = limiter(rate: 5, burst: 1, clock: clock)
        // Cancelled before it starts (a task added to a cancelled group starts cancelled): a
        // wait would throw CancellationError, so returning proves acquire did not sleep.
        #expect(await Self.acquireCancelled(limiter) == nil)
        #expect(limiter.reserve() == 0.2)
        // With no token free, the same cancelled acquire must wait, so it throws.
        #expect(await Self.acquireCancelled(limiter) is CancellationError)
    }

    /// Runs `acquire` in an already cancelled task; returns what it threw.
    private static func acquireCancelled(_ limiter: RateLimiter) async -> (any Error)? {
        await withTaskGroup(of: (any Error)?.self) { group in
            group.cancelAll()
            group.addTask {
                do {
                    try await limiter.acquire()
                    return nil
                } catch {
                    return error
                }
            }
            return await group.next() ?? nil
        }
    }

    @Test func aTableKeepsOneLimiterPerRegionAndOperation() {
        let clock = ManualClock()
        let table = RateLimiterTable(["StartChatContact": .init(ratePerSecond: 2, burst: 1)], clock: clock)
        let east = table.limiter(region: "us-east-1", operation: "StartChatContact")
        #expect(east === table.limiter(region: "us-east-1", operation: "StartChatContact"))
        #expect(table.limiter(region: "us-east-1", operation: "StopContact") == nil)
        #expect(east?.reserve() == 0)
        #expect(east?.reserve() == 0.5)
        // Another region has its own bucket, full.
        #expect(table.limiter(region: "eu-west-2", operation: "StartChatContact")?.reserve() == 0)
    }
}
