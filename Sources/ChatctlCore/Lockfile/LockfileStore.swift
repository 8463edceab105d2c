import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lockfile on disk: read it, and replace it atomically — a temporary file in the
/// same folder, fsync, rename over the old one, fsync of the folder — so a crash at any
/// moment leaves either the old or the new file, never a torn one.
public struct LockfileStore: Sendable {
    public let path: String
    private let codec: LockfileCodec

    public init(path: String) throws(EmbeddedSchemaError) {
        self.path = path
        codec = try LockfileCodec()
    }

    /// The lockfile, or an empty one (serial 0) when the file does not exist yet.
    public func read() throws(LockfileError) -> Lockfile {
        guard FileManager.default.fileExists(atPath: path) else { return Lockfile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(file: path, action: "read it", reason: "permission denied or not a regular file")
        }
        return try codec.decode([UInt8](data), file: path)
    }

    /// Replaces the file with `lockfile`, atomically and durably.
    public func write(_ lockfile: Lockfile) throws(LockfileError) {
        let bytes = codec.encode(lockfile)
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = Self.join(directory, ".\((path as NSString).lastPathComponent).tmp-\(getpid())")
        guard FileManager.default.createFile(
            atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o644])
        else { throw .io(file: temporary, action: "write it", reason: String(cString: strerror(errno))) }
        do {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(file: temporary, action: "flush it to disk", reason: "\(error)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(file: path, action: "replace it", reason: reason)
        }
        // The rename is durable only once the folder's entry is on disk too.
        let folder = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
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
    public static func acquire(for lockfilePath: String, timeout: Double) throws(LockfileError) -> LockfileLock {
        let path = lockfilePath + ".lock"
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
