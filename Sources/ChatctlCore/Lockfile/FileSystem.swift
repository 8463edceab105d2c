import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for writing by ``FileSystem/createNew(_:permissions:)``.
public struct OpenedFile: Sendable {
    /// The path it was created at.
    public let path: String
    let handle: FileHandle
}

/// The file-system calls of an atomic write, as a seam: ``PosixFileSystem`` makes them,
/// and a test can wrap it to observe their order (was the temporary file fsynced before
/// the rename? the folder after?) or make one of them fail.
public protocol FileSystem: Sendable {
    /// Creates `path`, which must not exist yet (`O_EXCL`: never follows a planted link),
    /// with `permissions` from the start, and opens it for writing.
    func createNew(_ path: String, permissions: Int) throws(FileSystemError) -> OpenedFile
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8], to file: OpenedFile) throws(FileSystemError)
    /// Flushes the file's data to the disk (fsync).
    func synchronize(_ file: OpenedFile) throws(FileSystemError)
    /// Cuts the file to its first `size` bytes and writes on from there (ftruncate).
    func truncate(_ file: OpenedFile, to size: Int) throws(FileSystemError)
    /// Closes the file.
    func close(_ file: OpenedFile) throws(FileSystemError)
    /// Replaces `destination` by `source` in one step (rename).
    func rename(_ source: String, to destination: String) throws(FileSystemError)
    /// Flushes a folder's entries to the disk (fsync of the folder), which makes a rename durable.
    func synchronizeFolder(_ path: String) throws(FileSystemError)
    /// Removes a file; a file already gone is no error.
    func remove(_ path: String)
    /// The names in a folder, or none when it cannot be read.
    func contentsOfFolder(_ path: String) -> [String]
    /// Where a symbolic link points (relative targets as written), or `nil` when `path`
    /// is not a link.
    func linkDestination(_ path: String) -> String?
    /// What is at `path`, links followed, or `nil` when nothing is.
    func kind(of path: String) -> FileKind?
    /// Opens `path`, which exists, for writing, without creating, truncating or replacing it
    /// (a device or a FIFO a report is written through).
    func openExisting(_ path: String) throws(FileSystemError) -> OpenedFile
}

/// What a path names, as far as replacing it is concerned.
public enum FileKind: Sendable, Equatable {
    /// A regular file: replaced atomically.
    case regular
    /// A folder: never replaced by a file.
    case folder
    /// A device, a FIFO or a socket (`/dev/null`, `/dev/stdout`, a named pipe): replacing
    /// it by a file would remove it, and as root remove a device of `/dev`.
    case special
}

/// A failed file-system call: which, on which path, and the system's reason.
public struct FileSystemError: Error, Sendable, Equatable {
    /// What was attempted, as a verb phrase (`create it`, `flush it to disk`).
    public var action: String
    public var path: String
    public var reason: String

    public init(action: String, path: String, reason: String) {
        self.action = action
        self.path = path
        self.reason = reason
    }

    static func fromErrno(_ action: String, _ path: String) -> FileSystemError {
        FileSystemError(action: action, path: path, reason: String(cString: strerror(errno)))
    }
}

/// The real file system, through POSIX calls.
public struct PosixFileSystem: FileSystem {
    public init() {}

    public func createNew(_ path: String, permissions: Int) throws(FileSystemError) -> OpenedFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(permissions))
        guard descriptor >= 0 else { throw .fromErrno("create it", path) }
        // The umask may have narrowed the mode, never widened it; set it exactly.
        _ = fchmod(descriptor, mode_t(permissions))
        return OpenedFile(path: path, handle: FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

    public func write(_ bytes: [UInt8], to file: OpenedFile) throws(FileSystemError) {
        do {
            try file.handle.write(contentsOf: Data(bytes))
        } catch {
            throw FileSystemError(action: "write it", path: file.path, reason: "\(error)")
        }
    }

    public func synchronize(_ file: OpenedFile) throws(FileSystemError) {
        do {
            try file.handle.synchronize()
        } catch {
            throw FileSystemError(action: "flush it to disk", path: file.path, reason: "\(error)")
        }
    }

    public func truncate(_ file: OpenedFile, to size: Int) throws(FileSystemError) {
        do {
            try file.handle.truncate(atOffset: UInt64(size))
        } catch {
            throw FileSystemError(action: "cut it back to \(size) bytes", path: file.path, reason: "\(error)")
        }
    }

    public func close(_ file: OpenedFile) throws(FileSystemError) {
        do {
            try file.handle.close()
        } catch {
            throw FileSystemError(action: "close it", path: file.path, reason: "\(error)")
        }
    }

    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard systemRename(source, destination) == 0 else { throw .fromErrno("replace it", destination) }
    }

    public func synchronizeFolder(_ path: String) throws(FileSystemError) {
        let folder = open(path, O_RDONLY | O_CLOEXEC)
        guard folder >= 0 else { throw .fromErrno("open its folder", path) }
        defer { _ = systemClose(folder) }
        guard fsync(folder) == 0 else { throw .fromErrno("flush its folder to disk", path) }
    }

    public func remove(_ path: String) {
        _ = unlink(path)
    }

    public func contentsOfFolder(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    public func linkDestination(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    public func kind(of path: String) -> FileKind? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .folder
        default: return .special
        }
    }

    public func openExisting(_ path: String) throws(FileSystemError) -> OpenedFile {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fromErrno("open it", path) }
        return OpenedFile(path: path, handle: FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }
}

// The struct's methods `rename` and `close` hide the C functions of the same names.
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
