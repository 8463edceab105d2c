import Testing
@testable import ChatctlCore

@Suite struct ApplyScheduleTests {
    private func call(_ name: String, region: String?, dependsOn: [String] = []) -> PlannedCall {
        PlannedCall(
            profile: name, operation: .forget(PlannedCall.Removal(generation: 1, instance: nil)), reason: "test",
            dependsOn: dependsOn, region: region)
    }

    private func order(_ calls: [PlannedCall]) -> [String] {
        var schedule = ApplySchedule(calls)
        var names: [String] = []
        while let index = schedule.nextReady() {
            names.append(calls[index].profile)
            schedule.finish(index, with: ApplyReport.Result(calls[index], outcome: .forgotten), events: { _ in })
        }
        return names
    }

    @Test func takesTheRegionsInTurnSoNoRegionsBucketHoldsEveryWorker() {
        // Each region has its own token bucket; in plan order every worker would wait on
        // us-east-1's while the other two buckets fill unused.
        let calls = ["e1", "e2", "e3", "w1", "w2", "a1"].map { name in
            call(name, region: ["e": "us-east-1", "w": "eu-west-2", "a": "ap-southeast-2"][String(name.prefix(1))])
        }
        #expect(order(calls) == ["e1", "w1", "a1", "e2", "w2", "e3"])
    }

    @Test func keepsPlanOrderInOneRegionAndRunsDependantsAfterTheirDependencies() {
        let one = [call("a", region: "us-east-1"), call("b", region: "us-east-1"), call("c", region: nil)]
        #expect(order(one) == ["a", "c", "b"])
        let chained = [call("a", region: "us-east-1"), call("b", region: "eu-west-2", dependsOn: ["a"]), call("c", region: "us-east-1")]
        #expect(order(chained) == ["a", "c", "b"])
    }
}
