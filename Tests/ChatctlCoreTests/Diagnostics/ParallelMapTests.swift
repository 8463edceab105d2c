@testable import ChatctlCore
import ChatctlAWS
import Foundation
import Testing

/// `parallelMap(_:consumingInOrder:)`: results computed on all cores, handed over in order.
@Suite struct ParallelMapTests {
    /// Later elements are made quicker than earlier ones, so they are ready first: they must
    /// still be handed over in the elements' order, each once.
    @Test func handsEveryResultOverInTheElementsOrder() {
        let elements = Array(0..<200)
        var handed: [(Int, Int)] = []
        elements.parallelMap({ element in
            // Busy work that shrinks with the index, so results finish out of order.
            var total = 0
            for step in 0..<((200 - element) * 500) { total &+= step ^ element }
            return element * 2 + (total == -1 ? 1 : 0)
        }, consumingInOrder: { (index: Int, result: Int) in
            handed.append((index, result))
        })
        #expect(handed.map(\.0) == Array(0..<200))
        #expect(handed.map(\.1) == elements.map { $0 * 2 })
    }

    @Test func handsOverWhatIsReadyBeforeTheRestIsDone() {
        // The last element waits until the first result has been handed over. Were the
        // results handed over only once all were made, it would wait in vain: the bound
        // only turns that hang into a failure, and is never reached otherwise.
        let firstHanded = DispatchSemaphore(value: 0)
        let waitedInVain = Locked(false)
        var order: [Int] = []
        [0, 1].parallelMap({ element in
            if element == 1, firstHanded.wait(timeout: .now() + 60) == .timedOut { waitedInVain.withLock { $0 = true } }
            return element
        }, consumingInOrder: { (index: Int, result: Int) in
            order.append(result)
            if index == 0 { firstHanded.signal() }
        })
        #expect(order == [0, 1])
        #expect(!waitedInVain.withLock { $0 })
    }

    struct Stop: Error, Equatable { var at: Int }

    @Test func stopsHandingOverAtTheFirstErrorAndRethrowsIt() {
        var handed: [Int] = []
        #expect(throws: Stop(at: 5)) {
            try Array(0..<50).parallelMap({ $0 }, consumingInOrder: { (index: Int, result: Int) throws(Stop) in
                if index == 5 { throw Stop(at: index) }
                handed.append(result)
            })
        }
        #expect(handed == [0, 1, 2, 3, 4])
    }

    @Test func handsOverTheOneResultOrNone() {
        var handed: [Int] = []
        [7].parallelMap({ $0 + 1 }, consumingInOrder: { (_: Int, result: Int) in handed.append(result) })
        [Int]().parallelMap({ $0 + 1 }, consumingInOrder: { (_: Int, result: Int) in handed.append(result) })
        #expect(handed == [8])
    }
}
