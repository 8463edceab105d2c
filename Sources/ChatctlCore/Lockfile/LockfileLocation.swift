/// Where the lockfile is (docs/lockfile.md), decided in one place for every command:
/// `--lockfile`, else the project's `spec.lockfile` relative to `chatctl.yaml`, else
/// `chatctl.lock.json` next to `chatctl.yaml`, else in the one folder named on the
/// command line, else in the current folder.
public enum LockfileLocation {
    /// The lockfile's name when nothing else is said.
    public static let defaultName = "chatctl.lock.json"

    /// - Parameters:
    ///   - override: `--lockfile`.
    ///   - projectDirectory: the folder of `chatctl.yaml`, when there is one (`""` for the current folder).
    ///   - configured: the project's `spec.lockfile`.
    ///   - folder: the one folder named on the command line, if that is what was named.
    public static func resolve(override: String?, projectDirectory: String?, configured: String?, folder: String?) -> String {
        if let override { return override }
        if let projectDirectory {
            return ProfileLoader.join(projectDirectory.isEmpty ? "." : projectDirectory, configured ?? defaultName)
        }
        if let folder { return ProfileLoader.join(folder, defaultName) }
        return defaultName
    }

    /// The lockfile `apply --emulator` uses when no `--lockfile` is given: beside the real
    /// one, `.emulator` before its extension (`chatctl.lock.json` → `chatctl.emulator.lock.json`),
    /// so a rehearsal never writes emulator contact ids into the real lockfile.
    public static func emulatorPath(for path: String) -> String {
        for suffix in [".lock.json", ".json"] where path.hasSuffix(suffix) && path.count > suffix.count {
            return String(path.dropLast(suffix.count)) + ".emulator" + suffix
        }
        return path + ".emulator"
    }
}
