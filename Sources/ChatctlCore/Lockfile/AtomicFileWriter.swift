import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file atomically and durably — a temporary file created next to it with its
/// final permissions, fsync, rename over the old one, fsync of the folder — so a crash at
/// any moment leaves the old file or the new one, never a torn or over-readable one.
///
/// A symbolic link is written through: its target is replaced, the link stays. Temporary
/// files carry a name chatctl recognises (`.<name>.chatctl-tmp-<pid>-<n>`), so the
/// leftovers of a killed run are removed by the next one (``removeLeftovers(of:)``).
///
/// Only a regular file is ever replaced: a folder is refused, and so is a device, a FIFO or
/// a socket unless the writer writes through them (``SpecialFiles``).
public struct AtomicFileWriter: Sendable {
    /// What a write to a device, a FIFO or a socket does.
    public enum SpecialFiles: Sendable {
        /// Refused with an error: the lockfile and the participant outputs are files that
        /// are read back and replaced again.
        case refused
        /// Written through, as a shell's `>` would (`--junit /dev/stdout`, `plan --out
        /// fifo`): opened and written, never replaced.
        case writtenThrough
    }

    /// The marker in every temporary file's name.
    static let temporaryMarker = ".chatctl-tmp-"
    /// Symbolic links followed before giving up (the kernel's own limit is 40).
    private static let maximumLinks = 40

    public let fileSystem: any FileSystem
    public let specialFiles: SpecialFiles

    public init(fileSystem: any FileSystem = PosixFileSystem(), specialFiles: SpecialFiles = .refused) {
        self.fileSystem = fileSystem
        self.specialFiles = specialFiles
    }

    /// Replaces `path` (or, for a symbolic link, its target) with `bytes`.
    /// - Parameter permissions: the new file's mode, set when it is created (0o600 for secrets).
    /// - Throws: ``FileSystemError`` naming the failed step; the old file is then untouched
    ///   and the temporary file removed.
    public func write(_ bytes: [UInt8], to path: String, permissions: Int) throws(FileSystemError) {
        try write(to: path, permissions: permissions) { write throws(FileSystemError) in try write(bytes) }
    }

    /// Replaces `path` (or, for a symbolic link, its target) with the bytes `produce` hands
    /// to the function it is given, in order, a piece at a time: a long document need never
    /// be whole in memory. As ``write(_:to:permissions:)``, nothing replaces the old file
    /// unless every piece is written.
    /// - Throws: ``FileSystemError`` as ``write(_:to:permissions:)``, or what `produce` throws.
    public func write(
        to path: String, permissions: Int,
        producing produce: (_ write: ([UInt8]) throws(FileSystemError) -> Void) throws(FileSystemError) -> Void
    ) throws(FileSystemError) {
        if try isWrittenThrough(path) {
            let file = try fileSystem.openExisting(path)
            do throws(FileSystemError) {
                try produce { piece throws(FileSystemError) in try fileSystem.write(piece, to: file) }
            } catch {
                try? fileSystem.close(file)
                throw error
            }
            try fileSystem.close(file)
            return
        }
        let target = try resolvingLinks(path)
        let folder = Self.folder(of: target)
        let temporary = Self.temporaryPath(for: target)
        let file = try fileSystem.createNew(temporary, permissions: permissions)
        do throws(FileSystemError) {
            do throws(FileSystemError) {
                try produce { piece throws(FileSystemError) in try fileSystem.write(piece, to: file) }
                try fileSystem.synchronize(file)
            } catch {
                try? fileSystem.close(file)
                throw error
            }
            try fileSystem.close(file)
            try fileSystem.rename(temporary, to: target)
        } catch {
            fileSystem.remove(temporary)
            throw error
        }
        // The rename is durable only once the folder's entry is on disk too.
        try fileSystem.synchronizeFolder(folder)
    }

    /// Throws what a write to `path` would meet first: its folder missing or read-only,
    /// its links looping. Creates the temporary file a write would and removes it at once;
    /// `path` itself is left as it is.
    /// - Throws: ``FileSystemError`` naming the failed step.
    /// - Throws: ``FileSystemError`` naming `path` and why (a path ending in `/` names a
    ///   folder, which a file cannot replace).
    public func checkWritable(_ path: String) throws(FileSystemError) {
        guard !path.hasSuffix("/") else {
            throw FileSystemError(action: "write it", path: path, reason: "it names a folder (it ends in /)")
        }
        // Opening a FIFO to check it would wait for its reader: what is there is enough.
        if try isWrittenThrough(path) { return }
        let temporary = Self.temporaryPath(for: try resolvingLinks(path))
        let file: OpenedFile
        do {
            file = try fileSystem.createNew(temporary, permissions: 0o600)
        } catch {
            throw FileSystemError(action: "write it", path: path, reason: "cannot create a file in its folder: \(error.reason)")
        }
        try? fileSystem.close(file)
        fileSystem.remove(temporary)
    }

    /// Whether a write to `path` goes through what is there (a device, a FIFO) rather than
    /// replacing it.
    /// - Throws: ``FileSystemError`` for a folder, and for a device, a FIFO or a socket
    ///   when they are ``SpecialFiles/refused``.
    private func isWrittenThrough(_ path: String) throws(FileSystemError) -> Bool {
        switch fileSystem.kind(of: path) {
        case .folder?:
            throw FileSystemError(action: "write it", path: path, reason: "it is a folder")
        case .special?:
            guard specialFiles == .writtenThrough else {
                throw FileSystemError(
                    action: "write it", path: path,
                    reason: "it is not a regular file (a device, a FIFO or a socket), and chatctl replaces only regular files")
            }
            return true
        case .regular?, nil:
            return false
        }
    }

    /// The file a write to `path` replaces: `path` itself, or the end of its chain of
    /// symbolic links.
    /// - Throws: ``FileSystemError`` for a chain longer than 40 links (a loop).
    public func resolvingLinks(_ path: String) throws(FileSystemError) -> String {
        var current = path
        for _ in 0..<Self.maximumLinks {
            guard let destination = fileSystem.linkDestination(current) else { return current }
            current = destination.hasPrefix("/") ? destination : Self.join(Self.folder(of: current), destination)
        }
        throw FileSystemError(action: "follow its symbolic links", path: path, reason: "too many levels of symbolic links")
    }

    /// Removes the temporary files that writes of `path` left behind when their process
    /// was killed; those of a process still running are left alone.
    public func removeLeftovers(of path: String) {
        guard let target = try? resolvingLinks(path) else { return }
        let folder = Self.folder(of: target)
        let prefix = ".\(Self.name(of: target))\(Self.temporaryMarker)"
        for name in fileSystem.contentsOfFolder(folder) where name.hasPrefix(prefix) {
            let owner = name.dropFirst(prefix.count).split(separator: "-").first.flatMap { Int32($0) }
            guard let owner, !Self.isRunning(owner) else { continue }
            fileSystem.remove(Self.join(folder, name))
        }
    }

    private static func isRunning(_ process: Int32) -> Bool {
        if process == getpid() { return false }
        return kill(process, 0) == 0 || errno == EPERM
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    static func name(of path: String) -> String { (path as NSString).lastPathComponent }

    /// A new temporary file's path beside `target`, under a name ``removeLeftovers(of:)``
    /// recognises.
    private static func temporaryPath(for target: String) -> String {
        join(folder(of: target), ".\(name(of: target))\(temporaryMarker)\(getpid())-\(counter.next())")
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Tells apart the temporary files of concurrent writes in one process.
    private static let counter = TemporaryFileCounter()
}

/// A process-wide counter for temporary file names.
private final class TemporaryFileCounter: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value &+= 1
        return value
    }
}
