import ChatctlAWS
import Foundation

/// Problems reading, writing or locking the lockfile. A lockfile that cannot be read
/// is never overwritten: apply stops before any call is made.
public struct LockfileError: DiagnosticConvertible, Sendable {
    public var diagnostic: Diagnostic

    init(_ code: String, at location: SourceLocation?, _ message: String, hint: String? = nil, path: String? = nil) {
        diagnostic = Diagnostic(location: location, code: code, path: path, message: message, hint: hint)
    }

    static func corrupt(file: String, line: Int, column: Int, reason: String) -> LockfileError {
        LockfileError("lockfile.corrupt", at: SourceLocation(file: file, line: line, column: column),
                      "the lockfile is not valid JSON: \(reason)",
                      hint: "restore it from git (git checkout -- \(file)); chatctl never overwrites a lockfile it cannot read")
    }

    /// - Parameters:
    ///   - line: where the value (or member name) at `path` starts, 1-based; `column` likewise.
    static func invalid(file: String, line: Int = 1, column: Int = 1, path: String, message: String) -> LockfileError {
        LockfileError("lockfile.invalid", at: SourceLocation(file: file, line: line, column: column),
                      "the lockfile does not match its schema: \(message)",
                      hint: "restore it from git; `chatctl schema lockfile` prints the format", path: path)
    }

    static func newerVersion(file: String, line: Int = 1, column: Int = 1, version: Int) -> LockfileError {
        LockfileError("lockfile.version", at: SourceLocation(file: file, line: line, column: column),
                      "the lockfile has lockfileVersion \(version); this chatctl reads versions 1 to \(Lockfile.currentVersion)",
                      hint: "a newer chatctl wrote it: upgrade chatctl")
    }

    static func otherEndpoint(file: String, recorded: LockfileEndpoint, current: LockfileEndpoint) -> LockfileError {
        let hint: String
        switch (recorded, current) {
        case (.emulator, _):
            hint = "this lockfile is a rehearsal: plan, apply and status take --emulator for it (refresh and stop serve real chats only); or name the real lockfile with --lockfile; `apply --emulator` keeps its own lockfile (chatctl.emulator.lock.json) next to the real one"
        case (_, .emulator):
            hint = "`apply --emulator` keeps its own lockfile next to the real one: leave out --lockfile, or name another file"
        default:
            hint = "run against the endpoint the lockfile records, or use another --lockfile; docs/lockfile.md#the-endpoint says how to move"
        }
        return LockfileError("lockfile.endpoint", at: nil,
                             "\(file) records chats made on \(recorded.description); this run is against \(current.description), where they do not exist",
                             hint: hint)
    }

    static func otherInputs(
        file: String, recorded: LockfileInputs, current: LockfileInputs, command: String
    ) -> LockfileError {
        let lockfileFolder = (file as NSString).deletingLastPathComponent
        let from = lockfileFolder.isEmpty ? "" : "from \(lockfileFolder): "
        let again = (["chatctl", command] + recorded.roots).joined(separator: " ")
        return LockfileError(
            "lockfile.inputs", at: nil,
            "\(file) belongs to the inputs [\(recorded.description)]; this run reads [\(current.description)] (paths from the lockfile's folder): planning against it would forget (with prune, stop) the chats of every profile this run does not read",
            hint: "run with the recorded inputs (\(from)\(again)); give these inputs their own lockfile (--lockfile, or the project's spec.lockfile); or, to move the lockfile to these inputs, run again with --adopt-inputs (docs/lockfile.md#the-inputs)")
    }

    // MARK: The journal (docs/lockfile.md, "The journal")

    /// The hint of every journal error: nothing is written until it is resolved.
    private static func journalHint(_ file: String) -> String {
        "chatctl writes neither the lockfile nor \(file) until this is resolved; docs/lockfile.md#the-journal says what to do"
    }

    static func journalUnknown(file: String) -> LockfileError {
        LockfileError("lockfile.journal", at: nil,
                      "\(file): not a chatctl lockfile journal (it does not begin with chatctl-lockfile-journal)",
                      hint: journalHint(file))
    }

    static func journalVersion(file: String, version: String) -> LockfileError {
        LockfileError("lockfile.journal", at: nil,
                      "\(file): the journal has format version \(version.debugDescription); this chatctl reads version \(LockfileJournalFile.version)",
                      hint: "a newer chatctl wrote it: upgrade chatctl, which folds it into the lockfile")
    }

    static func journalDamaged(file: String, record: Int, offset: Int, reason: String, following: Int) -> LockfileError {
        LockfileError("lockfile.journal", at: nil,
                      "\(file): record \(record) (at byte \(offset)) is damaged: \(reason), and \(following) bytes follow it, which may hold results some chats were launched on",
                      hint: journalHint(file))
    }

    static func journalRecordInvalid(file: String, record: Int, offset: Int, reason: String) -> LockfileError {
        LockfileError("lockfile.journal", at: nil,
                      "\(file): record \(record) (at byte \(offset)) is not one chatctl writes: \(reason)",
                      hint: journalHint(file))
    }

    static let journalForeignCode = "lockfile.journal-base"

    static func journalForeign(file: String, lockfile: String) -> LockfileError {
        LockfileError(journalForeignCode, at: nil,
                      "\(file) continues another version of \(lockfile) than the one on disk (the lockfile was replaced or restored after an apply stopped without folding its journal in)",
                      hint: "put back the lockfile the journal belongs to (git log -p \(lockfile)), then run chatctl status; docs/lockfile.md#the-journal says what else to do")
    }

    static func io(file: String, action: String, reason: String) -> LockfileError {
        LockfileError("lockfile.io", at: nil, "\(file): cannot \(action): \(reason)")
    }

    static func serialExhausted(file: String) -> LockfileError {
        LockfileError("lockfile.serial", at: nil,
                      "\(file): the serial is at the largest integer and cannot be incremented",
                      hint: "the lockfile was edited by hand; restore it from git")
    }

    static func tooLarge(file: String, line: Int = 1, column: Int = 1, path: String) -> LockfileError {
        LockfileError("lockfile.invalid", at: SourceLocation(file: file, line: line, column: column),
                      "the lockfile does not match its schema: must be at most \(Int.max)",
                      hint: "restore it from git; `chatctl schema lockfile` prints the format", path: path)
    }

    static func lockTimeout(file: String, seconds: Double) -> LockfileError {
        LockfileError("lockfile.locked", at: nil,
                      "\(file) is locked by another chatctl command (an apply, refresh or stop); gave up after \(SecondsText.text(seconds)) s",
                      hint: "wait for the other command to finish, or raise --lock-timeout")
    }
}
