import ArgumentParser
import ChatctlCore

/// `chatctl schema [profile|project|lockfile]`: prints an embedded JSON Schema.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of profiles, the project file or the lockfile.",
        discussion: """
            These are the schemas chatctl validates with, byte for byte the files in the \
            repository's schemas/ folder. Point an editor at them, e.g. with the modeline \
            `# yaml-language-server: $schema=chat-launch-profile.schema.json`.
            """
    )

    enum Which: String, ExpressibleByArgument, CaseIterable {
        case profile
        case project
        case lockfile
    }

    @Argument(help: "Which schema: profile, project or lockfile.")
    var which: Which = .profile

    func run() {
        switch which {
        case .profile: Terminal.write(EmbeddedSchemas.profile)
        case .project: Terminal.write(EmbeddedSchemas.project)
        case .lockfile: Terminal.write(EmbeddedSchemas.lockfile)
        }
    }
}
