import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lockfile's file, held open after ``LockfileDecoder`` has read it, from which an entry's
/// `members` bytes, and the fields a plan does not read of every entry, are read again when
/// something asks for them (``LockEntry/MemberStorage/inFile(_:range:)``, the rows of
/// ``KeptEntryRows``). For `plan`, which never writes: of a large
/// lockfile's entries only those whose definition changed, or that have no profile, are
/// ever asked, so the rest of the other entries (more than half of the file's bytes, and
/// half of what an entry takes in memory) is never kept (issue 15, item 2).
///
/// The open handle keeps a lockfile renamed over this one from being read (an apply's
/// fold), but not the same file rewritten in place (`cp`, `git show … >`, an editor):
/// its identity (device, inode, size, modification time) is taken when it is opened, and
/// a read that finds it changed, or short, fails. The planner checks
/// ``Lockfile/checkMembersReadBack()`` once it has read what it needs, so a plan stops
/// with an error rather than show member changes from another version of the lockfile.
final class LockfileMembersFile: @unchecked Sendable {
    // @unchecked: the handle and `failed` are only used under `lock` (a read is a seek,
    // then a read).
    private let handle: FileHandle
    /// The path the file was opened at, for errors.
    let path: String
    private let lock = NSLock()
    private let identity: Identity?
    private var failed = false
    private var readCount = 0

    /// What tells one content of the file from another without reading it.
    private struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: (seconds: Int, nanoseconds: Int)

        static func == (left: Identity, right: Identity) -> Bool {
            left.device == right.device && left.inode == right.inode && left.size == right.size
                && left.modified == right.modified
        }

        init?(of handle: FileHandle) {
            var info = stat()
            guard fstat(handle.fileDescriptor, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            // Not the change time: unlinking the file (a lockfile renamed over it) changes
            // that, while the bytes held open stay what was read.
            modified = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
        }
    }

    /// Takes ownership of `handle`, opened at `path`, which is closed when this is released.
    init(_ handle: FileHandle, path: String) {
        self.handle = handle
        self.path = path
        identity = Identity(of: handle)
    }

    deinit {
        try? handle.close()
    }

    /// The bytes at `range` of the file (offsets from its start), or `nil` when they can no
    /// longer be read whole, or the file has changed since it was opened (``isIntact``
    /// is then false for good).
    func bytes(_ range: Range<Int>) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        readCount += 1
        guard !failed, let identity, Identity(of: handle) == identity,
              let offset = UInt64(exactly: range.lowerBound),
              (try? handle.seek(toOffset: offset)) != nil,
              let data = try? handle.read(upToCount: range.count), data.count == range.count
        else {
            failed = true
            return nil
        }
        return [UInt8](data)
    }

    /// How many reads were asked of the file (tests: an entry is read back once per step
    /// that reads several of its fields).
    var reads: Int {
        lock.lock()
        defer { lock.unlock() }
        return readCount
    }

    /// Marks the file as no longer the one decoded: an entry read back from it was not the
    /// entry decoded there (``isIntact`` is then false for good).
    func markChanged() {
        lock.lock()
        defer { lock.unlock() }
        failed = true
    }

    /// Whether every read so far returned the bytes the decoder checked, and the file is
    /// still the one it read.
    var isIntact: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !failed, let identity else { return false }
        return Identity(of: handle) == identity
    }
}

extension Lockfile {
    /// Throws when the member records of this lockfile's entries, or the entries, kept in its file
    /// (`plan`, ``LockfileStore/readReplayingJournal(membersInFile:)``), could not be read
    /// back as they were checked: the file was rewritten in place, truncated or could not
    /// be read meanwhile. The planner calls it once it has read the members it needs; a
    /// lockfile read into memory always passes.
    public func checkMembersReadBack() throws(LockfileError) {
        // Every entry read from the file shares it (the rows', or the one an entry names).
        if let rows = entries.keptRows, rows.hasRows {
            try Self.checkIntact(rows.file)
            return
        }
        for entry in entries.values {
            guard let file = entry.fileReadBackFrom else { continue }
            // Every entry read from the file shares it: one answers for all.
            try Self.checkIntact(file)
            return
        }
    }

    private static func checkIntact(_ file: LockfileMembersFile) throws(LockfileError) {
        if !file.isIntact {
            throw .io(
                file: file.path, action: "read it",
                reason: "it changed while chatctl was reading it (rewritten in place, or truncated); run the command again")
        }
    }
}
