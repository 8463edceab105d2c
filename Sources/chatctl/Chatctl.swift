import ArgumentParser

@main
struct Chatctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatctl",
        abstract: "Declarative launcher for Amazon Connect chats."
    )
}
