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
}
