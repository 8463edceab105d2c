import ArgumentParser
import ChatctlCore
import ChatctlJSON
import Foundation

/// `chatctl status`: the lockfile as a table or JSON.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the lockfile records: each profile's chat, when it started and when it expires.",
        discussion: "Reads only the lockfile (no credentials, no network). PATH finds the project, as for plan."
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "The lockfile (default: the project's spec.lockfile, or chatctl.lock.json).")
    var lockfile: String?

    @Flag(name: .long, help: "Show the emulator's own lockfile (chatctl.emulator.lock.json beside the real one).")
    var emulator = false

    @Argument(help: "The project folder (default: the current folder).")
    var path: String?

    func run() async throws {
        let lockfilePath = try await reportingFailures(options) {
            let real = try Self.lockfilePath(path: path, override: lockfile)
            return emulator && lockfile == nil ? LockfileLocation.emulatorPath(for: real) : real
        }
        let current = try await reportingFailures(options) { try Workspace.readLockfile(at: lockfilePath) }
        let now = Date()
        switch options.resolvedFormat(defaultingToGitHubOnActions: false) {
        case .json: Terminal.write(JSONWriter.pretty.string(Self.json(current, path: lockfilePath, now: now)))
        case .markdown: Terminal.write(Self.table(current, now: now, markdown: true, onlyProblems: options.quiet))
        case .text, .github: Terminal.write(Self.table(current, now: now, markdown: false, onlyProblems: options.quiet))
        }
    }

    /// The lockfile a project folder uses, without validating its profiles.
    static func lockfilePath(path: String?, override: String?) throws -> String {
        let folder = path ?? "."
        var projectDirectory: String?
        var configured: String?
        let projectFile = ProfileLoader.join(folder, ProfileLoader.projectFileName)
        if override == nil, let data = FileManager.default.contents(atPath: projectFile) {
            var diagnostics: [Diagnostic] = []
            let documents = ProfileLoader().documents(in: [UInt8](data), file: projectFile, diagnostics: &diagnostics)
            projectDirectory = folder
            configured = documents.first?.root["spec"]?["lockfile"]?.scalar?.text
        }
        return LockfileLocation.resolve(override: override, projectDirectory: projectDirectory, configured: configured, folder: folder)
    }

    static func state(_ entry: LockEntry, now: Date) -> String {
        if entry.status == .started, entry.hasEnded(at: now) { return "expired" }
        return entry.status.rawValue
    }

    /// - Parameter onlyProblems: `--quiet`: only the entries that need attention (failed or
    ///   pending), and nothing at all when there are none.
    static func table(_ lockfile: Lockfile, now: Date, markdown: Bool, onlyProblems: Bool = false) -> String {
        // The OBSERVED column appears once `chatctl refresh` has recorded something.
        let observing = lockfile.entries.values.contains { $0.observed != nil }
        let header = ["PROFILE", "STATUS", "CONTACT", "STARTED", "EXPIRES"] + (observing ? ["OBSERVED"] : [])
        var rows: [[String]] = []
        for name in lockfile.entries.keys.sorted() {
            guard let entry = lockfile.entries[name] else { continue }
            if onlyProblems, entry.status != .failed, entry.status != .pending { continue }
            var status = state(entry, now: now)
            if let error = entry.error, entry.status != .started { status += " (\(Terminal.printable(error.code)))" }
            rows.append([
                name, status, entry.contactId.map(Terminal.printable) ?? "-", entry.startedAt.map(RFC3339.string) ?? "-",
                entry.expiresAt.map(RFC3339.string) ?? "-",
            ] + (observing ? [entry.observed.map { observed($0, now: now) } ?? "-"] : []))
        }
        if rows.isEmpty { return onlyProblems ? "" : "The lockfile records no chats yet.\n" }
        if markdown {
            return (["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: " --- |", count: header.count)]
                + rows.map { "| " + $0.joined(separator: " | ") + " |" }).joined(separator: "\n") + "\n"
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func format(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([format(header)] + rows.map(format)).joined(separator: "\n") + "\n"
    }

    /// `ended (refreshed 3m ago)`: the observed state and how old the observation is.
    static func observed(_ observation: LockEntry.Observation, now: Date) -> String {
        "\(observation.state.rawValue) (refreshed \(age(now.timeIntervalSince(observation.refreshedAt))) ago)"
    }

    /// Whole seconds, minutes, hours or days, rounded down.
    static func age(_ seconds: TimeInterval) -> String {
        let whole = max(0, Int(seconds.rounded(.down)))
        switch whole {
        case ..<60: return "\(whole)s"
        case ..<3600: return "\(whole / 60)m"
        case ..<86400: return "\(whole / 3600)h"
        default: return "\(whole / 86400)d"
        }
    }

    static func json(_ lockfile: Lockfile, path: String, now: Date) -> JSONValue {
        var entries: [JSONValue] = []
        for name in lockfile.entries.keys.sorted() {
            guard let entry = lockfile.entries[name] else { continue }
            var members: [String: JSONValue] = [
                "profile": .string(name), "status": .string(state(entry, now: now)),
                "generation": .integer(entry.generation),
            ]
            if let contact = entry.contactId { members["contactId"] = .string(contact) }
            if let date = entry.startedAt { members["startedAt"] = .string(RFC3339.string(from: date)) }
            if let date = entry.expiresAt { members["expiresAt"] = .string(RFC3339.string(from: date)) }
            if let observation = entry.observed {
                members["observed"] = .object([
                    "state": .string(observation.state.rawValue),
                    "refreshedAt": .string(RFC3339.string(from: observation.refreshedAt)),
                    "ageSeconds": .integer(max(0, Int(now.timeIntervalSince(observation.refreshedAt).rounded(.down)))),
                ])
            }
            if let error = entry.error { members["error"] = .object(["code": .string(error.code), "message": .string(error.message)]) }
            entries.append(.object(members))
        }
        return .object([
            "formatVersion": .integer(1), "lockfile": .string(path), "serial": .integer(lockfile.serial),
            "profiles": .array(entries),
        ])
    }
}
