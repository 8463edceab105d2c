import ArgumentParser

/// The `chatctl` command: validate, plan and apply Amazon Connect chat-launch profiles.
@main
struct Chatctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatctl",
        abstract: "Declarative launcher for Amazon Connect chats.",
        discussion: """
            chatctl reads YAML chat-launch profiles kept in git, validates them against \
            a published JSON Schema, plans the StartChatContact calls and runs them, \
            recording every result in a committed lockfile.

            Start with `chatctl validate` in a folder of profiles; `chatctl schema` prints \
            the schema editors use. Documentation: docs/ in the chatctl repository.
            """,
        version: ChatctlVersion.current,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, StatusCommand.self, GraphCommand.self,
            RefreshCommand.self, StopCommand.self, VerifyCommand.self, SchemaCommand.self, EmulatorCommand.self,
        ]
    )
}
