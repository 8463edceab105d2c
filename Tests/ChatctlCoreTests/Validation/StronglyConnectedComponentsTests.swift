import Testing
@testable import ChatctlCore

@Suite struct StronglyConnectedComponentsTests {
    @Test func findsCyclesAndSingletons() {
        let edges = [[1], [2], [0], [3], []]
        let components = StronglyConnectedComponents.find(count: 5) { edges[$0] }
        #expect(Set(components.map { Set($0) }) == [[0, 1, 2], [3], [4]])
    }

    /// A vertex whose component is finished is off the stack (marked done, not flagged):
    /// an edge into it from a later vertex must not pull that vertex into it.
    @Test func anEdgeIntoAFinishedComponentLeavesTheLaterVertexOnItsOwn() {
        let edges = [[1], [0], [0], [2, 1]]
        let components = StronglyConnectedComponents.find(count: 4) { edges[$0] }
        #expect(components.map { Set($0) } == [[0, 1], [2], [3]])
    }

    @Test func walksAChainOfOneHundredThousandWithoutRecursion() {
        let count = 100_000
        let components = StronglyConnectedComponents.find(count: count) { $0 + 1 < count ? [$0 + 1] : [] }
        #expect(components.count == count)
    }
}
