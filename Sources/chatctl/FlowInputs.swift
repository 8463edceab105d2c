import ChatctlCore
import ChatctlEmulator
import ChatctlJSON
import Foundation

/// The contact flows and fixtures the emulator runs: `chatctl emulator --flows/--fixtures`,
/// or the project file's `spec.flows` and `spec.flowFixtures` (paths relative to
/// chatctl.yaml). Flow checks live in ChatctlEmulator (ChatctlCore must not depend on it);
/// this is where their problems become diagnostics like every other.
enum FlowInputs {
    /// What was read: the runner for the emulator, the files, and every problem.
    struct Loaded {
        var runner: FlowRunner
        var files: [String]
        var diagnostics: [Diagnostic]
    }

    /// The project's flows folder and fixtures file, resolved against its folder.
    static func paths(project: LoadedProject?) -> (flows: String?, fixtures: String?) {
        guard let project, let spec = project.document.root.jsonValue["spec"] else { return (nil, nil) }
        func resolve(_ key: String) -> String? {
            spec[key]?.stringValue.map { ProfileLoader.join(project.directory, $0) }
        }
        return (resolve("flows"), resolve("flowFixtures"))
    }

    /// Reads and checks a flows folder and a fixtures file (either may be absent).
    static func load(flows: String?, fixtures: String?) -> Loaded {
        var loaded = Loaded(runner: FlowRunner(), files: [], diagnostics: [])
        if let flows {
            let library = FlowLibrary.load(directory: flows)
            loaded.runner.library = library.library
            loaded.files += library.files
            loaded.diagnostics += library.problems.map(diagnostic)
        }
        if let fixtures {
            loaded.files.append(fixtures)
            do {
                let file = try FlowFixturesLoader().load(file: fixtures)
                loaded.diagnostics += file.diagnostics
                if let document = file.document {
                    loaded.runner.fixtures = try FlowFixtures(json: document)
                }
            } catch let error as FlowFixturesError {
                loaded.diagnostics.append(Diagnostic(
                    location: SourceLocation(file: fixtures, line: 1, column: 1), code: "fixtures.value",
                    path: error.path, message: error.message))
            } catch {
                loaded.diagnostics.append(Diagnostic(location: nil, code: "fixtures.schema", message: "\(error)"))
            }
        }
        return loaded
    }

    /// A flow problem as a diagnostic: the same `file:line:column: severity: path: message`.
    static func diagnostic(_ problem: FlowProblem) -> Diagnostic {
        Diagnostic(
            severity: problem.severity == .error ? .error : .warning,
            location: SourceLocation(file: problem.file, line: problem.line, column: problem.column),
            code: problem.code, path: problem.path.isEmpty ? nil : problem.path, message: problem.message)
    }

    /// The runner for `apply --emulator`: the project's flows and fixtures. Problems were
    /// reported by validation, which refuses invalid flows before apply gets here.
    static func runner(project: LoadedProject?) -> FlowRunner {
        let (flows, fixtures) = paths(project: project)
        return load(flows: flows, fixtures: fixtures).runner
    }
}
