import ChatctlCore
import ChatctlJSON
import Foundation

/// Apply's progress: one line rewritten in place on a terminal, plain log lines
/// elsewhere (CI logs keep every step).
final class ApplyProgress: @unchecked Sendable {
    // @unchecked: all state is touched under `lock`; events arrive from worker tasks.
    private let lock = NSLock()
    private let total: Int
    private let live: Bool
    private let quiet: Bool
    private let silent: Bool
    private var done = 0
    private var lineShown = false
    /// The planned calls by profile, for hints that depend on what was sent.
    private let calls: [String: PlannedCall]

    /// - Parameters:
    ///   - silent: print nothing (JSON output: standard output is for the document).
    ///   - calls: the plan's calls, so a failure's hint can say what the request held.
    init(total: Int, options: GlobalOptions, silent: Bool = false, calls: [PlannedCall] = []) {
        self.total = total
        self.calls = Dictionary(calls.map { ($0.profile, $0) }, uniquingKeysWith: { first, _ in first })
        live = Terminal.isTerminal(.standardOutput) && !options.verbose && !silent
        quiet = options.quiet || silent
        self.silent = silent
    }

    func record(_ event: ApplyEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .started(let profile, let action):
            if live {
                show("[\(done)/\(total)] \(action.rawValue) \(profile)…")
            } else if !quiet {
                Terminal.write("\(profile): \(action.rawValue)…\n")
            }
        case .capacityPaused(let profile, let message):
            guard !quiet else { return }
            clearLine()
            Terminal.write("\(profile): the instance's active-chat quota is full, new launches pause: \(message)\n")
        case .finished(let result):
            guard result.outcome != .unchanged else { return }
            done += 1
            clearLine()
            if !silent && (!quiet || result.outcome == .failed) {
                Terminal.write(Self.describe(Self.explained(result, call: calls[result.profile])) + "\n")
            }
            if live && done < total { show("[\(done)/\(total)]") }
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        clearLine()
    }

    /// `result` with a hint that fits the request sent: Amazon Connect answers
    /// ResourceNotFoundException both for a wrong instance or flow and for a persistent
    /// chat's source contact it cannot find, and only the request tells which is likely.
    static func explained(_ result: ApplyReport.Result, call: PlannedCall?) -> ApplyReport.Result {
        guard result.outcome == .failed, result.error?.code == "ResourceNotFoundException",
              let source = call?.request?.persistentChat?.sourceContactId else { return result }
        var result = result
        // With `from:`, the id is filled in at apply time; the profile is what the user wrote.
        let chat = call?.persistenceFrom.map { "the chat of profile \($0)" } ?? "contact \(source)"
        result.error?.hint = "the chat to continue (\(chat)) was not found in the instance: check spec.persistence "
            + "and that that chat ran on the same instance and region; else the instance, flow or region is wrong"
        return result
    }

    /// `vip-greeting: started contact 1f2e… (generation 2)`. What the server said (ids,
    /// messages) is escaped: it may hold control characters.
    static func describe(_ result: ApplyReport.Result) -> String {
        var result = result
        result.contactId = result.contactId.map(Terminal.printable)
        result.message = result.message.map(Terminal.printable)
        let hint = result.error?.hint.map(Terminal.printable)
        result.error?.hint = hint
        switch result.outcome {
        case .started:
            let generation = result.generation.map { " (generation \($0))" } ?? ""
            let note = result.message.map { "; \($0)" } ?? ""
            let replaced = result.stoppedContactId.map { "; stopped the contact it replaced, \(Terminal.printable($0))" } ?? ""
            return "\(result.profile): started contact \(result.contactId ?? "?")\(generation)\(replaced)\(note)"
        case .stopped: return "\(result.profile): stopped contact \(result.contactId ?? "?") and removed it from the lockfile"
        case .forgotten: return "\(result.profile): removed from the lockfile"
        case .failed:
            let place = result.location.map { "\($0): " } ?? ""
            var text = "\(place)error: \(result.profile): \(result.message ?? "failed")"
            if let hint = result.error?.hint { text += "\n  hint: \(hint)" }
            return text
        case .skipped: return "\(result.profile): \(result.message ?? "skipped")"
        case .unchanged: return "\(result.profile): unchanged"
        }
    }

    private func show(_ text: String) {
        Terminal.write("\r\u{1B}[K" + text)
        lineShown = true
    }

    private func clearLine() {
        if lineShown {
            Terminal.write("\r\u{1B}[K")
            lineShown = false
        }
    }
}

/// The closing lines of an apply.
struct ApplySummary {
    let report: ApplyReport
    let outputsPath: String?

    func text(useColor: Bool) -> String {
        let summary = report.summary
        var parts: [String] = []
        for (outcome, label) in [(ApplyReport.Result.Outcome.started, "started"), (.failed, "failed"), (.skipped, "skipped"),
                                 (.stopped, "stopped"), (.forgotten, "forgotten")] {
            if let count = summary[outcome], count > 0 { parts.append("\(count) \(label)") }
        }
        let head = report.hasFailures ? "Apply finished with failures" : "Apply complete"
        var text = "\n\(head): \(parts.isEmpty ? "nothing to do" : parts.joined(separator: ", ")).\n"
        text += "Lockfile: \(report.lockfilePath) (serial \(report.serial)).\n"
        if let outputsPath, summary[.started, default: 0] > 0 {
            text += "Participant tokens: \(outputsPath) (connect within 5 minutes of each start).\n"
        }
        if report.results.contains(where: { $0.outcome == .failed && $0.error?.kind == .ambiguous }) {
            text += "Some launches have an unknown outcome; run apply again to resume them with the same client tokens.\n"
        }
        return text
    }
}

extension ApplySummary {
    /// docs/plan-and-apply.md, "Apply output": one result per profile and the summary, as stable JSON.
    static func json(results: [ApplyReport.Result], lockfilePath: String, serial: Int) -> String {
        var summary: [String: JSONValue] = [:]
        for (outcome, count) in ApplyReport.summary(of: results) { summary[outcome.rawValue] = .integer(count) }
        let items: [JSONValue] = results.map { result in
            var members: [String: JSONValue] = [
                "profile": .string(result.profile), "action": .string(result.action.rawValue),
                "result": .string(result.outcome.rawValue),
            ]
            if let contact = result.contactId { members["contactId"] = .string(contact) }
            if let stopped = result.stoppedContactId { members["stoppedContactId"] = .string(stopped) }
            if let generation = result.generation { members["generation"] = .integer(generation) }
            if let message = result.message { members["message"] = .string(message) }
            if let outcome = result.verification {
                // `apply --verify`: the conversation's verdict, as the lock entry records it.
                var verification: [String: JSONValue] = ["status": .string(outcome.passed ? "passed" : "failed")]
                if let failure = outcome.failure {
                    verification["failedStep"] = .integer(failure.step)
                    verification["reason"] = .string(failure.reason.rawValue)
                }
                members["verification"] = .object(verification)
            }
            if let error = result.applyError, result.error == nil {
                // The lockfile (or the outputs file) could not be written; the outcome of
                // the call itself is known.
                members["error"] = .object([
                    "code": .string(error.underlying.diagnostic.code), "message": .string(error.message),
                    "outcomeKnown": .bool(true),
                ])
            } else if let error = result.error {
                var failure: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
                if let requestId = error.requestId { failure["requestId"] = .string(requestId) }
                if let hint = error.hint { failure["hint"] = .string(hint) }
                failure["outcomeKnown"] = .bool(error.kind != .ambiguous)
                members["error"] = .object(failure)
            }
            if let location = result.location {
                members["file"] = .string(location.file)
                members["line"] = .integer(location.line)
            }
            return .object(members)
        }
        return JSONWriter.pretty.string(.object([
            "formatVersion": .integer(1), "lockfile": .string(lockfilePath), "serial": .integer(serial),
            "results": .array(items), "summary": .object(summary),
        ]))
    }
}
