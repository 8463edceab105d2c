public import Foundation
import ChatctlJSON

/// The reports of a verify run (docs/verify.md, "Reports"), pure functions of the outcomes:
/// JUnit XML for CI test summaries, and one transcript JSON file per chat. Neither holds a
/// token, a connection token or a customer id: the outcomes never carry them.
public struct VerificationReport: Sendable {
    /// One profile's result.
    public struct Case: Sendable {
        /// What happened to the profile's conversation.
        public enum Result: Sendable {
            /// The conversation ran.
            case ran(VerificationOutcome)
            /// It could not start: the launch failed (a JUnit error).
            case error(String)
            /// It was not attempted: a dependency failed (JUnit skipped).
            case skipped(String)
        }

        public var profile: String
        /// The profile's file, as the user named it (the JUnit class name).
        public var file: String
        public var result: Result

        public init(profile: String, file: String, result: Result) {
            self.profile = profile
            self.file = file
            self.result = result
        }
    }

    public var cases: [Case]
    /// When the run started (the suite's timestamp).
    public var startedAt: Date

    public init(cases: [Case], startedAt: Date) {
        self.cases = cases
        self.startedAt = startedAt
    }

    // MARK: JUnit

    /// The JUnit XML document: one `testsuite`, one `testcase` per profile; a failed
    /// conversation is a `failure` whose text names the step and holds the transcript.
    public func junitXML() -> String {
        var failures = 0
        var errors = 0
        var skipped = 0
        var total = 0.0
        var body = ""
        for item in cases {
            var seconds = 0.0
            var inner = ""
            switch item.result {
            case .ran(let outcome):
                seconds = max(0, outcome.finishedAt.timeIntervalSince(outcome.startedAt))
                if let failure = outcome.failure {
                    let tag = failure.reason.isError ? "error" : "failure"
                    if tag == "error" { errors += 1 } else { failures += 1 }
                    let summary = "step \(failure.step): \(failure.reason.rawValue): \(failure.message)"
                    let text = "step \(failure.step) (\(failure.expected)) failed: \(failure.message)\n\ntranscript:\n"
                        + Self.transcriptText(outcome.transcript)
                    inner = "      <\(tag) message=\"\(Self.escaped(summary))\" type=\"\(failure.reason.rawValue)\">"
                        + Self.escaped(text) + "</\(tag)>\n"
                }
            case .error(let message):
                errors += 1
                inner = "      <error message=\"\(Self.escaped(message))\" type=\"launch\"></error>\n"
            case .skipped(let message):
                skipped += 1
                inner = "      <skipped message=\"\(Self.escaped(message))\"></skipped>\n"
            }
            total += seconds
            let open = "    <testcase name=\"\(Self.escaped(item.profile))\" classname=\"\(Self.escaped(item.file))\" time=\"\(Self.seconds(seconds))\""
            body += inner.isEmpty ? open + "/>\n" : open + ">\n" + inner + "    </testcase>\n"
        }
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="chatctl verify" \(counts) time="\(Self.seconds(total))">
              <testsuite name="chatctl verify" \(counts) skipped="\(skipped)" time="\(Self.seconds(total))" timestamp="\(RFC3339.string(from: startedAt))">

            """ + body + "  </testsuite>\n</testsuites>\n"
    }

    /// The transcript as lines for a failure text: `+3s BOT (Billing bot): Our hours are…`.
    static func transcriptText(_ items: [ConversationItem]) -> String {
        guard let first = items.first?.time else { return "(empty)\n" }
        return items.map { item in
            let offset = Int(item.time.timeIntervalSince(first).rounded(.down))
            let who = (item.role?.rawValue ?? item.kind.rawValue) + (item.displayName.map { " (\($0))" } ?? "")
            let what: String = switch item.kind {
            case .message, .attachment: item.content ?? ""
            case .event, .other: "[\(item.contentType)]"
            }
            return "+\(offset)s \(who): \(what)\(item.isComplete ? "" : " [not completed]")\n"
        }.joined()
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    /// `text` safe in XML 1.0 content and attribute values: the five markup characters as
    /// entities, line breaks and tabs as character references (kept in attributes), and the
    /// control characters XML 1.0 cannot carry at all as U+FFFD.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                let value = scalar.value
                let allowed = value >= 0x20 && !(0xFFFE...0xFFFF).contains(value)
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    // MARK: Transcripts

    /// The transcript file of one chat: `{profile, status, startedAt, finishedAt, failure?,
    /// items: [{type, role?, displayName?, contentType, content?, time}]}`, sorted keys,
    /// two-space indent, trailing newline.
    public static func transcriptJSON(profile: String, outcome: VerificationOutcome) -> [UInt8] {
        var members: [String: JSONValue] = [
            "profile": .string(profile),
            "status": .string(outcome.passed ? "passed" : "failed"),
            "startedAt": .string(RFC3339.string(from: outcome.startedAt)),
            "finishedAt": .string(RFC3339.string(from: outcome.finishedAt)),
            "items": .array(outcome.transcript.map(json)),
        ]
        if let failure = outcome.failure {
            members["failure"] = .object([
                "step": .integer(failure.step), "reason": .string(failure.reason.rawValue),
                "expected": .string(failure.expected), "message": .string(failure.message),
            ])
        }
        return JSONWriter.pretty.bytes(.object(members))
    }

    private static func json(_ item: ConversationItem) -> JSONValue {
        var members: [String: JSONValue] = [
            "type": .string(item.kind.rawValue), "contentType": .string(item.contentType),
            "time": .string(RFC3339.string(from: item.time)),
        ]
        if let role = item.role { members["role"] = .string(role.rawValue) }
        if let name = item.displayName { members["displayName"] = .string(name) }
        if let content = item.content { members["content"] = .string(content) }
        if !item.isComplete { members["completed"] = .bool(false) }
        return .object(members)
    }

    /// The transcript file's name for `profile`: its name (profile names are DNS labels,
    /// safe in a path) and `.json`.
    public static func transcriptFileName(profile: String) -> String {
        profile + ".transcript.json"
    }
}
