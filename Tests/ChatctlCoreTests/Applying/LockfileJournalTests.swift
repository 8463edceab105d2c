import Foundation
import Testing
@testable import ChatctlCore

@Suite struct LockfileJournalTests {
    /// The journal keeps each entry's bytes between writes; the file must still hold every
    /// change, in the whole encoder's bytes, after each record.
    @Test func everyRecordLeavesTheWholeLockfileOnDiskInTheCodecsBytes() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let store = try LockfileStore(path: path)
        try store.write(LockfileCodecTests.sample)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        let pending = LockEntry(
            digest: "sha256:" + String(repeating: "1", count: 64), generation: 1, clientToken: "t-new", status: .pending)
        var started = pending
        started.status = .started
        started.contactId = "c-new"
        started.startedAt = Date(timeIntervalSince1970: 1_795_000_000)
        var replaced = try #require(LockfileCodecTests.sample.entries["vip-greeting"])
        replaced.generation = 3
        replaced.status = .pending
        let steps: [(String, LockEntry?)] = [
            ("new-one", pending), ("new-one", started), ("vip-greeting", replaced), ("intake", nil), ("new-one", nil),
            ("new-one", pending),
        ]
        for (profile, entry) in steps {
            try await journal.record(entry, for: profile)
            let snapshot = await journal.snapshot()
            #expect(snapshot.entries[profile] == entry)
            let onDisk = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            try IncrementalLockfileTests.expectSame(onDisk, store.codec.encode(snapshot))
            #expect(try store.read() == snapshot)
        }
        #expect(await journal.snapshot().serial == LockfileCodecTests.sample.serial + 1)
    }

    /// One write per group commit: our own temporary file, one fsync of it, one rename,
    /// one fsync of the folder; nothing else touches the disk.
    @Test func eachWriteIsOneFileFlushOneRenameAndOneFolderFlush() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let fileSystem = RecordingFileSystem()
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let journal = LockfileJournal(lockfile: Lockfile(), store: store)
        let entry = LockEntry(
            digest: "sha256:" + String(repeating: "2", count: 64), generation: 1, clientToken: "t", status: .pending)
        try await journal.record(entry, for: "a")
        try await journal.record(entry, for: "b")
        let operations = fileSystem.calls.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(operations == Array(repeating: ["createNew", "write", "fsync", "close", "rename", "fsyncFolder"], count: 2).flatMap { $0 })
        #expect(try store.read().entries.keys.sorted() == ["a", "b"])
    }
}
