import Foundation
import Testing
@testable import ChatctlCore

/// ``LockEntries``: a lockfile read for `plan` keeps its entries as sorted arrays looked up
/// by binary search (issue 15), and they answer as the dictionary every other read makes.
@Suite struct LockEntriesTests {
    /// Names chosen so that neighbours share prefixes and differ in length and in digits
    /// against letters against hyphens (the bytes a binary search compares).
    static let names: [String] = {
        var names = ["a", "a-1", "a-10", "a-2", "a0", "a1", "aa", "ab", "b", "z", "z9", "zz-z"]
        for index in 0..<150 { names.append("p\(index * 7 % 150)" + (index % 5 == 0 ? "" : "-" + String(repeating: "x", count: index % 5))) }
        return names
    }()

    /// Entries of every kind a row holds: tokens chatctl made for the entry (with its
    /// generation or an older one), for another name, chosen by hand; members or none; and
    /// two kinds no row holds (the entry is kept whole): every seventh a generation beyond
    /// 32 bits, and every eleventh (``isLong(_:)``) members making the entry 64 KiB or more.
    static func lockfile(_ names: [String]) -> Lockfile {
        var lockfile = Lockfile(serial: 3)
        for (index, name) in names.enumerated() {
            let digest = "sha256:" + String(repeating: String(index % 16, radix: 16), count: 64)
            // Beyond 31 bits, and beyond 32 (its low 32 bits alone would make a positive one).
            let generation = index % 7 == 3 ? (index % 2 == 0 ? 3_000_000_000 : 5_000_000_000) + index : index + 1
            let digits = String(repeating: String((index + 5) % 16, radix: 16), count: 24)
            let token = switch index % 4 {
            case 0: "chatctl-\(name)-g\(generation)-\(digits)"
            case 1: "chatctl-\(name)-g\(max(1, generation - 1))-\(digits)"
            case 2: "chatctl-\(name)x-g\(generation)-\(digits)"
            default: "token-\(name)"
            }
            let memberCount = isLong(index) ? 1_000 : index % 2 == 0 ? 1 + index % 3 : 0
            var members: [String: MemberRecord] = [:]
            for member in 0..<memberCount {
                members["Attributes.a\(member)"] = .digest(String(repeating: String((index + member) % 16, radix: 16), count: 64))
            }
            lockfile.entries[name] = index % 3 == 0
                ? LockEntry(
                    digest: digest, generation: generation, clientToken: token, status: .started,
                    contactId: "contact-\(name)", instance: "12345678-1234-1234-1234-123456789012", attempts: 1,
                    members: members.isEmpty ? nil : members)
                : LockEntry(
                    digest: digest, generation: generation, clientToken: token, status: .failed,
                    error: LockEntry.Failure(code: "Throttling", message: "slow down \(name)"),
                    members: members.isEmpty ? nil : members)
        }
        return lockfile
    }

    /// Whether the entry at `index` of ``lockfile(_:)`` is 64 KiB or more.
    static func isLong(_ index: Int) -> Bool { index % 11 == 5 }

    static func readForPlan(_ path: String) throws -> Lockfile {
        try LockfileStore(path: path).readReplayingJournal(membersInFile: true).lockfile
    }

    @Test func aLockfileReadForPlanFindsEveryEntryByNameAndNoOther() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let lockfile = Self.lockfile(Self.names)
        try LockfileStore(path: path).write(lockfile)
        let read = try Self.readForPlan(path)
        #expect(read.entries.keepsSortedArrays)
        #expect(!(try LockfileStore(path: path).read().entries.keepsSortedArrays), "read whole: a dictionary")
        #expect(read.entries.count == Self.names.count)
        for (index, name) in Self.names.enumerated() {
            let entry = try #require(read.entries[name], "\(name)")
            let expected = try #require(lockfile.entries[name])
            #expect(entry == expected, "\(name)")
            // The fields a row holds, each on its own (equality reads the whole entry back).
            #expect(entry.digest == expected.digest && entry.generation == expected.generation, "\(name)")
            #expect(entry.clientToken == expected.clientToken && entry.status == expected.status, "\(name)")
            #expect(entry.members == expected.members, "\(name)")
            #expect(
                entry.isKeptInFile == (index % 7 != 3 && !Self.isLong(index)),
                "\(name): a row unless its generation is beyond 32 bits or it is 64 KiB long")
        }
        #expect(MemoryLayout<KeptEntryRows.Row>.stride == 64, "the layout its comment gives")
        // Before the first, after the last, between two, a prefix and an extension of one.
        for missing in ["0", "a-", "a-11", "a00", "ac", "p", "p1", "zz", "zz-zz", "{", "A", ""] {
            #expect(read.entries[missing] == nil, "\(missing)")
        }
        #expect(read == lockfile)
        #expect(read.entries == lockfile.entries && lockfile.entries == read.entries)
        #expect(Set(read.entries.keys) == Set(Self.names))
        #expect(read.entries.keys == read.entries.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }))
        #expect(Dictionary(uniqueKeysWithValues: read.entries.map { ($0.key, $0.value) }) == lockfile.entries.dictionary)
    }

    /// A row's place in the file: 40 bits of offset (a lockfile of 4 GiB and more, which no
    /// test writes), 16 of length; the members' place from the entry's start.
    @Test func aRowPlacesItsEntryBeyondFourGiB() {
        let row = KeptEntryRows.Row(
            digest: (1, 2, 3, 4), tokenHigh: 0, tokenLow: 0, startLow: 0xFFFF_FFF0, generation: 1, length: 0xFFFF,
            membersOffset: 0x20, membersLength: 0x100, status: .started, startHigh: 0xC3, digestPrefixed: true, tokenAside: false)
        #expect(row.start == 0xC3_FFFF_FFF0)
        #expect(row.range == 0xC3_FFFF_FFF0..<0xC4_0000_FFEF)
        #expect(row.membersRange == 0xC4_0000_0010..<0xC4_0000_0110)
    }

    /// A lockfile edited by hand may list its entries in another order: they are sorted as
    /// read, and a name written twice is refused as it is when the lockfile is read whole.
    @Test func entriesOutOfOrderAreSortedAndARepeatedNameIsRefused() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        // Four entries, so that one is kept whole (the fourth, y-last: `lockfile(_:)`), with a token
        // of each kind.
        let lockfile = Self.lockfile(["b-first", "m-middle", "t-third", "y-last"])
        try LockfileStore(path: path).write(lockfile)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.range(of: "\"b-first\": {")!.lowerBound < text.range(of: "\"y-last\": {")!.lowerBound)

        // The first entry renamed past the last: the file lists z, m, y.
        try text.replacingOccurrences(of: "\"b-first\": {", with: "\"z-renamed\": {").write(toFile: path, atomically: true, encoding: .utf8)
        let reordered = try Self.readForPlan(path)
        #expect(reordered.entries.keepsSortedArrays)
        #expect(reordered.entries.keys == ["m-middle", "t-third", "y-last", "z-renamed"])
        for (name, was) in [("z-renamed", "b-first"), ("m-middle", "m-middle"), ("t-third", "t-third"), ("y-last", "y-last")] {
            let entry = try #require(reordered.entries[name])
            let expected = try #require(lockfile.entries[was])
            #expect(entry == expected, "\(name)")
            #expect(entry.clientToken == expected.clientToken && entry.generation == expected.generation, "\(name)")
            #expect(entry.isKeptInFile == (name != "y-last"), "\(name)")
        }
        #expect(reordered.entries["b-first"] == nil)
        #expect(reordered == (try LockfileStore(path: path).read()))

        // The last renamed to the first's name, out of order (the first check) or in order.
        for (renamed, to) in [("y-last", "b-first"), ("m-middle", "b-first")] {
            try text.replacingOccurrences(of: "\"\(renamed)\": {", with: "\"\(to)\": {")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let whole = #expect(throws: LockfileError.self) { try LockfileStore(path: path).read() }
            let forPlan = #expect(throws: LockfileError.self) { try Self.readForPlan(path) }
            #expect(whole?.diagnostic.message.contains("duplicate key") == true, "\(String(describing: whole))")
            #expect(forPlan?.diagnostic.message == whole?.diagnostic.message)
        }
    }

    /// A change to sorted entries makes them a dictionary holding every other entry; the
    /// lockfile they were copied from is not changed.
    @Test func aChangeKeepsEveryOtherEntryAndLeavesTheCopiedLockfile() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let lockfile = Self.lockfile(Self.names)
        try LockfileStore(path: path).write(lockfile)
        let read = try Self.readForPlan(path)

        var removed = read
        #expect(removed.entries.removeValue(forKey: "aa") == lockfile.entries["aa"])
        #expect(!removed.entries.keepsSortedArrays)
        #expect(removed.entries.count == Self.names.count - 1 && removed.entries["aa"] == nil)

        var changed = read
        changed.entries["ab"]?.status = .stopped
        changed.entries["new-one"] = lockfile.entries["z"]
        #expect(changed.entries["ab"]?.status == .stopped && changed.entries["new-one"] == lockfile.entries["z"])
        for name in Self.names where name != "ab" {
            #expect(changed.entries[name] == lockfile.entries[name], "\(name)")
            #expect(removed.entries[name] == (name == "aa" ? nil : lockfile.entries[name]), "\(name)")
        }
        #expect(read.entries.keepsSortedArrays && read == lockfile)

        // Held in memory: still sorted arrays, every entry equal.
        let held = try read.heldInMemory()
        #expect(held.entries.keepsSortedArrays && held == lockfile)
        #expect(held.entries.values.allSatisfy { !$0.isKeptInFile })
    }
}
