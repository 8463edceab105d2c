import ChatctlAWS
import Testing

/// One token bucket per (account, region, operation), as Amazon Connect counts its quotas.
/// The clock is moved by hand: every wait is the limiter's own answer, never measured.
@Suite struct RateLimiterTableTests {
    private func table(_ clock: ManualClock) -> RateLimiterTable {
        RateLimiterTable(["StartChatContact": .init(ratePerSecond: 5, burst: 8)], clock: clock)
    }

    /// The second at which the last of `launches` may leave when each goes to the region
    /// `region(i)` of `account(i)` the moment its limiter allows: the time a run takes.
    private func lastDeparture(
        _ launches: Int, table: RateLimiterTable, account: (Int) -> String = { _ in RateLimiterTable.callerAccount },
        region: (Int) -> String
    ) -> Double {
        (0..<launches).map { index in
            table.limiter(account: account(index), region: region(index), operation: "StartChatContact")?.reserve() ?? -1
        }.max() ?? 0
    }

    @Test func threeRegionsLaunchAtThreeTimesOneRegionsRate() {
        let regions = ["us-east-1", "eu-west-2", "ap-southeast-2"]
        let one = lastDeparture(300, table: table(ManualClock())) { _ in "us-east-1" }
        let three = lastDeparture(300, table: table(ManualClock())) { regions[$0 % 3] }
        // (300 - 8) / 5 in one region; (100 - 8) / 5 in each of three, side by side.
        #expect(abs(one - 58.4) < 1e-9)
        #expect(abs(three - 18.4) < 1e-9)
    }

    @Test func instancesOfOneAccountAndRegionShareOneBucket() {
        let table = table(ManualClock())
        let first = table.limiter(account: "111122223333", region: "us-east-1", operation: "StartChatContact")
        let again = table.limiter(account: "111122223333", region: "us-east-1", operation: "StartChatContact")
        #expect(first != nil && first === again)
        // Whatever instance each call names, 18 calls of one account and region wait their turn.
        #expect(abs(lastDeparture(18, table: table, account: { _ in "111122223333" }) { _ in "us-east-1" } - 2) < 1e-9)
    }

    @Test func twoAccountsInOneRegionHaveABucketEach() {
        let table = table(ManualClock())
        let accounts = ["111122223333", "444455556666"]
        #expect(table.limiter(account: accounts[0], region: "us-east-1", operation: "StartChatContact")
            !== table.limiter(account: accounts[1], region: "us-east-1", operation: "StartChatContact"))
        // 36 calls over two accounts take as long as 18 in one.
        #expect(abs(lastDeparture(36, table: table, account: { accounts[$0 % 2] }) { _ in "us-east-1" } - 2) < 1e-9)
    }

    @Test func aThrottleInOneRegionSlowsOnlyThatRegion() {
        let clock = ManualClock()
        let table = table(clock)
        let east = table.limiter(region: "us-east-1", operation: "StartChatContact")
        let west = table.limiter(region: "us-west-2", operation: "StartChatContact")
        east?.recordThrottle()
        clock.advance(by: 1)
        east?.recordThrottle()
        #expect(east?.currentRate == 2.5)
        #expect(west?.currentRate == 5)
    }

    @Test func operationsWithoutAConfigurationAreNotLimited() {
        #expect(table(ManualClock()).limiter(region: "us-east-1", operation: "StopContact") == nil)
    }
}
