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
