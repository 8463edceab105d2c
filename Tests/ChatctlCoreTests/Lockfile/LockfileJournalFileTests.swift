import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

/// The journal's bytes: records written and read back, a torn end ignored, damage and
/// foreign content refused with the record's number and offset, never misread.
@Suite struct LockfileJournalFileTests {
    static let file = "chatctl.lock.json.journal"
    /// Profile names the lockfile accepts, in an order that is not byte order.
    static let names = ["b-1", "a", "z9", "entries", "b", "a1", "zz-top", "x"]

    /// ``IncrementalLockfileTests/randomEntry(_:)`` made valid against the lockfile's
    /// schema (a journal's entries are checked as the lockfile's are).
    static func readableEntry(_ random: inout SplitMix64) -> LockEntry {
        var entry = IncrementalLockfileTests.randomEntry(&random)
        if entry.status == .started || entry.status == .stopped, entry.contactId == nil { entry.contactId = "c-\(random.next() % 100)" }
        if entry.status == .failed, entry.error == nil { entry.error = LockEntry.Failure(code: "LimitExceededException", message: "full", requestId: nil) }
        if entry.members != nil {
            entry.members = ["ChatDurationInMinutes": .value(.integer(Int(random.next() % 500))), "Attributes.x": .digest(String(repeating: "f", count: 64))]
        }
        return entry
    }

    /// A random lockfile the codec reads back.
    static func readableLockfile(_ random: inout SplitMix64) -> Lockfile {
        var lockfile = IncrementalLockfileTests.randomLockfile(&random)
        if case .custom? = lockfile.endpoint { lockfile.endpoint = .custom(url: "http://127.0.0.1:4566") }
        lockfile.entries = [:]
        for _ in 0..<(random.next() % 6) { lockfile.entries[names[Int(random.next() % UInt64(names.count))]] = readableEntry(&random) }
        return lockfile
    }

    /// A record of `changes` (as apply writes them: each entry's JSON as the lockfile holds it).
    static func record(
        base: String? = nil, top: Lockfile? = nil, _ changes: [(String, LockEntry?)], codec: LockfileCodec
    ) -> [UInt8] {
        LockfileJournalFile.record(
            base: base, top: top.map { LockfileJournalFile.top(of: $0, codec: codec) },
            changes: changes.map { name, entry in (name, entry.map { JSONWriter.pretty.bytes(codec.json($0))[...] }) })
    }

    /// Three records: the first with its base and top, then two changes.
    static func threeRecords(_ codec: LockfileCodec) throws -> (bytes: [UInt8], ends: [Int], records: [[LockfileJournalFile.Change]]) {
        let sample = LockfileCodecTests.sample
        let first: [(String, LockEntry?)] = [("vip-greeting", nil), ("new-one", LockfileJournalTests.entry("t-1"))]
        var started = LockfileJournalTests.entry("t-1", .started)
        started.contactId = "c-9"
        let second: [(String, LockEntry?)] = [("new-one", started)]
        let third: [(String, LockEntry?)] = [("intake", LockfileJournalTests.entry("t-2")), ("zz-9", started)]
        var bytes = LockfileJournalFile.magic
        var ends: [Int] = []
        for (index, changes) in [first, second, third].enumerated() {
            bytes += record(base: index == 0 ? String(repeating: "ab", count: 32) : nil, top: index == 0 ? sample : nil, changes, codec: codec)
            ends.append(bytes.count)
        }
        let records = [first, second, third].map { changes in
            changes.map { name, entry in entry.map { LockfileJournalFile.Change.set(name, $0) } ?? .remove(name) }
        }
        return (bytes, ends, records)
    }

    @Test func theChecksumIsCRC32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func recordsReadBackAsWritten() throws {
        let codec = try LockfileCodec()
        let (bytes, _, records) = try Self.threeRecords(codec)
        let contents = try LockfileJournalFile.decode(bytes, file: Self.file, codec: codec)
        #expect(contents.tornBytes == 0)
        #expect(contents.records.map(\.changes) == records)
        #expect(contents.records.first?.base == String(repeating: "ab", count: 32))
        #expect(contents.records.first?.top?.serial == LockfileCodecTests.sample.serial)
        #expect(contents.records.first?.top?.memberSalt == LockfileCodecTests.sample.memberSalt)
        #expect(contents.records.dropFirst().allSatisfy { $0.base == nil && $0.top == nil })
    }

    /// Random entries and names (escapes, canonical equivalence, the marker's text), many
    /// changes per record: replayed, the same lockfile as the changes made in memory.
    @Test func randomRecordsReplayToTheLockfileInMemory() throws {
        let codec = try LockfileCodec()
        var random = SplitMix64(seed: 1515)
        for _ in 0..<20 {
            var expected = Self.readableLockfile(&random)
            let start = expected
            var bytes = LockfileJournalFile.magic
            for index in 0..<8 {
                var changes: [(String, LockEntry?)] = []
                var seen = Set<String>()
                for _ in 0..<(random.next() % 5) {
                    let name = Self.names[Int(random.next() % UInt64(Self.names.count))]
                    guard seen.insert(name).inserted else { continue }
                    let entry = random.next() % 3 == 0 ? nil : Self.readableEntry(&random)
                    changes.append((name, entry))
                    expected.entries[name] = entry
                }
                if index == 0 { expected.serial += 1 }
                bytes += Self.record(base: index == 0 ? LockfileJournalFile.noBase : nil, top: index == 0 ? expected : nil, changes, codec: codec)
            }
            let contents = try LockfileJournalFile.decode(bytes, file: Self.file, codec: codec)
            #expect(LockfileJournalFile.replay(contents.records, onto: start) == expected)
        }
    }

    /// A crash while the last record was being written leaves any prefix of it: each
    /// replays exactly the records before it, and says how much it ignored.
    @Test func aJournalCutAtEveryByteOfItsLastRecordReplaysTheRecordsBeforeIt() throws {
        let codec = try LockfileCodec()
        let (bytes, ends, records) = try Self.threeRecords(codec)
        for cut in ends[1]..<ends[2] {
            let contents = try LockfileJournalFile.decode(Array(bytes[..<cut]), file: Self.file, codec: codec)
            #expect(contents.records.map(\.changes) == Array(records.prefix(2)), "cut at \(cut)")
            #expect(contents.tornBytes == cut - ends[1])
        }
        // Cut inside the first record, or the line before it: nothing was acknowledged.
        for cut in 0..<ends[0] {
            let contents = try LockfileJournalFile.decode(Array(bytes[..<cut]), file: Self.file, codec: codec)
            let torn = cut <= LockfileJournalFile.magic.count ? cut : cut - LockfileJournalFile.magic.count
            #expect(contents.records.isEmpty && contents.tornBytes == torn, "cut at \(cut)")
        }
        // The file system extended the file but never wrote the last record: zeros.
        let zeroed = Array(bytes[..<ends[1]]) + [UInt8](repeating: 0, count: 4_096)
        #expect(try LockfileJournalFile.decode(zeroed, file: Self.file, codec: codec).records.count == 2)
    }

    /// A flipped bit anywhere: in a record with records after it, refused (naming the
    /// record); in the last record, refused or ignored as torn; never a record read as
    /// something else, never a crash.
    @Test func aFlippedBitIsRefusedOrTornNeverMisread() throws {
        let codec = try LockfileCodec()
        let (bytes, ends, records) = try Self.threeRecords(codec)
        for position in 0..<bytes.count {
            var damaged = bytes
            damaged[position] ^= 0x10
            let recordIndex = ends.firstIndex { position < $0 } ?? 2
            do {
                let contents = try LockfileJournalFile.decode(damaged, file: Self.file, codec: codec)
                #expect(position >= ends[1], "byte \(position): damage before the last record must be refused")
                #expect(contents.records.map(\.changes) == Array(records.prefix(2)), "byte \(position)")
            } catch {
                #expect(error.diagnostic.code == "lockfile.journal")
                if position >= LockfileJournalFile.magic.count {
                    #expect(error.diagnostic.message.contains("record \(recordIndex + 1) (at byte \(recordIndex == 0 ? LockfileJournalFile.magic.count : ends[recordIndex - 1]))"),
                            "byte \(position): \(error.diagnostic.message)")
                }
            }
        }
    }

    struct BadJournal: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: @Sendable (LockfileCodec) -> [UInt8]
        let message: String
        var testDescription: String { name }
    }

    static func firstRecord(_ codec: LockfileCodec) -> [UInt8] {
        LockfileJournalFile.magic + record(base: LockfileJournalFile.noBase, top: Lockfile(serial: 1), [], codec: codec)
    }

    static func payload(_ text: String) -> [UInt8] { LockfileJournalFile.frame(Array(text.utf8)) }

    static let badJournals: [BadJournal] = [
        BadJournal(name: "another file", bytes: { _ in Array("{\"entries\": {}}".utf8) },
                   message: "chatctl.lock.json.journal: not a chatctl lockfile journal"),
        BadJournal(name: "a newer format", bytes: { _ in Array("chatctl-lockfile-journal 2\n".utf8) + [1, 2, 3] },
                   message: "the journal has format version \"2\"; this chatctl reads version 1"),
        BadJournal(name: "not JSON", bytes: { firstRecord($0) + payload("{\"changes\": [") },
                   message: "record 2 (at byte {first}) is not one chatctl writes: it is not JSON"),
        BadJournal(name: "an unknown member", bytes: { firstRecord($0) + payload("{\"changes\": [], \"compact\": true}") },
                   message: "record 2 (at byte {first}) is not one chatctl writes: it has an unknown member \"compact\""),
        BadJournal(name: "an unknown change", bytes: { firstRecord($0) + payload("{\"changes\": [{\"rename\": \"a\"}]}") },
                   message: "record 2 (at byte {first}) is not one chatctl writes: a change is neither"),
        BadJournal(name: "an entry the lockfile would refuse", bytes: {
            firstRecord($0) + payload("{\"changes\": [{\"set\": \"a\", \"entry\": {\"status\": \"bogus\"}}]}")
        }, message: "record 2 (at byte {first}) is not one chatctl writes: entries.a"),
        BadJournal(name: "a first record without base", bytes: { _ in LockfileJournalFile.magic + payload("{\"changes\": []}") },
                   message: "record 1 (at byte 27) is not one chatctl writes: the first record does not say which lockfile it continues"),
        BadJournal(name: "a base in a later record", bytes: { firstRecord($0) + payload("{\"base\": \"none\", \"changes\": []}") },
                   message: "record 2 (at byte {first}) is not one chatctl writes: only the first record has a base"),
        BadJournal(name: "a damaged record with one after it", bytes: {
            var bytes = firstRecord($0) + payload("{\"changes\": []}")
            bytes[bytes.count - 3] ^= 1
            return bytes + payload("{\"changes\": []}")
        }, message: "record 2 (at byte {first}) is damaged: its checksum does not match, and 27 bytes follow it"),
        BadJournal(name: "a damaged header", bytes: { firstRecord($0) + [9, 0, 0, 0, 9, 0, 0, 0] + Array("{}{}{}{}{}".utf8) },
                   message: "record 2 (at byte {first}) is damaged: its header is damaged, and 18 bytes follow it"),
    ]

    @Test(arguments: badJournals)
    func aJournalChatctlDidNotWriteIsRefusedPrecisely(_ bad: BadJournal) throws {
        let codec = try LockfileCodec()
        #expect {
            _ = try LockfileJournalFile.decode(bad.bytes(codec), file: Self.file, codec: codec)
        } throws: { error in
            let message = (error as? LockfileError)?.diagnostic.message ?? ""
            let expected = bad.message.replacingOccurrences(of: "{first}", with: "\(Self.firstRecord(codec).count)")
            return message.contains(expected) || { Issue.record("\(message)"); return false }()
        }
    }

    // MARK: Beside the lockfile

    /// A lockfile and the journal of the apply that was killed after it: read together.
    static func killedApply(_ folder: TemporaryFolder) async throws -> (store: LockfileStore, state: Lockfile, journal: [UInt8]) {
        let store = try LockfileStore(path: folder.path("chatctl.lock.json"))
        try store.write(LockfileCodecTests.sample)
        let journal = LockfileJournal(lockfile: LockfileCodecTests.sample, store: store)
        try await journal.record(LockfileJournalTests.entry("t-1"), for: "new-one")
        try await journal.record(nil, for: "intake")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: store.journalPath)))
        return (store, await journal.snapshot(), bytes)
    }

    @Test func aReaderReplaysTheJournalAndSaysSo() async throws {
        let folder = try TemporaryFolder()
        let (store, state, _) = try await Self.killedApply(folder)
        let (lockfile, replay) = try store.readReplayingJournal()
        #expect(lockfile == state)
        #expect(replay == LockfileJournalReplay(path: store.journalPath, records: 2, tornBytes: 0, alreadyFolded: false))
        #expect(lockfile.entries["new-one"]?.clientToken == "t-1" && lockfile.entries["intake"] == nil)
    }

    /// Killed after the fold's rename, before the journal's removal: the lockfile already
    /// holds the journal, which replays onto it to itself.
    @Test func aJournalAlreadyFoldedInReadsAsTheLockfile() async throws {
        let folder = try TemporaryFolder()
        let (store, state, journal) = try await Self.killedApply(folder)
        try store.write(state)
        try Data(journal).write(to: URL(fileURLWithPath: store.journalPath))
        let (lockfile, replay) = try store.readReplayingJournal()
        #expect(lockfile == state)
        #expect(replay?.alreadyFolded == true)
        #expect(try store.foldJournal()?.alreadyFolded == true)
        #expect(!FileManager.default.fileExists(atPath: store.journalPath))
        #expect(try store.read() == state)
    }

    /// The lockfile was restored (say from git) after the crash: the journal continues
    /// another one, and replaying it there could lose or invent chats.
    @Test func aJournalOfAnotherLockfileIsRefused() async throws {
        let folder = try TemporaryFolder()
        let (store, _, _) = try await Self.killedApply(folder)
        var restored = LockfileCodecTests.sample
        restored.serial = 3
        try Data(store.codec.encode(restored)).write(to: URL(fileURLWithPath: store.path))
        #expect {
            _ = try store.read()
        } throws: { error in
            (error as? LockfileError)?.diagnostic.message.contains("continues another version of") == true
        }
        #expect(throws: LockfileError.self) { try store.foldJournal() }
        #expect(FileManager.default.fileExists(atPath: store.journalPath), "nothing is written or removed")
    }

    @Test func foldingWritesTheLockfileAndRemovesTheJournal() async throws {
        let folder = try TemporaryFolder()
        let (store, state, _) = try await Self.killedApply(folder)
        #expect(try store.foldJournal()?.records == 2)
        #expect(!FileManager.default.fileExists(atPath: store.journalPath))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: store.path))) == store.codec.encode(state))
        #expect(try store.foldJournal() == nil)
    }
}
