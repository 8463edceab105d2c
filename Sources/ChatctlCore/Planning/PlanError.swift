/// Problems with what the plan was asked to do (its options), as opposed to the profiles.
public struct PlanError: DiagnosticConvertible, Sendable {
    public var diagnostic: Diagnostic

    static func unknownProfile(_ name: String, flag: String, known: [String]) -> PlanError {
        let hint = Suggestions.closest(to: name, among: known).map { "did you mean \($0)?" }
        return PlanError(diagnostic: Diagnostic(
            location: nil, code: "plan.unknown-profile", message: "\(flag) \(name): no profile has this name", hint: hint))
    }

    static func nothingSelected(_ selector: LabelSelector) -> PlanError {
        PlanError(diagnostic: Diagnostic(
            location: nil, code: "plan.no-selection", message: "--selector \(selector): no profile matches",
            hint: "labels are set in metadata.labels"))
    }

    static func generationExhausted(_ name: String, lockfile generation: Int) -> PlanError {
        PlanError(diagnostic: Diagnostic(
            location: nil, code: "plan.generation",
            message: "\(name): the lockfile's generation \(generation) is the largest integer; a relaunch cannot count past it",
            hint: "the lockfile was edited by hand; restore it from git"))
    }

    /// A profile loaded again for its call (a plan made from summaries) is not the one
    /// validated: its file was edited, or went, while the plan was being made.
    static func profileChanged(_ summary: ProfileSummary) -> PlanError {
        PlanError(diagnostic: Diagnostic(
            location: summary.location, code: "plan.profile-changed",
            message: "\(summary.name) changed while the plan was being made; nothing was planned",
            hint: "its file was edited, removed or made unreadable meanwhile; `chatctl validate` shows it as it is now; "
                + "run the command again once the profiles are no longer being edited"))
    }

    /// A call that sends or shows a request was decided for a profile whose definition the
    /// plan did not load: a defect of chatctl, reported rather than planned without it.
    static func definitionNotLoaded(_ name: String) -> PlanError {
        PlanError(diagnostic: Diagnostic(
            location: nil, code: "plan.internal",
            message: "\(name): its call needs the profile's definition, which this plan did not load (a defect of chatctl); nothing was planned",
            hint: "run `chatctl plan --format json`, which loads every definition, and report this"))
    }

    /// The lockfile's file changed while the member records the plan needed were read back
    /// from it (``Lockfile/checkMembersReadBack()``): what it would list as changed could
    /// come from another version of the lockfile.
    static func lockfileChangedWhileRead(_ error: LockfileError) -> PlanError {
        PlanError(diagnostic: error.diagnostic)
    }

    /// The plan was asked to use summaries made with another project region than its own.
    static func summariesOfAnotherRegion(_ region: String?, expected: String?) -> PlanError {
        PlanError(diagnostic: Diagnostic(
            location: nil, code: "plan.internal",
            message: "the profiles were summarised with project region \(region ?? "(none)"), the plan is for \(expected ?? "(none)") (a defect of chatctl); nothing was planned"))
    }
}
