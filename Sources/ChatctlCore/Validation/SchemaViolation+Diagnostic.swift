import ChatctlJSON
extension SchemaViolation {
    /// The violation as a diagnostic at its place in `document`: a wrong value at the
    /// value, an unknown key at the key, a missing field at the mapping that lacks it.
    func diagnostic(in document: YAMLNode) -> Diagnostic {
        let location = document.location(of: instancePath, atKey: pointsAtKey)
        let node = document.node(at: instancePath)
        switch kind {
        case .required(let missing):
            return Diagnostic(
                location: location, code: "schema.required",
                path: instancePath.appending(key: missing).fieldPath, message: "is required")
        case .unknownProperty(let name, let allowed):
            let hint = Suggestions.closest(to: name, among: allowed).map { "did you mean \(JSONPointer.quoted($0))?" }
                ?? (allowed.isEmpty ? nil : "allowed here: \(allowed.joined(separator: ", "))")
            return Diagnostic(
                location: location, code: "unknown-field", path: instancePath.fieldPath,
                message: "unknown field", hint: hint)
        case .type(let expected, _):
            if let node, node.isEmptyValue {
                return Diagnostic(
                    location: location, code: "schema.type", path: instancePath.fieldPath,
                    message: "has no value", hint: "give it a value, or remove the key")
            }
            var hint: String?
            if expected.contains("string"), let scalar = node?.scalar, scalar.isPlain {
                hint = "quote the value to make it a string: \(JSONPointer.quoted(scalar.text))"
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
}
