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

    /// - Parameter fileSystem: the calls writes make (tests observe them).
    public init(path: String, fileSystem: any FileSystem = PosixFileSystem()) throws(EmbeddedSchemaError) {
        self.path = path
        codec = try LockfileCodec()
        writer = AtomicFileWriter(fileSystem: fileSystem)
    }

    /// The lockfile, or an empty one (serial 0) when the file does not exist yet.
    public func read() throws(LockfileError) -> Lockfile {
        guard FileManager.default.fileExists(atPath: path) else { return Lockfile() }
        // The typed pass reads the file a piece at a time, so a large lockfile is never
        // held whole; anything it does not accept is read again whole, the generic way,
        // which names the problem and its position.
        if let handle = FileHandle(forReadingAtPath: path) {
            defer { try? handle.close() }
            if let lockfile = LockfileDecoder.decode(reading: handle) { return lockfile }
        }
        return try codec.decodeGenerically(try Self.contents(of: path), file: path)
    }

    /// The file's bytes, read in pieces into one array (not also held as the `Data` it was
    /// read into).
    static func contents(of path: String) throws(LockfileError) -> [UInt8] {
        let unreadable = LockfileError.io(file: path, action: "read it", reason: "permission denied or not a regular file")
        guard let handle = FileHandle(forReadingAtPath: path) else { throw unreadable }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
            bytes.reserveCapacity(size.intValue)
        }
        do {
            while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
                bytes.append(contentsOf: piece)
            }
        } catch {
            throw unreadable
        }
        return bytes
    }

    /// Replaces the file with `lockfile`, atomically and durably.
    public func write(_ lockfile: Lockfile) throws(LockfileError) {
        try write(encoded: codec.encode(lockfile))
    }

    /// Replaces the file with `bytes`, a lockfile encoded by ``codec`` (whole, or in parts
    /// by ``IncrementalLockfile``), atomically and durably.
    func write(encoded bytes: [UInt8]) throws(LockfileError) {
        do {
            try writer.write(bytes, to: path, permissions: 0o644)
        } catch {
            throw .io(file: error.path, action: error.action, reason: error.reason)
        }
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
