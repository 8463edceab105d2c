import ChatctlJSON

/// The rules of `spec.verify` (docs/verify.md) that its JSON Schema cannot express,
/// checked after the schema: each `matches` compiles, each duration is in range and no
/// step may wait longer than the whole conversation, and a sent message's content type
/// is one the chat supports. A value the schema already rejected is not checked again.
struct VerifyRules {
    let document: YAMLNode
    let spec: JSONValue
    /// Tells whether the schema already reported a problem at or inside a pointer.
    let isRejected: (JSONPointer) -> Bool

    private static let verifyPointer = JSONPointer([.key("spec"), .key("verify")])

    func check() -> [Diagnostic] {
        guard let verify = spec["verify"], verify.objectValue != nil, !isRejected(Self.verifyPointer) else { return [] }
        var problems: [Diagnostic] = []
        let timeout = duration(verify["timeout"], at: Self.verifyPointer.appending(key: "timeout"), into: &problems)
        let listed = spec["contentTypes"]?.arrayValue?.compactMap(\.stringValue)
        for (index, step) in (verify["steps"]?.arrayValue ?? []).enumerated() {
            let stepPointer = Self.verifyPointer.appending(key: "steps").appending(index: index)
            if let expect = step["expect"] {
                let at = stepPointer.appending(key: "expect")
                let withinAt = at.appending(key: "within")
                if let within = duration(expect["within"], at: withinAt, into: &problems),
                   within > (timeout ?? Conversation.defaultTimeoutSeconds) {
                    let whole = timeout.map { "the timeout of \(Self.format(seconds: $0))" }
                        ?? "the default timeout of \(Self.format(seconds: Conversation.defaultTimeoutSeconds))"
                    problems.append(diagnostic(withinAt, code: "verify.within-exceeds-timeout",
                                               "within \(Self.format(seconds: within)) is longer than \(whole)",
                                               hint: "raise spec.verify.timeout, or shorten this step's within"))
                }
                let patternAt = at.appending(key: "matches")
                if let source = expect["matches"]?.stringValue, !isRejected(patternAt) {
                    do throws(MessagePatternError) {
                        _ = try MessagePattern(source)
                    } catch {
                        problems.append(diagnostic(patternAt, code: "verify.pattern",
                                                   "\(JSONPointer.quoted(source)) is not a valid regular expression",
                                                   hint: "matches takes an ICU regular expression, such as (?i)billing.*9am"))
                    }
                }
            }
            let typeAt = stepPointer.appending(key: "send").appending(key: "contentType")
            if let type = step["send"]?["contentType"]?.stringValue, let listed, !listed.contains(type), !isRejected(typeAt) {
                problems.append(diagnostic(typeAt, code: "content-type.not-listed",
                                           "\(type) is not in contentTypes (\(listed.joined(separator: ", ")))",
                                           hint: "add \(type) to spec.contentTypes, or send the message as one of those"))
            }
        }
        return problems
    }

    /// The seconds of a duration field, reporting one out of range; `nil` when absent,
    /// rejected by the schema, or out of range.
    private func duration(_ value: JSONValue?, at pointer: JSONPointer, into problems: inout [Diagnostic]) -> Int? {
        guard let value, !isRejected(pointer), let seconds = Conversation.seconds(value) else { return nil }
        guard Conversation.seconds.contains(seconds) else {
            let written = value.stringValue ?? "\(seconds)"
            problems.append(diagnostic(pointer, code: "verify.duration-range",
                                       "duration \(written) is outside 1s to 24h",
                                       hint: "write seconds (20), or parts with units h, m, s in that order: 20s, 2m, 1m30s"))
            return nil
        }
        return seconds
    }

    private func diagnostic(_ pointer: JSONPointer, code: String, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(location: document.location(of: pointer), code: code, path: pointer.fieldPath, message: message, hint: hint)
    }

    /// Seconds as the shortest `1h`, `2m`, `1m30s` form, for messages.
    static func format(seconds: Int) -> String {
        var text = ""
        var rest = seconds
        for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
