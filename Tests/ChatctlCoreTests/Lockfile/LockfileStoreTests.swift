import Foundation
import Testing
@testable import ChatctlCore

@Suite struct LockfileStoreTests {
    @Test func readsAMissingLockfileAsEmpty() throws {
        let folder = try TemporaryFolder()
        #expect(try LockfileStore(path: folder.path("chatctl.lock.json")).read() == Lockfile())
    }

    @Test func replacesTheFileAtomicallyLeavingNoTemporaryFiles() throws {
        let folder = try TemporaryFolder()
        let store = try LockfileStore(path: folder.path("chatctl.lock.json"))
        try store.write(LockfileCodecTests.sample)
        var next = LockfileCodecTests.sample
        next.serial = 8
        try store.write(next)
        #expect(try store.read() == next)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["chatctl.lock.json"])
    }

    /// A folder, a FIFO or a socket where the lockfile or its journal should be is an error
    /// naming it, never opened: a folder's reported size made the reader ask for an
    /// impossible allocation and crash, and a FIFO would block it for ever.
    @Test func aFolderOrAFIFOInPlaceOfTheLockfileIsAnError() throws {
        let folder = try TemporaryFolder()
        let asFolder = folder.path("folder.lock.json")
        try FileManager.default.createDirectory(atPath: asFolder, withIntermediateDirectories: true)
        let asFIFO = folder.path("fifo.lock.json")
        #expect(mkfifo(asFIFO, 0o600) == 0)
        for (path, reason) in [(asFolder, "it is a folder"), (asFIFO, "not a regular file")] {
            for membersInFile in [false, true] {
                let error = #expect(throws: LockfileError.self) {
                    try LockfileStore(path: path).readReplayingJournal(membersInFile: membersInFile)
                }
                #expect(error?.diagnostic.message.contains(reason) == true, "\(String(describing: error))")
            }
        }
        // The journal too.
        let lockfile = folder.path("chatctl.lock.json")
        try LockfileStore(path: lockfile).write(LockfileCodecTests.sample)
        try FileManager.default.createDirectory(atPath: lockfile + ".journal", withIntermediateDirectories: true)
        let error = #expect(throws: LockfileError.self) { try LockfileStore(path: lockfile).readReplayingJournal() }
        #expect(error?.diagnostic.message.contains("it is a folder") == true, "\(String(describing: error))")
    }

    /// The entries' dictionary is made at the size the file's size suggests, not grown by
    /// doubling entry by entry, in both readings of a file and from bytes; the entries read
    /// are the same.
    @Test func sizesTheEntriesDictionaryFromTheInputsSize() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        var lockfile = LockfileCodecTests.sample
        // A file of some 20 typical entries' bytes that holds a handful.
        lockfile.entries["large"] = LockEntry(
            digest: "sha256:" + String(repeating: "b", count: 64), generation: 1, clientToken: "t", status: .pending,
            members: ["Attributes.large": .value(.string(String(repeating: "x", count: 40_000)))])
        try LockfileStore(path: path).write(lockfile)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let expected = LockfileDecoder.expectedEntryCount(inputSize: size)
        #expect(expected >= 4 * lockfile.entries.count)
        for membersInFile in [false, true] {
            let read = try LockfileStore(path: path).readReplayingJournal(membersInFile: membersInFile).lockfile
            #expect(read == lockfile)
            #expect(read.entries.capacity >= expected, "members in the file: \(membersInFile)")
        }
        let decoded = try #require(LockfileDecoder.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
        #expect(decoded.entries.capacity >= expected)
        // Bounded, whatever the size.
        #expect(LockfileDecoder.expectedEntryCount(inputSize: Int.max) == LockfileDecoder.expectedEntryLimit)
        #expect(LockfileDecoder.expectedEntryCount(inputSize: -1) == 0)
    }

    /// `plan`'s read keeps each entry as its place in the file and the fields every plan
    /// reads (issue 15): every other field reads back from the file as decoded, and a change
    /// to one of them keeps the rest.
    @Test func aLockfileReadForPlanKeepsItsEntriesInTheFileAndReadsThemBackWhole() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        var lockfile = LockfileCodecTests.sample
        lockfile.entries["relaunching"] = LockEntry(
            digest: "sha256:" + String(repeating: "1", count: 64), generation: 3, clientToken: "chatctl-relaunching-g3-0123456789abcdef01234567",
            status: .pending, continuedFromContactId: "c-9", relatedContactId: "c-8", replacing: LockfileCodecTests.replacement)
        // A generation beyond what a kept entry holds (32 bits): held in memory instead.
        lockfile.entries["relaunched-often"] = LockEntry(
            digest: "sha256:" + String(repeating: "2", count: 64), generation: 3_000_000_000, clientToken: "t-often",
            status: .pending)
        try LockfileStore(path: path).write(lockfile)
        let read = try LockfileStore(path: path).readReplayingJournal(membersInFile: true).lockfile
        #expect(read.entries.keys.sorted() == lockfile.entries.keys.sorted())
        for (name, expected) in lockfile.entries {
            let entry = try #require(read.entries[name])
            #expect(entry.isKeptInFile == (name != "relaunched-often"), "\(name)")
            // Field by field, through the public names (each read back on its own).
            #expect(entry.digest == expected.digest && entry.generation == expected.generation, "\(name)")
            #expect(entry.clientToken == expected.clientToken && entry.status == expected.status, "\(name)")
            #expect(entry.contactId == expected.contactId && entry.participantId == expected.participantId, "\(name)")
            #expect(entry.participantTokenSha256 == expected.participantTokenSha256, "\(name)")
            #expect(entry.region == expected.region && entry.instance == expected.instance, "\(name)")
            #expect(entry.startedAt == expected.startedAt && entry.expiresAt == expected.expiresAt, "\(name)")
            #expect(entry.stoppedAt == expected.stoppedAt && entry.attempts == expected.attempts, "\(name)")
            #expect(entry.error == expected.error && entry.observed == expected.observed, "\(name)")
            #expect(entry.replacing == expected.replacing && entry.verification == expected.verification, "\(name)")
            #expect(entry.continuedFromContactId == expected.continuedFromContactId, "\(name)")
            #expect(entry.relatedContactId == expected.relatedContactId, "\(name)")
            #expect(entry.members == expected.members, "\(name)")
            #expect(entry == expected, "\(name)")
        }
        #expect(read == lockfile)
        try read.checkMembersReadBack()

        // A change (refresh before a plan) holds the entry in memory with every other field kept.
        var changed = read
        let observation = LockEntry.Observation(state: .gone, refreshedAt: Date(timeIntervalSince1970: 1_795_100_000))
        changed.entries["vip-greeting"]?.observed = observation
        let held = try #require(changed.entries["vip-greeting"])
        #expect(!held.isKeptInFile)
        var expected = try #require(lockfile.entries["vip-greeting"])
        expected.observed = observation
        #expect(held == expected)
        #expect(read.entries["vip-greeting"]?.isKeptInFile == true, "the lockfile read is not changed by its copy")
        #expect(read.entries["vip-greeting"]?.observed == nil)

        // A lockfile with a journal beside it (an apply was killed) is read whole, since the
        // journal names its bytes: its entries, the journal's and the others, are held.
        let store = try LockfileStore(path: path)
        try store.write(lockfile)
        let journal = LockfileJournal(lockfile: lockfile, store: store)
        var relaunched = try #require(lockfile.entries["intake"])
        relaunched.status = .pending
        relaunched.error = nil
        relaunched.generation = 2
        try await journal.record(relaunched, for: "intake")
        #expect(FileManager.default.fileExists(atPath: store.journalPath))
        let replayed = try store.readReplayingJournal(membersInFile: true).lockfile
        #expect(replayed.entries["intake"] == relaunched)
        #expect(replayed.entries["intake"]?.isKeptInFile == false)
        #expect(replayed.entries["pending-one"]?.isKeptInFile == false)
        #expect(replayed.entries["pending-one"] == lockfile.entries["pending-one"])
    }

    /// An entry read back from a file rewritten in place, or changed under the same identity
    /// (size and modification time put back), is never taken for the one decoded: the read
    /// gives the fields held and the file is marked, so a plan stops with an error.
    @Test func anEntryReadBackFromAChangedFileMarksItChanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        // Entries without members: only the entries themselves are read back from the file.
        var lockfile = LockfileCodecTests.sample
        lockfile.entries["vip-greeting"] = nil
        try LockfileStore(path: path).write(lockfile)
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = try #require(String(data: original, encoding: .utf8))
        for keepIdentity in [true, false] {
            // The same length. Under the same identity a field the entry holds (its status)
            // is what tells; otherwise the identity does, whatever changed (the contact).
            let edited = keepIdentity
                ? text.replacingOccurrences(of: "\"status\": \"stopped\"", with: "\"status\": \"started\"")
                : text.replacingOccurrences(of: "\"c-3\"", with: "\"c-4\"")
            #expect(edited != text && edited.utf8.count == original.count)
            let read = try LockfileStore(path: path).readReplayingJournal(membersInFile: true).lockfile
            try read.checkMembersReadBack()
            let writer = try #require(FileHandle(forWritingAtPath: path))
            try writer.write(contentsOf: Data(edited.utf8))
            try writer.close()
            if keepIdentity { try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: path) }
            let entry = try #require(read.entries["stopped-one"])
            // The fields held are still answered; the others are not taken from the new bytes.
            #expect(entry.status == .stopped && entry.generation == 1)
            #expect(entry.contactId == nil, "kept identity: \(keepIdentity)")
            let error = #expect(throws: LockfileError.self) { try read.checkMembersReadBack() }
            #expect(error?.diagnostic.message.contains("it changed while chatctl was reading it") == true)
            // Held in memory (`plan --refresh`), the entries would no longer name the file: the
            // change is told then.
            #expect(throws: LockfileError.self) { _ = try read.heldInMemory() }
            try original.write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: path)
        }
    }

    @Test func neverOverwritesALockfileItCannotRead() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("chatctl.lock.json", "{ not json")
        #expect(throws: LockfileError.self) { try LockfileStore(path: path).read() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{ not json")
    }

    @Test func aSecondLockWaitsForTheTimeoutThenFailsClearly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let first = try LockfileLock.acquire(for: path, timeout: 0)
        let started = Date()
        #expect {
            _ = try LockfileLock.acquire(for: path, timeout: 0.3)
        } throws: { error in
            (error as? LockfileError)?.diagnostic.code == "lockfile.locked"
        }
        #expect(Date().timeIntervalSince(started) >= 0.3)
        first.release()
        let second = try LockfileLock.acquire(for: path, timeout: 0)
        second.release()
    }
}
