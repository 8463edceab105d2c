import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What loading asks of the file system, as replaceable functions: the real file
/// system by default, while a test can make one answer fail in a way the machine
/// cannot (a folder root can still read).
///
/// Loading never opens a file before knowing it is a regular file: opening a FIFO
/// named `*.yaml` would block for ever.
public struct InputFileSystem: Sendable {
    /// What a path is, read without following a final symlink (`lstat`).
    public enum Kind: Sendable, Hashable {
        case regular
        case directory
        case symlink
        /// A FIFO, socket or device: never read.
        case special
        case missing
    }

    /// The kind of `path` itself (a symlink is `.symlink`).
    public var kind: @Sendable (_ path: String) -> Kind
    /// The kind of what `path` leads to through every symlink; `.missing` for a dangling
    /// link or a symlink loop.
    public var targetKind: @Sendable (_ path: String) -> Kind
    /// The names in a folder; throws when the folder cannot be read.
    public var contentsOfDirectory: @Sendable (_ path: String) throws -> [String]
    /// The absolute path with every symlink resolved (the path itself when it cannot be).
    public var realPath: @Sendable (_ path: String) -> String

    public init(
        kind: @escaping @Sendable (String) -> Kind, targetKind: @escaping @Sendable (String) -> Kind,
        contentsOfDirectory: @escaping @Sendable (String) throws -> [String],
        realPath: @escaping @Sendable (String) -> String
    ) {
        self.kind = kind
        self.targetKind = targetKind
        self.contentsOfDirectory = contentsOfDirectory
        self.realPath = realPath
    }

    /// The machine's file system: the kinds from `lstat`/`stat` directly (Foundation's
    /// `attributesOfItem` builds a dictionary of every attribute and was 3.8% of
    /// `chatctl validate`'s CPU at 100,000 profiles), the rest through Foundation.
    public static let local = InputFileSystem(
        kind: { path in lstatKind(path) },
        targetKind: { path in
            // One lstat answers for all but a symlink (the folders on the way are followed
            // by it already): this runs for every profile file.
            let own = lstatKind(path)
            guard own == .symlink else { return own }
            // stat follows every link of the path; a dangling link or a loop fails.
            var info = stat()
            guard stat(path, &info) == 0 else { return .missing }
            return kind(mode: info.st_mode)
        },
        contentsOfDirectory: { path in try FileManager.default.contentsOfDirectory(atPath: path) },
        realPath: { path in URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path })

    /// The kind of `path` itself, read with `lstat`; `.missing` when it cannot be read.
    static func lstatKind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        return kind(mode: info.st_mode)
    }

    /// The kind a `st_mode` names.
    static func kind(mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .special
        }
    }

    /// What ``contents(of:limit:)`` found in a file.
    public enum ReadOutcome: Equatable {
        case bytes([UInt8])
        /// The file holds more than the limit: `size` bytes (at least the limit plus one).
        case tooLarge(size: Int)
        /// `open` failed.
        case unopenable
        /// `read` failed, with `strerror`'s text.
        case failed(reason: String)
    }

    /// Reads a file whole with `open`/`fstat`/`read` into one array sized by `fstat`: one
    /// copy of the bytes, where Foundation's `FileHandle` read a `Data` that was then
    /// copied into an array (the read was 3% of `chatctl validate`'s CPU at 100,000
    /// profiles). Reading stops one byte past `limit`, however large (or endless) the
    /// file, so no `stat` of the path is needed first.
    public static func contents(of path: String, limit: Int) -> ReadOutcome {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .unopenable }
        defer { close(descriptor) }
        var info = stat()
        let size = fstat(descriptor, &info) == 0 ? max(Int(info.st_size), 0) : 0
        // One byte more than `fstat` says, so the end of the file is seen in the first
        // read's room (a file that grew meanwhile grows the array).
        var bytes = [UInt8](repeating: 0, count: min(size, limit) + 1)
        var filled = 0
        while true {
            let got = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base + filled, buffer.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failed(reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            filled += got
            if filled > limit { return .tooLarge(size: max(size, filled)) }
            if filled == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - bytes.count)))
            }
        }
        bytes.removeLast(bytes.count - filled)
        return .bytes(bytes)
    }

    /// Appends to `bytes` what one `read` of up to `count` bytes gives from the open file
    /// `descriptor` (at its offset): the number of bytes appended, 0 at the file's end,
    /// `nil` when the read fails. Straight into the array: Foundation's
    /// `FileHandle.read(upToCount:)` made a `Data` of 4 KiB reads (60,000 system calls for
    /// a lockfile of 246 MB, issue 15) that was then copied into the array.
    static func append(readingUpTo count: Int, from descriptor: Int32, to bytes: inout [UInt8]) -> Int? {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        while true {
            let got = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base + start, count)
            }
            if got < 0 && errno == EINTR { continue }
            bytes.removeLast(count - max(got, 0))
            return got < 0 ? nil : got
        }
    }

    /// A path as it can be shown: Foundation reads a name that is not valid UTF-8 with
    /// U+FFFD for the bytes it could not decode, and no file has that name. Returns
    /// `nil` when the path can be shown as it is.
    static func undecodableName(_ path: String) -> String? {
        guard path.unicodeScalars.contains("\u{FFFD}") else { return nil }
        return path.replacingOccurrences(of: "\u{FFFD}", with: "\\u{FFFD}")
    }
}
