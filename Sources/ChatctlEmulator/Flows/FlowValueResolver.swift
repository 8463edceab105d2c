/// Flow data the references in a flow's text read: `$.Attributes.x`, `$.External.x`,
/// `$.Lex.IntentName`, `$.Lex.Slots.x`, `$.Lex.SessionAttributes.x`, `$.Channel`.
struct FlowData: Sendable, Hashable {
    var attributes: [String: String]
    var external: [String: String] = [:]
    var lexIntentName: String?
    var lexSlots: [String: String] = [:]
    var lexSessionAttributes: [String: String] = [:]

    /// `text` with every reference replaced by its value; a reference to a value that is not
    /// set becomes empty, as the service renders a missing attribute. A `$` that starts no
    /// known reference stays as written (`$5.00`).
    func interpolate(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let candidate = rest[dollar...]
            if let (value, length) = reference(at: candidate) {
                output += value
                rest = candidate.dropFirst(length)
            } else {
                output += "$"
                rest = candidate.dropFirst()
            }
        }
        return output + rest
    }

    /// The value of a reference at the start of `text`, and how many characters it takes.
    private func reference(at text: Substring) -> (String, Int)? {
        let namespaces: [(String, (String) -> String?)] = [
            ("$.Attributes.", { attributes[$0] }),
            ("$.External.", { external[$0] }),
            ("$.Lex.Slots.", { lexSlots[$0] }),
            ("$.Lex.SessionAttributes.", { lexSessionAttributes[$0] }),
        ]
        for (prefix, lookup) in namespaces where text.hasPrefix(prefix) {
            let key = text.dropFirst(prefix.count).prefix { Self.isKeyCharacter($0) }
            guard !key.isEmpty else { return nil }
            return (lookup(String(key)) ?? "", prefix.count + key.count)
        }
        if text.hasPrefix("$.Lex.IntentName") { return (lexIntentName ?? "", "$.Lex.IntentName".count) }
        if text.hasPrefix("$.Channel") { return ("CHAT", "$.Channel".count) }
        return nil
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-"
    }
}
