import ChatctlJSON
extension Array where Element == SchemaViolation {
    /// Unknown fields of one document that get a "did you mean"; the rest get none.
    /// Each suggestion costs an edit distance per allowed name: a bound keeps a document
    /// of 100,000 unknown keys as fast to check as any other (docs/robustness.md, "Hostile inputs").
    static let suggestionBudget = 100

    /// The violations of one document as diagnostics, their places found through one
    /// ``YAMLLocator`` so that placing them all stays linear.
    func diagnostics(in document: YAMLNode) -> [Diagnostic] {
        let locator = YAMLLocator(document)
        var suggestionsLeft = Self.suggestionBudget
        return map { violation in
            let suggests = suggestionsLeft > 0
            if case .unknownProperty = violation.kind { suggestionsLeft -= 1 }
            return violation.diagnostic(in: locator, suggesting: suggests)
        }
    }
}

extension SchemaViolation {
    /// The violation as a diagnostic at its place in `document`: a wrong value at the
    /// value, an unknown key at the key, a missing field at the mapping that lacks it.
    func diagnostic(in document: YAMLNode) -> Diagnostic {
        diagnostic(in: YAMLLocator(document))
    }

    /// The violation as a diagnostic, its place found through `locator` (shared by all
    /// the violations of one document, so that finding them all stays linear).
    /// - Parameter suggesting: whether an unknown field gets a "did you mean".
    func diagnostic(in locator: YAMLLocator, suggesting: Bool = true) -> Diagnostic {
        let location = locator.location(of: instancePath, atKey: pointsAtKey)
        var node: YAMLNode? { locator.node(at: instancePath) }
        switch kind {
        case .required(let missing):
            return Diagnostic(
                location: location, code: "schema.required",
                path: instancePath.appending(key: missing).fieldPath, message: "is required")
        case .unknownProperty(let name, let allowed):
            let suggestion = suggesting ? Suggestions.closest(to: name, among: allowed) : nil
            let hint = suggestion.map { "did you mean \(JSONPointer.quoted($0))?" }
                ?? (allowed.isEmpty ? nil : "allowed here: \(allowed.joined(separator: ", "))")
            // A key that may hold a customer id in its own text is not printed.
            let path = SensitiveValues.mayHoldValue(key: name)
                ? JSONPointer(instancePath.components.dropLast() + [.key(SensitiveValues.redactedKey)]) : instancePath
            return Diagnostic(
                location: location, code: "unknown-field", path: path.fieldPath,
                message: "unknown field", hint: hint)
        case .type(let expected, _):
            let node = node
            if let node, node.isEmptyValue {
                return Diagnostic(
                    location: location, code: "schema.type", path: instancePath.fieldPath,
                    message: "has no value", hint: "give it a value, or remove the key")
            }
            var hint: String?
            if let scalar = node?.scalar, scalar.isPlain {
                hint = Self.typeHint(expected: expected, plain: scalar.text, under: instancePath)
            }
            return Diagnostic(
                location: location, code: "schema.type", path: instancePath.fieldPath, message: message, hint: hint)
        case .enumMismatch(let allowed):
            let names = allowed.compactMap(\.stringValue)
            // With one allowed value the message already names it.
            let hint = names.count < 2 ? nil : node?.scalar.flatMap { Suggestions.closest(to: $0.text, among: names) }
                .map { "did you mean \(JSONPointer.quoted($0))?" }
            return Diagnostic(
                location: location, code: "schema.enum", path: instancePath.fieldPath, message: message, hint: hint)
        case .other:
            return Diagnostic(
                location: location, code: "schema.\(keyword)", path: instancePath.fieldPath, message: message)
        }
    }

    /// Words YAML 1.1 read as booleans and YAML 1.2 (which chatctl follows) reads as strings.
    private static let yaml11Booleans: Set<String> = ["yes", "no", "on", "off", "y", "n"]

    /// The hint for a plain scalar of the wrong type.
    private static func typeHint(expected: [String], plain text: String, under path: JSONPointer) -> String? {
        if expected.contains("boolean"), yaml11Booleans.contains(text.lowercased()) {
            return "YAML 1.2 reads \(text) as a string, not a boolean; write true or false"
        }
        let isSegmentValue = path.components.contains(.key("segmentAttributes"))
        if isSegmentValue, expected.contains("object"), case .integer = YAMLScalarResolver.resolve(plain: text) {
            return "write {valueInteger: \(text)} for a number, or quote it (\(JSONPointer.quoted(text))) for a string"
        }
        if expected.contains("string") {
            // Never with a value chatctl does not print (a customer id written as a number).
            if SensitiveValues.isSensitive(path) { return "quote the value to make it a string" }
            return "quote the value to make it a string: \(JSONPointer.quoted(text))"
        }
        return nil
    }
}
