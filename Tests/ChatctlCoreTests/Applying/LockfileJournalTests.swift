import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

@Suite struct LockfileJournalTests {
    static func entry(_ token: String, _ status: LockEntry.Status = .pending) -> LockEntry {
        LockEntry(digest: "sha256:" + String(repeating: "1", count: 64), generation: 1, clientToken: token, status: status)
    }

    /// Every change is durable when `record` returns: the lockfile plus its journal, read
    /// by another reader, is the state so far; once finished, the lockfile alone is, in
    /// the whole encoder's bytes, and the journal is gone.
    @Test func everyRecordIsOnDiskAndTheFoldIsTheCodecsBytes() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let store = try LockfileStore(path: path)
        try store.write(LockfileCodecTests.sample)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        var started = Self.entry("t-new")
        started.status = .started
        started.contactId = "c-new"
        started.startedAt = Date(timeIntervalSince1970: 1_795_000_000)
        var replaced = try #require(LockfileCodecTests.sample.entries["vip-greeting"])
        replaced.generation = 3
        replaced.status = .pending
        let steps: [(String, LockEntry?)] = [
            ("new-one", Self.entry("t-new")), ("new-one", started), ("vip-greeting", replaced), ("intake", nil),
            ("new-one", nil), ("new-one", Self.entry("t-new")),
        ]
        for (profile, entry) in steps {
            try await journal.record(entry, for: profile)
            let snapshot = await journal.snapshot()
            #expect(snapshot.entries[profile] == entry)
            #expect(try LockfileStore(path: path).read() == snapshot)
        }
        #expect(FileManager.default.fileExists(atPath: store.journalPath), "the changes went to the journal")
        #expect(await journal.finish() == nil)
        let snapshot = await journal.snapshot()
        #expect(snapshot.serial == LockfileCodecTests.sample.serial + 1)
        try IncrementalLockfileTests.expectSame(Array(try Data(contentsOf: URL(fileURLWithPath: path))), store.codec.encode(snapshot))
        #expect(!FileManager.default.fileExists(atPath: store.journalPath), "folded in and removed")
    }

    /// A group commit is one append and one fsync; the journal's creation adds one fsync
    /// of the folder; the fold at the end is the atomic write, then the journal's removal
    /// made durable.
    @Test func aRecordIsOneAppendAndOneFlush() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        try LockfileStore(path: path).write(LockfileCodecTests.sample)
        let fileSystem = RecordingFileSystem()
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        try await journal.record(Self.entry("t"), for: "a")
        try await journal.record(Self.entry("t"), for: "b")
        let journalPath = path + ".journal"
        #expect(fileSystem.calls == [
            "createNew 644 \(journalPath)", "write \(journalPath)", "fsync \(journalPath)", "fsyncFolder \(folder.url.path)",
            "write \(journalPath)", "fsync \(journalPath)",
        ])
        #expect(await journal.finish() == nil)
        let operations = fileSystem.calls.dropFirst(6).map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(operations == ["close", "createNew", "write", "fsync", "close", "rename", "fsyncFolder", "remove", "fsyncFolder"])
        #expect(try store.read().entries["b"]?.clientToken == "t")
    }

    /// A kill between a mid-run fold's rename and the journal's removal leaves the new
    /// lockfile beside the old journal. The fold first appends the changes the journal
    /// lacks, so replaying it onto the new lockfile changes nothing and a reader takes the
    /// pair as folded (before, the lockfile held `a started` and the journal ended on
    /// `a pending`, and every command refused the pair).
    @Test func aJournalLeftBesideAMidRunFoldReadsAsFolded() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        try LockfileStore(path: path).write(Lockfile())
        let fileSystem = RecordingFileSystem()
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        // The first record outgrows the near-empty lockfile: the next write folds.
        try await journal.record(Self.entry("t-a"), for: "a")
        var started = Self.entry("t-a", .started)
        started.contactId = "c-a"
        try await journal.record(started, for: "a")
        let left = try #require(fileSystem.journalsRemoved.first, "the write folded and removed the journal")
        try Data(left).write(to: URL(fileURLWithPath: store.journalPath))
        let read = try LockfileStore(path: path).readReplayingJournal()
        #expect(read.lockfile.entries["a"] == started)
        #expect(read.journal?.alreadyFolded == true)
    }

    /// A change made while a fold is being written is not in the lockfile the fold writes:
    /// it must reach the disk in the next record before its caller hears it is durable
    /// (found by CrashSafetyTests: the fold forgot it, the next round acknowledged it
    /// without writing it, and a kill then lost a `pending` entry whose request had left).
    /// Bounded: it waits for a fold, which a journal that never folds would not start.
    @Test(.timeLimit(.minutes(1))) func aChangeMadeDuringAFoldIsOnDiskWhenItsRecordReturns() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        try LockfileStore(path: path).write(Lockfile())
        let release = DispatchSemaphore(value: 0)
        let holding = Locked(false)
        let fileSystem = RecordingFileSystem(beforeRename: {
            if holding.withLock({ $0 }) { release.wait() }
        })
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        // The first record outgrows the near-empty lockfile: b's write folds, held at its rename.
        try await journal.record(Self.entry("t-a"), for: "a")
        holding.withLock { $0 = true }
        let folding = Task { try await journal.record(Self.entry("t-b"), for: "b") }
        while !fileSystem.calls.contains(where: { $0.hasPrefix("createNew") && $0.contains("chatctl-tmp") }) {
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        let meanwhile = Task { try await journal.record(Self.entry("t-c"), for: "c") }
        while await journal.entry("c") == nil { try await Task.sleep(nanoseconds: 1_000_000) }
        holding.withLock { $0 = false }
        release.signal()
        try await folding.value
        try await meanwhile.value
        // What a kill now would leave: c was acknowledged, so it is on disk.
        let onDisk = try LockfileStore(path: path).read()
        #expect(onDisk.entries["c"]?.clientToken == "t-c")
        #expect(onDisk.entries["b"]?.clientToken == "t-b")
    }

    /// One write serves several rounds of group commits. A caller whose change an earlier
    /// round made durable hears success even when a later round of the same write fails:
    /// only the callers whose changes are not on disk hear the failure (before, every
    /// waiter heard it, and apply would have reported a launch whose `pending` record was
    /// durable as one it could not record).
    /// Bounded: it waits for the rounds' flushes.
    @Test(.timeLimit(.minutes(1))) func aFailedRoundFailsOnlyTheChangesItCarried() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        try LockfileStore(path: path).write(LockfileCodecTests.sample)
        let release = DispatchSemaphore(value: 0)
        let held = Locked(0)
        // The first two records are held at their fsync; the third record's write fails.
        let fileSystem = RecordingFileSystem(failing: "write", fromOccurrence: 3, once: true, beforeFlush: {
            if held.withLock({ count in count += 1; return count <= 2 }) { release.wait() }
        })
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        func waitForFlush(_ occurrence: Int) async throws {
            while held.withLock({ $0 }) < occurrence { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        func waitUntilRecorded(_ profile: String) async throws {
            while await journal.entry(profile) == nil { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        // Round 1 carries w; x is recorded while it is held, so round 2 carries x; y is
        // recorded while round 2 is held, so round 3 carries y, and round 3 fails.
        let w = Task { try await journal.record(Self.entry("t-w"), for: "w") }
        try await waitForFlush(1)
        let x = Task { try await journal.record(Self.entry("t-x"), for: "x") }
        try await waitUntilRecorded("x")
        release.signal()
        try await waitForFlush(2)
        let y = Task { try await journal.record(Self.entry("t-y"), for: "y") }
        try await waitUntilRecorded("y")
        release.signal()
        try await w.value
        await #expect(throws: Never.self, "x's record was flushed before round 3 failed") { try await x.value }
        await #expect(throws: LockfileError.self, "y's record never reached the disk") { try await y.value }
        let onDisk = try LockfileStore(path: path).read()
        #expect(onDisk.entries["x"]?.clientToken == "t-x")
        #expect(onDisk.entries["y"] == nil)
    }

    /// A reader without the lock (plan, status) that opens the journal, then meets an
    /// apply's fold before it reads the lockfile, still gets every record: the journal it
    /// holds open stays readable after its removal, and replays onto the folded lockfile
    /// as already folded. Were the lockfile read first, the fold would hand it the old
    /// lockfile and no journal: results the apply had recorded, missing.
    @Test func aFoldBetweenTheReadersTwoReadsLosesNothing() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let store = try LockfileStore(path: path)
        try store.write(LockfileCodecTests.sample)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        try await journal.record(Self.entry("t-a"), for: "a")
        try await journal.record(Self.entry("t-b"), for: "b")
        #expect(FileManager.default.fileExists(atPath: store.journalPath), "the changes are in the journal only")
        let expected = await journal.snapshot()

        var reader = try LockfileStore(path: path)
        let folded = Locked(false)
        reader.betweenReads = {
            folded.withLock { done in
                guard !done else { return }
                done = true
                // The apply's fold: the whole lockfile renamed in, then the journal removed.
                _ = try? LockfileStore(path: path).foldJournal()
            }
        }
        let read = try reader.readReplayingJournal()
        #expect(folded.withLock { $0 })
        #expect(!FileManager.default.fileExists(atPath: store.journalPath), "folded in meanwhile")
        #expect(read.lockfile == expected)
        #expect(read.lockfile.entries["b"]?.clientToken == "t-b")
    }

    @Test func aJournalMadeWhileTheReaderLooksIsReadNotCalledUnreadable() async throws {
        // The reader finds no journal, then an apply writes its first record before the
        // reader looks whether one exists: the reader opens it and replays it.
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let store = try LockfileStore(path: path)
        try store.write(LockfileCodecTests.sample)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        try await journal.record(Self.entry("t-a"), for: "a")
        let expected = await journal.snapshot()
        let journalBytes = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        try FileManager.default.removeItem(atPath: store.journalPath)

        var reader = try LockfileStore(path: path)
        let made = Locked(false)
        reader.afterJournalLook = {
            made.withLock { done in
                guard !done else { return }
                done = true
                try? journalBytes.write(to: URL(fileURLWithPath: store.journalPath))
            }
        }
        let read = try reader.readReplayingJournal()
        #expect(made.withLock { $0 })
        #expect(read.lockfile == expected)
        #expect(read.journal?.records == 1)
    }

    @Test func aJournalThatCannotBeOpenedIsStillAnError() throws {
        // A folder where the journal would be: there, and never readable.
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let store = try LockfileStore(path: path)
        try store.write(LockfileCodecTests.sample)
        try FileManager.default.createDirectory(atPath: store.journalPath, withIntermediateDirectories: false)
        #expect(throws: LockfileError.self) { try store.readReplayingJournal() }
    }

    /// A failed append may leave part of its record at the journal's end: the next append
    /// cuts the journal back to its known good bytes first (a record never follows part of
    /// another, which would make the journal unreadable), and carries the failed record's
    /// changes again.
    @Test func anAppendAfterAFailedOneCutsTheJournalBackFirst() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        try LockfileStore(path: path).write(LockfileCodecTests.sample)
        // Write 1 creates the journal; write 2, b's record, is cut short half-way.
        let fileSystem = RecordingFileSystem(failing: "write", fromOccurrence: 2, once: true)
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let journal = LockfileJournal(lockfile: try store.read(), store: store)
        try await journal.record(Self.entry("t-a"), for: "a")
        await #expect(throws: LockfileError.self) { try await journal.record(Self.entry("t-b"), for: "b") }
        try await journal.record(Self.entry("t-c"), for: "c")
        #expect(fileSystem.calls.contains { $0.hasPrefix("truncate ") })
        let left = try #require(fileSystem.journalsRemoved.last, "the failed append made the next write fold")
        let contents = try LockfileJournalFile.decode(left, file: store.journalPath, codec: store.codec)
        #expect(contents.tornBytes == 0)
        let replayed = LockfileJournalFile.replay(contents.records, onto: LockfileCodecTests.sample)
        #expect(replayed.entries["b"]?.clientToken == "t-b", "the failed record's change, carried again")
        #expect(replayed.entries["c"]?.clientToken == "t-c")
        let lockfile = try LockfileStore(path: path).read()
        #expect(lockfile.entries["b"]?.clientToken == "t-b")
        #expect(lockfile.entries["c"]?.clientToken == "t-c")
    }

    /// The journal is folded in whenever it outgrows the lockfile, so the bytes written per
    /// change stay bounded: a few folds for hundreds of changes, each at most twice the size.
    @Test func theJournalIsFoldedInWhenItOutgrowsTheLockfile() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let fileSystem = RecordingFileSystem()
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let journal = LockfileJournal(lockfile: Lockfile(), store: store)
        let count = 400
        for index in 0..<count {
            try await journal.record(Self.entry("t-\(index)"), for: "p-\(index)")
            var started = Self.entry("t-\(index)", .started)
            started.contactId = "c-\(index)"
            try await journal.record(started, for: "p-\(index)")
        }
        let folds = fileSystem.calls.filter { $0.hasPrefix("rename ") }.count
        #expect(folds >= 3 && folds <= 20, "\(folds) folds for \(2 * count) changes")
        let lockfileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let journalSize = try FileManager.default.attributesOfItem(atPath: store.journalPath)[.size] as? Int ?? 0
        #expect(journalSize <= lockfileSize + 4_096, "a journal never grows far past the lockfile it continues")
        #expect(try LockfileStore(path: path).read() == (await journal.snapshot()))
    }

    /// Random changes, recorded and read back by another reader after each one, then
    /// folded: always the same state, and the fold byte for byte the codec's.
    @Test func replayingRandomChangesGivesTheStateInMemory() async throws {
        let codec = try LockfileCodec()
        var random = SplitMix64(seed: 2026)
        for _ in 0..<8 {
            let folder = try TemporaryFolder()
            let path = folder.path("chatctl.lock.json")
            let store = try LockfileStore(path: path)
            let start = LockfileJournalFileTests.readableLockfile(&random)
            if random.next() % 4 != 0 { try store.write(start) }
            let journal = LockfileJournal(lockfile: start, store: store)
            for _ in 0..<40 {
                let names = LockfileJournalFileTests.names
                let name = names[Int(random.next() % UInt64(names.count))]
                let entry = random.next() % 4 == 0 ? nil : LockfileJournalFileTests.readableEntry(&random)
                try await journal.record(entry, for: name)
                #expect(try LockfileStore(path: path).read() == (await journal.snapshot()))
            }
            #expect(await journal.finish() == nil)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            try IncrementalLockfileTests.expectSame(bytes, codec.encode(await journal.snapshot()))
        }
    }

    /// A journal an earlier run left must be folded in before a new apply records: the new
    /// run's first fold would otherwise remove it, and its records with it.
    @Test func anEarlierRunsJournalIsNeverOverwritten() async throws {
        let folder = try TemporaryFolder()
        let (store, state, journalBytes) = try await LockfileJournalFileTests.killedApply(folder)
        let next = LockfileJournal(lockfile: try store.read(), store: store)
        await #expect(throws: LockfileError.self) { try await next.record(Self.entry("t-9"), for: "later") }
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: store.journalPath))) == journalBytes)
        try store.foldJournal()
        #expect(try store.read() == state)
    }
}
