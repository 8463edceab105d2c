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

    /// - Parameter keeping: what is kept of each valid profile: summaries for a plan whose
    ///   output shows no request of an unchanged profile.
    /// - Parameter discovered: called with the lockfile's path once the project file is
    ///   read, before any profile is (`plan` starts reading the lockfile then).
    static func load(
        _ inputs: Validation.Inputs, lockfileOverride: String?, emulator: Bool = false, output: OutputFormat,
        options: GlobalOptions, keeping retention: ProfileValidator.Retention = .profiles,
        discovered: (_ lockfilePath: String) -> Void = { _ in }
    ) throws -> Workspace {
        let validation = try Validation.run(inputs, keeping: retention) { project in
            discovered(lockfilePath(inputs, project: project, override: lockfileOverride, emulator: emulator))
        }
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
        let spec = Self.projectSpec(validation.project)
        let path = lockfilePath(inputs, project: validation.project, override: lockfileOverride, emulator: emulator)
        // A saved plan's recorded files are not roots: apply takes the roots it recorded.
        var roots: LockfileInputs?
        if case .paths(let named) = inputs {
            roots = LockfileInputs(
                paths: named, projectFile: validation.project?.file, lockfile: path,
                currentDirectory: FileManager.default.currentDirectoryPath)
        }
        return Workspace(validation: validation, projectSpec: spec, lockfilePath: path, inputs: roots)
    }

    /// The project file's `spec`, or an empty object.
    private static func projectSpec(_ project: LoadedProject?) -> JSONValue {
        project.map { $0.document.root.jsonValue["spec"] ?? .object([:]) } ?? .object([:])
    }

    /// Where the lockfile of `inputs` is (``lockfilePath``), once the project file is read.
    private static func lockfilePath(
        _ inputs: Validation.Inputs, project: LoadedProject?, override: String?, emulator: Bool
    ) -> String {
        let paths: [String]
        switch inputs {
        case .paths(let named): paths = named
        case .recorded: paths = []
        }
        let real = LockfileLocation.resolve(
            override: override, projectDirectory: project?.directory,
            configured: projectSpec(project)["lockfile"]?.stringValue,
            folder: paths.count == 1 && Self.isDirectory(paths[0]) ? paths[0] : nil)
        return emulator && override == nil ? LockfileLocation.emulatorPath(for: real) : real
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The project's `spec.apply` setting `key`.
    func applySetting(_ key: String) -> JSONValue? { projectSpec["apply"]?[key] }

    /// The project's `spec.region`.
    var projectRegion: String? { validation.project?.region }

    /// Reads the lockfile; prints the problem and exits 1 when it cannot be read, or when
    /// its chats live on another endpoint than `endpoint` (nothing is written then).
    func readLockfile(for endpoint: LockfileEndpoint) throws -> Lockfile {
        try readLockfile { _ in endpoint }
    }

    /// ``readLockfile(for:)`` with the endpoint chosen from the lockfile read (once).
    /// - Parameter started: a read of this workspace's lockfile begun earlier (by `plan`,
    ///   while the profiles were validated), whose result is taken instead of reading again.
    func readLockfile(started: LockfileReading? = nil, for endpoint: (Lockfile) -> LockfileEndpoint) throws -> Lockfile {
        let lockfile: Lockfile
        if let started, started.path == lockfilePath {
            lockfile = try Self.reported(started.result(), path: lockfilePath)
        } else {
            lockfile = try Self.readLockfile(at: lockfilePath)
        }
        let endpoint = endpoint(lockfile)
        if let conflict = lockfile.endpointConflict(with: endpoint, file: lockfilePath) {
            throw CommandFailure(conflict.diagnostic)
        }
        return lockfile
    }

    /// Reads the lockfile at `path` with the journal an unfinished apply left beside it
    /// replayed on top, and says so in one line on standard error; writes nothing.
    static func readLockfile(at path: String) throws -> Lockfile {
        try reported(LockfileReading.read(path), path: path)
    }

    /// The lockfile of a read, saying on standard error that a journal was replayed;
    /// its error as the command's failure.
    private static func reported(_ read: LockfileReading.Outcome, path: String) throws -> Lockfile {
        switch read {
        case .success(let (lockfile, journal)):
            if let journal, journal.records > 0 {
                Terminal.writeError("warning: \(Terminal.printable(journal.summary)); the next apply, refresh or stop folds it into the lockfile\n")
            }
            return lockfile
        case .failure(let error as LockfileError):
            throw CommandFailure(error.diagnostic)
        case .failure(let error):
            throw error
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

/// A read of the lockfile (with its journal replayed, writing nothing) on a thread of its
/// own, begun before the profiles are validated: the typed decoder reads on one core, so
/// a large lockfile is read while the validation takes the others (issue 15, item 2).
final class LockfileReading: @unchecked Sendable {
    // @unchecked: `outcome` is written once by the reading thread before it signals `done`,
    // and read only after waiting for `done`; `finished` only under `lock`.
    typealias Outcome = Result<(lockfile: Lockfile, journal: LockfileJournalReplay?), any Error>

    let path: String
    private var outcome: Outcome?
    private let done = DispatchSemaphore(value: 0)
    /// Guards `finished`, which other threads read while the lockfile is being read.
    private let lock = NSLock()
    private var finished: Lockfile?

    /// Starts reading the lockfile at `path`.
    init(path: String) {
        self.path = path
        let thread = Thread { [self] in
            let read = Self.read(path, membersInFile: true)
            outcome = read
            if case .success(let (lockfile, _)) = read { lock.withLock { finished = lockfile } }
            done.signal()
        }
        // The decoder's recursion is bounded (64 levels), but not by a secondary thread's default stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The lockfile read, if the read has finished and succeeded; `nil` otherwise, without
    /// waiting (the validation workers ask it which profiles a plan will need whole).
    var lockfileIfRead: Lockfile? { lock.withLock { finished } }

    /// What the read gave, once it has finished.
    func result() -> Outcome {
        done.wait()
        done.signal()
        // Always set before `done` is signalled; were it ever not, an error, never an empty
        // lockfile (a plan against one would launch every profile again).
        return outcome ?? .failure(CommandFailure(Diagnostic(
            location: nil, code: "lockfile.io", message: "\(path): the lockfile could not be read")))
    }

    /// Reads the lockfile at `path` and replays its journal, on the calling thread.
    /// - Parameter membersInFile: keep the entries' member records only as their place in
    ///   the file (``LockfileStore/readReplayingJournal(membersInFile:)``): for `plan`,
    ///   which never writes the lockfile it read.
    static func read(_ path: String, membersInFile: Bool = false) -> Outcome {
        Result { try LockfileStore(path: path).readReplayingJournal(membersInFile: membersInFile) }
    }
}
