/// The set of inputs a lockfile belongs to (docs/lockfile.md, "The inputs"): the paths a
/// run read its profiles from, as seen from the lockfile's folder.
///
/// A plan forgets (or, with prune, stops) every entry whose profile it does not read, so
/// two repositories, or two path sets, sharing one lockfile would forget each other's
/// chats and launch them again. Recording the roots lets plan and apply refuse another
/// set before anything happens, unless the user adopts it (`--adopt-inputs`).
public struct LockfileInputs: Sendable, Equatable {
    /// The roots: relative to the lockfile's folder, `/`-separated, without `.` or `..`
    /// components except leading `..`s (`.` for the folder itself), sorted by Unicode
    /// scalars, without duplicates. A path that names the project's folder is recorded as
    /// the project file (`chatctl.yaml`), so `chatctl plan`, `plan .` and `plan chatctl.yaml`
    /// in a project are one set.
    public let roots: [String]

    /// The roots as recorded (normalised again, so a hand-edited order does not count as another set).
    public init(roots: [String]) {
        let normalised = Set(roots.map { Self.relative(Self.components($0, base: []), to: []) })
        self.roots = normalised.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    /// The roots of a run.
    /// - Parameters:
    ///   - paths: the files and folders named on the command line (absolute or relative to
    ///     `currentDirectory`); none means the current folder.
    ///   - projectFile: the project file read, when there is one; a path naming its folder stands for it.
    ///   - lockfile: the lockfile's path (absolute or relative to `currentDirectory`).
    ///   - currentDirectory: the absolute current folder.
    public init(paths: [String], projectFile: String?, lockfile: String, currentDirectory: String) {
        let base = Self.components(currentDirectory, base: [])
        let folder = Array(Self.components(lockfile, base: base).dropLast())
        let project = projectFile.map { Self.components($0, base: base) }
        var roots: [String] = []
        for path in paths.isEmpty ? ["."] : paths {
            var absolute = Self.components(path, base: base)
            if let project, absolute == Array(project.dropLast()) { absolute = project }
            roots.append(Self.relative(absolute, to: folder))
        }
        self.init(roots: roots)
    }

    /// How messages show the set: the roots, comma-separated.
    public var description: String { roots.joined(separator: ", ") }

    /// `path`'s components made absolute against `base` (the components of an absolute
    /// folder), with `.` and `..` resolved as text (no symlink is followed: the set is what
    /// the user named). A relative result (only when `base` is empty) keeps its leading `..`s.
    static func components(_ path: String, base: [String]) -> [String] {
        var result = path.hasPrefix("/") ? [] : base
        let relative = !path.hasPrefix("/") && base.isEmpty
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = result.last, last != ".." { result.removeLast() } else if relative { result.append("..") }
            default: result.append(String(part))
            }
        }
        return result
    }

    /// `path` (components) as seen from `folder` (components): `..` up to their common
    /// part, then down; `.` when they are the same.
    static func relative(_ path: [String], to folder: [String]) -> String {
        var common = 0
        while common < path.count, common < folder.count, path[common] == folder[common] { common += 1 }
        let parts = Array(repeating: "..", count: folder.count - common) + path[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
