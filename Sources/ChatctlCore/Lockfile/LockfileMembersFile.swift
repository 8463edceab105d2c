import Foundation

/// A lockfile's file, held open after ``LockfileDecoder`` has read it, from which an entry's
/// `members` bytes are read again when something asks for them
/// (``LockEntry/MemberStorage/inFile(_:range:)``). For `plan`, which never writes: of a
/// large lockfile's entries only those whose definition changed are ever asked, so the
/// other entries' member records (more than half of the file) are never kept in memory
/// (issue 15, item 2).
final class LockfileMembersFile: @unchecked Sendable {
    // @unchecked: the handle is only used under `lock` (a read is a seek, then a read).
    private let handle: FileHandle
    private let lock = NSLock()

    /// Takes ownership of `handle`, which is closed when this is released.
    init(_ handle: FileHandle) {
        self.handle = handle
    }

    deinit {
        try? handle.close()
    }

    /// The bytes at `range` of the file (offsets from its start), or `nil` when they can no
    /// longer be read whole.
    func bytes(_ range: Range<Int>) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard let offset = UInt64(exactly: range.lowerBound),
              (try? handle.seek(toOffset: offset)) != nil,
              let data = try? handle.read(upToCount: range.count), data.count == range.count
        else { return nil }
        return [UInt8](data)
    }
}
