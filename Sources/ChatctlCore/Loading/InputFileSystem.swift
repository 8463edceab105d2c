import Foundation

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

    /// The machine's file system, through Foundation.
    public static let local = InputFileSystem(
        kind: { path in
            // attributesOfItem reads with lstat: a symlink is reported as one.
            guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            else { return .missing }
            return Self.kind(of: type)
        },
        targetKind: { path in
            // One lstat answers for all but a symlink (the folders on the way are followed
            // by it already): this runs for every profile file.
            guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            else { return .missing }
            guard type == .typeSymbolicLink else { return Self.kind(of: type) }
            // `fileExists` follows every link; then the resolved path's own type.
            guard FileManager.default.fileExists(atPath: path) else { return .missing }
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard let type = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.type] as? FileAttributeType
            else { return .missing }
            return Self.kind(of: type)
        },
        contentsOfDirectory: { path in try FileManager.default.contentsOfDirectory(atPath: path) },
        realPath: { path in URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path })

    private static func kind(of type: FileAttributeType) -> Kind {
        switch type {
        case .typeRegular: .regular
        case .typeDirectory: .directory
        case .typeSymbolicLink: .symlink
        default: .special
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
