/// What the validation stage hands on: the profiles that are valid, and every problem.
public struct ValidationResult: Sendable {
    /// Profiles in load order (files sorted by path, documents in order); empty when the
    /// validation kept summaries or nothing (``ProfileValidator/Retention``).
    public var profiles: [ChatLaunchProfile]
    /// The profiles' summaries in load order, when the validation kept summaries
    /// (``ProfileValidator/Retention/summaries``); empty otherwise.
    public var summaries: [ProfileSummary] = []
    /// The project region the summaries' digests were made with.
    public var summaryProjectRegion: String?
    /// Loads the summarised profiles again, when the validation kept summaries.
    public var reloader: ProfileValidator.ProfileReloader?
    public var project: LoadedProject?
    /// Every file read: the project file, profile files and the project's contact flows
    /// and flow fixtures.
    public var files: [String]
    /// The files of ``files`` that are contact flows or flow fixtures: read because the
    /// project names them, not profiles (a saved plan records profile files only).
    public var flowFiles: [String] = []
    /// All problems of the run, sorted by file and position, repeats removed.
    public var diagnostics: [Diagnostic]

    /// True when no diagnostic is an error (warnings allowed).
    public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }

    /// How many profile documents were read, valid or not.
    public var profileCount: Int
}
