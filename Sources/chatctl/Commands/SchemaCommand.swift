import ArgumentParser
import ChatctlAWS
import ChatctlCore
import ChatctlJSON

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

    @Flag(name: .long, help: "Also print the schema's size and SHA-256 on standard error.")
    var verbose = false

    func run() {
        let text = switch which {
        case .profile: EmbeddedSchemas.profile
        case .project: EmbeddedSchemas.project
        case .lockfile: EmbeddedSchemas.lockfile
        }
        if verbose {
            // The digest lets a user check an editor's copy against the one chatctl uses.
            let id = ((try? JSONParser.parse(text))?["$id"]?.stringValue).map { " \($0)" } ?? ""
            Terminal.writeError("\(which.rawValue) schema\(id): \(text.utf8.count) bytes, sha256 \(SHA256.hexDigest(text))\n")
        }
        Terminal.write(text)
    }
}
