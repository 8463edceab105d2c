import ArgumentParser
import ChatctlCore

/// `chatctl validate [PATH…]`: load, schema-check and rule-check; no credentials, no network.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check profiles against the schema and the rules between them.",
        discussion: """
            PATH is a file or a folder. A folder with a chatctl.yaml uses it as the project \
            file (its spec.profiles and spec.defaults); otherwise every *.yaml and *.yml \
            file below it is read. With no PATH, the current folder. Needs no credentials \
            and no network. Exits 0 when every profile is valid, 1 when not.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "Files or folders of profiles (default: the current folder).")
    var paths: [String] = []

    func run() throws {
        let result = try Validation.run(paths: paths, retainingProfiles: false)
        let format = options.resolvedFormat(defaultingToGitHubOnActions: true)
        var report = ValidationReport(result: result, options: options)
        switch format {
        case .text: report.printText()
        case .json: Terminal.write(report.json())
        case .markdown: Terminal.write(report.markdown())
        case .github: Terminal.write(report.github())
        }
        if !result.isValid { throw ExitCodes.failure }
    }
}

/// Runs the first two pipeline stages; shared by every command that reads profiles.
enum Validation {
    /// What a command reads: the paths named, or the exact files a saved plan recorded.
    enum Inputs {
        case paths([String])
        /// Only these files are read: no folder is walked (`apply PLAN.json`).
        case recorded(projectFile: String?, profileFiles: [String])
    }

    static func run(paths: [String], retainingProfiles: Bool = true) throws -> ValidationResult {
        try run(.paths(paths), keeping: retainingProfiles ? .profiles : .nothing)
    }

    /// - Parameter keeping: what is kept of each valid profile.
    /// - Parameter discovered: called with the project file (when there is one) once it is
    ///   read, before any profile file is.
    static func run(
        _ inputs: Inputs, keeping retention: ProfileValidator.Retention = .profiles,
        discovered: (LoadedProject?) -> Void = { _ in }
    ) throws -> ValidationResult {
        do {
            let validator = try ProfileValidator()
            let loader = ProfileLoader()
            let discovery: ProfileLoader.Discovery
            let searched: [String]
            switch inputs {
            case .paths(let paths):
                (discovery, searched) = (loader.discover(paths: paths), paths)
            case .recorded(let projectFile, let profileFiles):
                (discovery, searched) = (loader.discover(projectFile: projectFile, profileFiles: profileFiles), profileFiles)
            }
            discovered(discovery.project)
            var result = validator.validate(discovery, searched: searched, loader: loader, keeping: retention)
            // The project's contact flows and fixtures are checked with the profiles.
            let (flows, fixtures) = FlowInputs.paths(project: result.project)
            if flows != nil || fixtures != nil {
                let loaded = FlowInputs.load(flows: flows, fixtures: fixtures)
                result.files += loaded.files
                result.flowFiles = loaded.files
                result.diagnostics = Diagnostic.sortedAndUnique(result.diagnostics + loaded.diagnostics)
            }
            return result
        } catch {
            Terminal.writeError("error: \(error)\n")
            throw ExitCodes.failure
        }
    }
}
