import ArgumentParser

/// chatctl's exit codes (docs/plan-and-apply.md, "Exit codes"). Usage errors keep ArgumentParser's own code.
enum ExitCodes {
    /// Success; for `plan --detailed-exitcode`, no changes.
    static let success = ExitCode(0)
    /// An error: invalid input, a failed call, anything that stopped the command.
    static let failure = ExitCode(1)
    /// `plan --detailed-exitcode`: the plan has changes.
    static let planHasChanges = ExitCode(2)
    /// `apply`: finished, but some profiles failed (the rest applied and recorded).
    static let partialFailure = ExitCode(3)
}
