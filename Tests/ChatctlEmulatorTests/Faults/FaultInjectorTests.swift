import Testing

@testable import ChatctlEmulator

@Suite struct FaultInjectorTests {
    static func sequence(_ injector: FaultInjector, count: Int) -> [FaultKind?] {
        var injector = injector
        return (0..<count).map { _ in injector.next() }
    }

    @Test func theSameSeedGivesTheSameFaults() {
        let kinds = Set(FaultKind.allCases)
        let first = Self.sequence(FaultInjector(rate: 0.3, kinds: kinds, seed: 9), count: 200)
        #expect(first == Self.sequence(FaultInjector(rate: 0.3, kinds: kinds, seed: 9), count: 200))
        #expect(first != Self.sequence(FaultInjector(rate: 0.3, kinds: kinds, seed: 10), count: 200))
    }

    @Test func theRateAndTheSplitAreHonoured() {
        let faults = Self.sequence(FaultInjector(rate: 0.25, kinds: FaultKind.standard, seed: 3), count: 8000)
        let injected = faults.compactMap { $0 }
        #expect((1800...2200).contains(injected.count))
        let internalErrors = injected.filter { $0 == .internalError }.count
        let drops = injected.filter { $0 == .drop }.count
        let lost = injected.filter { $0 == .lost }.count
        // 2 : 1 : 1
        #expect(abs(Double(internalErrors) / Double(injected.count) - 0.5) < 0.05)
        #expect(abs(Double(drops) / Double(injected.count) - 0.25) < 0.05)
        #expect(abs(Double(lost) / Double(injected.count) - 0.25) < 0.05)
    }

    @Test func onlySelectedKindsAreInjected() {
        let faults = Self.sequence(FaultInjector(rate: 1, kinds: [.lost], seed: 1), count: 50)
        #expect(faults.allSatisfy { $0 == .lost })
        #expect(Self.sequence(FaultInjector(rate: 0, kinds: [.lost], seed: 1), count: 50).allSatisfy { $0 == nil })
    }

    @Test func parsesFaultLists() {
        #expect(FaultKind.parseList("500,drop,lost") == FaultKind.standard)
        #expect(FaultKind.parseList(" lost ") == [.lost])
        #expect(FaultKind.parseList("internal") == [.internalError])
        #expect(FaultKind.parseList("garbage, malformed-200") == [.garbage, .malformed200])
        #expect(FaultKind.parseList("boom") == nil)
        #expect(FaultKind.parseList("") == nil)
    }
}
