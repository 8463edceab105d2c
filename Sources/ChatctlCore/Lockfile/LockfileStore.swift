import ChatctlAWS
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lockfile on disk: read it, and replace it atomically and durably through an
/// ``AtomicFileWriter`` (temporary file, fsync, rename, fsync of the folder), so a crash at
/// any moment leaves either the old or the new file, never a torn one. A symbolic link
/// is written through to its target.
public struct LockfileStore: Sendable {
    public let path: String
    /// How the file's bytes are made and read.
    let codec: LockfileCodec
    private let writer: AtomicFileWriter
    /// Called, when set, after a reader has opened the journal and before it reads the
    /// lockfile: a test folds the journal in there, the worst moment for the reader.
    var betweenReads: (@Sendable () -> Void)?
    /// Called, when set, after a reader found no journal to open and before it looks
    /// whether one exists: a test makes the journal appear there (a running apply's first
    /// record).
    var afterJournalLook: (@Sendable () -> Void)?

    /// - Parameter fileSystem: the calls writes make (tests observe them).
    public init(path: String, fileSystem: any FileSystem = PosixFileSystem()) throws(EmbeddedSchemaError) {
        self.path = path
        codec = try LockfileCodec()
        writer = AtomicFileWriter(fileSystem: fileSystem)
    }

    /// The lockfile, or an empty one (serial 0) when the file does not exist yet, with the
    /// journal an unfinished apply left beside it replayed on top (``readReplayingJournal()``).
    public func read() throws(LockfileError) -> Lockfile {
        try readReplayingJournal().lockfile
    }

    /// `<lockfile>.journal`, beside the file writes go to (the target of a symbolic link,
    /// like the lock): apply's write-ahead journal (docs/lockfile.md, "The journal").
    public var journalPath: String {
        ((try? writer.resolvingLinks(path)) ?? path) + ".journal"
    }

    /// The lockfile, and what the journal beside it added, if there is one: its records
    /// replayed in memory on top of the lockfile they continue. Writes nothing.
    /// - Throws: ``LockfileError`` for a lockfile that cannot be read, a journal that cannot
    ///   be read without losing a record, or a journal that continues another lockfile.
    /// - Parameter membersInFile: keep each entry's member records only as their place in
    ///   the lockfile's file, held open (read again if something asks for them): for a
    ///   reader that never writes the lockfile (`plan`), whose unchanged entries never do.
    public func readReplayingJournal(
        membersInFile: Bool = false
    ) throws(LockfileError) -> (lockfile: Lockfile, journal: LockfileJournalReplay?) {
        // A reader without the lock (plan, status) can read the lockfile before a running
        // apply's fold and the journal it starts after: it reads both again.
        for _ in 1..<Self.readAttempts {
            do {
                return try readOnce(membersInFile: membersInFile)
            } catch where error.diagnostic.code == LockfileError.journalForeignCode {
                continue
            }
        }
        return try readOnce(membersInFile: membersInFile)
    }

    /// Reads of a lockfile and its journal that disagree before giving up.
    private static let readAttempts = 3

    private func readOnce(membersInFile: Bool) throws(LockfileError) -> (lockfile: Lockfile, journal: LockfileJournalReplay?) {
        let journalPath = journalPath
        // Without a journal (the usual case), the typed pass reads the lockfile a piece at a
        // time, so a large one is never held whole; anything it does not accept is read
        // again whole, the generic way, which names the problem and its position. A
        // journal needs the lockfile's bytes: it names them by their digest.
        //
        // The journal is opened before the lockfile is read: a fold that runs meanwhile
        // (rename the new lockfile in, then remove the journal) cannot then hand this
        // reader the old lockfile without the journal that completes it — an open journal
        // stays readable after its removal, and one already removed means the lockfile
        // read next holds everything it had.
        //
        // A journal that was not there at the first look but is at the second was made
        // meanwhile by a running apply (its first record): it is looked at again, not
        // called unreadable (`chatctl status` beside an apply would otherwise fail).
        var opened: FileHandle?
        for look in 1...2 {
            if try Self.isReadable(journalPath), let handle = FileHandle(forReadingAtPath: journalPath) {
                opened = handle
                break
            }
            afterJournalLook?()
            guard FileManager.default.fileExists(atPath: journalPath) else { break }
            if look == 2 { throw .io(file: journalPath, action: "read it", reason: "permission denied or not a regular file") }
        }
        guard let journalHandle = opened else { return (try readStreaming(membersInFile: membersInFile), nil) }
        defer { try? journalHandle.close() }
        betweenReads?()
        let bytes = try Self.contents(of: path)
        let lockfile = try bytes.map { bytes throws(LockfileError) in try codec.decode(bytes, file: path) } ?? Lockfile()
        let journalBytes = try Self.contents(of: journalHandle, path: journalPath)
        let contents = try LockfileJournalFile.decode(journalBytes, file: journalPath, codec: codec)
        var replay = LockfileJournalReplay(
            path: journalPath, records: contents.records.count, tornBytes: contents.tornBytes, alreadyFolded: false)
        guard let first = contents.records.first else { return (lockfile, replay) }
        let replayed = LockfileJournalFile.replay(contents.records, onto: lockfile)
        if first.base == bytes.map(SHA256.hexDigest) ?? LockfileJournalFile.noBase { return (replayed, replay) }
        // Not the lockfile it began from: the one it was folded into (a run that died
        // between renaming the lockfile and removing the journal) replays to itself.
        guard let bytes, codec.encode(replayed) == bytes else {
            throw .journalForeign(file: journalPath, lockfile: path)
        }
        replay.alreadyFolded = true
        return (replayed, replay)
    }

    /// Folds a journal left beside the lockfile into it (atomically, then removes the
    /// journal), so that a command that writes starts from one file. Call it while holding
    /// the ``LockfileLock``.
    /// - Returns: what was folded in, or `nil` when there was no journal.
    @discardableResult
    public func foldJournal() throws(LockfileError) -> LockfileJournalReplay? {
        guard FileManager.default.fileExists(atPath: journalPath) else { return nil }
        let (lockfile, replay) = try readReplayingJournal()
        if let replay, replay.records > 0, !replay.alreadyFolded {
            try write(lockfile)
        } else {
            do {
                try removeJournal()
            } catch {
                throw .io(file: error.path, action: error.action, reason: error.reason)
            }
        }
        return replay
    }

    /// Replaces the file with `lockfile`, atomically and durably, and removes the journal:
    /// the file then holds everything.
    public func write(_ lockfile: Lockfile) throws(LockfileError) {
        try write(encoded: codec.encode(lockfile))
    }

    /// Replaces the file with `bytes`, a lockfile encoded by ``codec`` (whole, or in parts
    /// by ``IncrementalLockfile``), atomically and durably, then removes the journal.
    func write(encoded bytes: [UInt8]) throws(LockfileError) {
        do {
            try writer.write(bytes, to: path, permissions: 0o644)
            try removeJournal()
        } catch {
            throw .io(file: error.path, action: error.action, reason: error.reason)
        }
    }

    /// The hex SHA-256 of the lockfile's bytes (``LockfileJournalFile/noBase`` when there is
    /// none) and their count: what a new journal continues.
    /// - Throws: ``LockfileError`` when a journal is already there: an earlier run's, not
    ///   folded in (``foldJournal()``); this run's first fold would remove it.
    func currentBase() throws(LockfileError) -> (digest: String, size: Int) {
        if FileManager.default.fileExists(atPath: journalPath) {
            throw .io(file: journalPath, action: "start a journal",
                      reason: "an earlier apply's journal is there, not folded in (apply, refresh and stop fold it in first)")
        }
        guard let bytes = try Self.contents(of: path) else { return (LockfileJournalFile.noBase, 0) }
        return (SHA256.hexDigest(bytes), bytes.count)
    }

    /// Creates the journal (exclusively: a journal left by another run is folded in first)
    /// holding `firstRecord`, and makes it durable: fsync of the file, then of the folder,
    /// once for the life of the journal.
    func createJournal(_ firstRecord: [UInt8]) throws(LockfileError) -> OpenedFile {
        let fileSystem = writer.fileSystem
        let journalPath = journalPath
        do throws(FileSystemError) {
            let file = try fileSystem.createNew(journalPath, permissions: 0o644)
            do throws(FileSystemError) {
                try fileSystem.write(LockfileJournalFile.magic + firstRecord, to: file)
                try fileSystem.synchronize(file)
                try fileSystem.synchronizeFolder(AtomicFileWriter.folder(of: journalPath))
            } catch {
                try? fileSystem.close(file)
                throw error
            }
            return file
        } catch {
            throw .io(file: error.path, action: error.action, reason: error.reason)
        }
    }

    /// Appends `record` to the journal and makes it durable: one write, one fsync.
    func append(_ record: [UInt8], to journal: OpenedFile, truncatingTo goodSize: Int? = nil) throws(LockfileError) {
        do {
            // After a failed append, the journal is first cut back to the bytes known good:
            // a record must never follow part of another.
            if let goodSize { try writer.fileSystem.truncate(journal, to: goodSize) }
            try writer.fileSystem.write(record, to: journal)
            try writer.fileSystem.synchronize(journal)
        } catch {
            throw .io(file: error.path, action: error.action, reason: error.reason)
        }
    }

    /// Closes the journal's file (its records are already durable).
    func close(_ journal: OpenedFile) {
        try? writer.fileSystem.close(journal)
    }

    /// Removes the journal, durably (fsync of its folder), when there is one.
    private func removeJournal() throws(FileSystemError) {
        let journalPath = journalPath
        guard FileManager.default.fileExists(atPath: journalPath) else { return }
        writer.fileSystem.remove(journalPath)
        try writer.fileSystem.synchronizeFolder(AtomicFileWriter.folder(of: journalPath))
    }

    /// The lockfile read by the typed pass, or an empty one when there is no file.
    private func readStreaming(membersInFile: Bool) throws(LockfileError) -> Lockfile {
        guard try Self.isReadable(path) else { return Lockfile() }
        if membersInFile, let handle = FileHandle(forReadingAtPath: path) {
            // The handle stays open as long as an entry may read its members from it.
            if let lockfile = LockfileDecoder.decode(
                reading: handle, size: Self.size(of: handle), membersFile: LockfileMembersFile(handle, path: path)) {
                return lockfile
            }
        } else if let handle = FileHandle(forReadingAtPath: path) {
            defer { try? handle.close() }
            if let lockfile = LockfileDecoder.decode(reading: handle, size: Self.size(of: handle)) { return lockfile }
        }
        guard let bytes = try Self.contents(of: path) else { return Lockfile() }
        return try codec.decodeGenerically(bytes, file: path)
    }

    /// The size of the opened file, read from its start; `nil` when it cannot be told.
    private static func size(of handle: FileHandle) -> Int? {
        guard let end = try? handle.seekToEnd() else { return nil }
        // Back to the start for the read (were that to fail, the typed reading would find no
        // bytes, and the generic one reads the file again by its path).
        guard (try? handle.seek(toOffset: 0)) != nil else { return nil }
        return Int(exactly: end)
    }

    /// The file's bytes (`nil` when there is no file), read in pieces into one array (not
    /// also held as the `Data` it was read into).
    private static func contents(of path: String) throws(LockfileError) -> [UInt8]? {
        guard try isReadable(path) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .io(file: path, action: "read it", reason: "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        return try contents(of: handle, path: path)
    }

    /// Whether `path` (through its symbolic links) is a file to read: `false` when there is
    /// none (a dangling link included); throws for a folder, a FIFO, a socket or a device,
    /// which are never opened (a FIFO would block the reader, and a folder's size is not
    /// its contents').
    private static func isReadable(_ path: String) throws(LockfileError) -> Bool {
        switch InputFileSystem.local.targetKind(path) {
        case .regular: return true
        case .missing: return false
        case .directory: throw .io(file: path, action: "read it", reason: "it is a folder, not a file")
        case .special, .symlink:
            throw .io(file: path, action: "read it", reason: "it is not a regular file (a FIFO, socket or device)")
        }
    }

    /// The bytes of an opened file, read in pieces from its start.
    private static func contents(of handle: FileHandle, path: String) throws(LockfileError) -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            bytes.reserveCapacity(Int(try handle.seekToEnd()))
            try handle.seek(toOffset: 0)
            while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
                bytes.append(contentsOf: piece)
            }
        } catch {
            throw .io(file: path, action: "read it", reason: "permission denied or not a regular file")
        }
        return bytes
    }

    /// Removes the temporary files of earlier runs that were killed mid-write. Call it
    /// while holding the ``LockfileLock``, so no other apply is writing.
    public func removeLeftovers() {
        writer.removeLeftovers(of: path)
    }
}

/// An exclusive lock on `<lockfile>.lock` (flock), held by apply for its whole run so two
/// applies never interleave their writes. Released by ``release()`` or when the value
/// is deallocated; the kernel releases it if the process dies.
public final class LockfileLock: @unchecked Sendable {
    // @unchecked: the descriptor is set once in init and closed once, under `lock`.
    private var descriptor: Int32
    private let lock = NSLock()
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Waits up to `timeout` seconds for the lock next to `lockfilePath`.
    /// - Throws: ``LockfileError`` when another process holds it past the timeout, or
    ///   the lock file cannot be opened.
    /// A symlinked lockfile is locked at its target, where writes go.
    public static func acquire(for lockfilePath: String, timeout: Double) throws(LockfileError) -> LockfileLock {
        let target: String
        do {
            target = try AtomicFileWriter().resolvingLinks(lockfilePath)
        } catch {
            throw .io(file: lockfilePath, action: error.action, reason: error.reason)
        }
        let path = target + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .io(file: path, action: "open it", reason: String(cString: strerror(errno)))
        }
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(descriptor)
                throw .lockTimeout(file: lockfilePath, seconds: timeout)
            }
            usleep(50_000)
        }
        return LockfileLock(descriptor: descriptor, path: path)
    }

    /// Releases the lock; later calls do nothing.
    public func release() {
        lock.lock()
        defer { lock.unlock() }
        guard descriptor >= 0 else { return }
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
