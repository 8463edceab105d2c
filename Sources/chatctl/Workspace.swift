import ChatctlCore
import ChatctlJSON
import Foundation

/// What the commands that read profiles share: the validated input, the project's
/// settings, and where the lockfile lives.
struct Workspace {
    let validation: ValidationResult
    /// The project file's `spec`, or an empty object.
    let projectSpec: JSONValue
    /// `--lockfile`, else the project's `spec.lockfile` (relative to chatctl.yaml), else
    /// `chatctl.lock.json` in the one folder named, else in the current folder.
    let lockfilePath: String
    /// The set of inputs this run reads, as the lockfile records it; `nil` for a saved plan
    /// of an older chatctl that did not record it (its lockfile's record is then kept).
    var inputs: LockfileInputs?

    /// Loads and validates; prints the problems in the command's format and exits 1
    /// when the input is invalid.
    /// - Parameter emulator: `--emulator`: without `--lockfile`, the emulator's own lockfile
    ///   beside the real one.
    static func load(
        paths: [String], lockfileOverride: String?, emulator: Bool = false, output: OutputFormat, options: GlobalOptions
    ) throws -> Workspace {
        try load(.paths(paths), lockfileOverride: lockfileOverride, emulator: emulator, output: output, options: options)
    }

    static func load(
        _ inputs: Validation.Inputs, lockfileOverride: String?, emulator: Bool = false, output: OutputFormat,
        options: GlobalOptions
    ) throws -> Workspace {
        let validation = try Validation.run(inputs)
        var report = ValidationReport(result: validation, options: options)
        if !validation.isValid {
            // In the format asked for: a JSON reader gets JSON, a pull request its table.
            switch output {
            case .text: report.printText()
            case .json: Terminal.write(report.json())
            case .markdown: Terminal.write(report.markdown())
            case .github: Terminal.write(report.github())
            }
            throw ExitCodes.failure
        }
        switch output {
        case .text: for warning in validation.diagnostics { Terminal.writeError(report.render(warning)) }
        case .github: Terminal.write(validation.diagnostics.map(report.annotation).joined())
        case .json, .markdown: break
        }
        let paths: [String]
        switch inputs {
        case .paths(let named): paths = named
        case .recorded: paths = []
        }
        let spec = validation.project.map { $0.document.root.jsonValue["spec"] ?? .object([:]) } ?? .object([:])
        let real = LockfileLocation.resolve(
            override: lockfileOverride, projectDirectory: validation.project?.directory,
            configured: spec["lockfile"]?.stringValue, folder: paths.count == 1 && Self.isDirectory(paths[0]) ? paths[0] : nil)
        let path = emulator && lockfileOverride == nil ? LockfileLocation.emulatorPath(for: real) : real
        // A saved plan's recorded files are not roots: apply takes the roots it recorded.
        var roots: LockfileInputs?
        if case .paths(let named) = inputs {
            roots = LockfileInputs(
                paths: named, projectFile: validation.project?.file, lockfile: path,
                currentDirectory: FileManager.default.currentDirectoryPath)
        }
        return Workspace(validation: validation, projectSpec: spec, lockfilePath: path, inputs: roots)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The project's `spec.apply` setting `key`.
    func applySetting(_ key: String) -> JSONValue? { projectSpec["apply"]?[key] }

    /// The project's `spec.region`.
    var projectRegion: String? { projectSpec["region"]?.stringValue }

    /// Reads the lockfile; prints the problem and exits 1 when it cannot be read, or when
    /// its chats live on another endpoint than `endpoint` (nothing is written then).
    func readLockfile(for endpoint: LockfileEndpoint) throws -> Lockfile {
        try readLockfile { _ in endpoint }
    }

    /// ``readLockfile(for:)`` with the endpoint chosen from the lockfile read (once).
    func readLockfile(for endpoint: (Lockfile) -> LockfileEndpoint) throws -> Lockfile {
        let lockfile = try Self.readLockfile(at: lockfilePath)
        let endpoint = endpoint(lockfile)
        if let conflict = lockfile.endpointConflict(with: endpoint, file: lockfilePath) {
            throw CommandFailure(conflict.diagnostic)
        }
        return lockfile
    }

    /// Reads the lockfile at `path` with the journal an unfinished apply left beside it
    /// replayed on top, and says so in one line on standard error; writes nothing.
    static func readLockfile(at path: String) throws -> Lockfile {
        do {
            let (lockfile, journal) = try LockfileStore(path: path).readReplayingJournal()
            if let journal, journal.records > 0 {
                Terminal.writeError("warning: \(Terminal.printable(journal.summary)); the next apply, refresh or stop folds it into the lockfile\n")
            }
            return lockfile
        } catch let error as LockfileError {
            throw CommandFailure(error.diagnostic)
        }
    }

    /// Folds the journal an unfinished apply left beside the lockfile at `path` into it,
    /// saying so on standard error: the first thing a command that writes the lockfile does
    /// once it holds the lock.
    static func foldJournal(at path: String) throws {
        do {
            if let journal = try LockfileStore(path: path).foldJournal(), journal.records > 0 {
                Terminal.writeError("note: \(Terminal.printable(journal.summary)); folded into \(Terminal.printable(path))\n")
            }
        } catch let error as LockfileError {
            throw CommandFailure(error.diagnostic)
        }
    }

    /// Refuses a lockfile that belongs to another set of inputs, whose chats this run would
    /// forget or stop, unless `adopt` (`--adopt-inputs`). Checked before anything is planned.
    /// - Parameter command: `plan` or `apply`, for the hint.
    func checkInputs(of lockfile: Lockfile, adopt: Bool, command: String) throws {
        guard !adopt, let inputs, let conflict = lockfile.inputsConflict(with: inputs, file: lockfilePath, command: command)
        else { return }
        throw CommandFailure(conflict.diagnostic)
    }
}

/// A failure to report as one diagnostic, then exit 1.
struct CommandFailure: Error {
    var diagnostic: Diagnostic
    init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
}
