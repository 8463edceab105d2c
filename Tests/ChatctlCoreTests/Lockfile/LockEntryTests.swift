import Foundation
import Testing
@testable import ChatctlCore

/// A lock entry keeps the fields most entries leave unset behind one reference: each
/// still reads back what was set, in any order, alone or together, and copies stay
/// independent.
@Suite struct LockEntryTests {
    static let fresh = LockEntry(
        digest: "sha256:" + String(repeating: "a", count: 64), generation: 1, clientToken: "t", status: .started, contactId: "c")

    /// Every field kept out of line, each set to a value.
    static let setters: [(name: String, set: @Sendable (inout LockEntry) -> Void, isSet: @Sendable (LockEntry) -> Bool)] = [
        ("continuedFromContactId", { $0.continuedFromContactId = "c-0" }, { $0.continuedFromContactId == "c-0" }),
        ("relatedContactId", { $0.relatedContactId = "c-r" }, { $0.relatedContactId == "c-r" }),
        ("error", { $0.error = .init(code: "E", message: "m") }, { $0.error == .init(code: "E", message: "m") }),
        ("stoppedAt", { $0.stoppedAt = Date(timeIntervalSince1970: 10) }, { $0.stoppedAt == Date(timeIntervalSince1970: 10) }),
        ("observed", { $0.observed = .init(state: .queued, refreshedAt: Date(timeIntervalSince1970: 20)) },
         { $0.observed == .init(state: .queued, refreshedAt: Date(timeIntervalSince1970: 20)) }),
        ("replacing", { $0.replacing = LockfileCodecTests.replacement }, { $0.replacing == LockfileCodecTests.replacement }),
        ("verification", { $0.verification = .init(status: .passed, at: Date(timeIntervalSince1970: 30)) },
         { $0.verification == .init(status: .passed, at: Date(timeIntervalSince1970: 30)) }),
    ]

    @Test func everyFieldKeptOutOfLineReadsBackWhatWasSetWhateverTheOrder() {
        let count = Self.setters.count
        // Forward, backward, and every rotation: each field set after each other one.
        for start in 0..<count {
            for step in [1, count - 1] {
                var entry = Self.fresh
                var done: [Int] = []
                for offset in 0..<count {
                    let index = (start + offset * step) % count
                    Self.setters[index].set(&entry)
                    done.append(index)
                    for (number, setter) in Self.setters.enumerated() {
                        #expect(setter.isSet(entry) == done.contains(number), "\(setter.name) after setting \(done)")
                    }
                }
            }
        }
    }

    @Test func clearingAFieldKeepsTheOthersAndClearingAllGivesTheFreshEntry() {
        var entry = Self.fresh
        for setter in Self.setters { setter.set(&entry) }
        entry.error = nil
        #expect(entry.error == nil)
        #expect(Self.setters.filter { $0.name != "error" }.allSatisfy { $0.isSet(entry) })
        entry.continuedFromContactId = nil
        entry.relatedContactId = nil
        entry.stoppedAt = nil
        entry.observed = nil
        entry.replacing = nil
        entry.verification = nil
        #expect(entry == Self.fresh)
    }

    @Test func copiesAreIndependentAndEqualOnlyWithTheSameValues() {
        var entry = Self.fresh
        entry.error = .init(code: "E", message: "m")
        var copy = entry
        #expect(copy == entry)
        copy.error?.message = "other"
        copy.replacing?.then = .keep
        #expect(entry.error?.message == "m")
        #expect(copy.error?.message == "other")
        #expect(copy != entry)
        // The same values made separately are equal.
        var twin = Self.fresh
        twin.error = .init(code: "E", message: "m")
        #expect(twin == entry)
        twin.observed = .init(state: .gone, refreshedAt: Date(timeIntervalSince1970: 1))
        #expect(twin != entry)
    }

    /// A lockfile keeps its entries in a dictionary of about 2.6 slots an entry: an entry
    /// is one reference there, its fields allocated once each.
    @Test func anEntryIsOneReferenceInTheDictionary() {
        #expect(MemoryLayout<LockEntry>.size == MemoryLayout<Int>.size)
    }

    /// A failed expectation or `dump` shows an entry's values, not the references they sit behind.
    @Test func describesItsValuesNotItsStorage() {
        var entry = Self.fresh
        entry.relatedContactId = "c-related"
        let text = String(describing: entry)
        #expect(text.contains(String(repeating: "a", count: 64)) && text.contains("\"c\"") && text.contains("c-related"), "\(text)")
        #expect(!text.contains("Box"), "\(text)")
    }
}
