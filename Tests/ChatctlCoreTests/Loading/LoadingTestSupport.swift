@testable import ChatctlCore

/// Parses `text` (or raw bytes) as a YAML stream named `t.yaml`, returning the documents
/// and diagnostics.
func compose(_ text: String, limits: YAMLLimits = YAMLLimits()) -> (documents: [YAMLDocument], diagnostics: [Diagnostic]) {
    compose(bytes: Array(text.utf8), limits: limits)
}

func compose(bytes: [UInt8], limits: YAMLLimits = YAMLLimits()) -> (documents: [YAMLDocument], diagnostics: [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    let documents = ProfileLoader(limits: limits).documents(in: bytes, file: "t.yaml", diagnostics: &diagnostics)
    return (documents, diagnostics)
}

/// `line:column: code: message` of each diagnostic, for compact assertions.
func summaries(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { d in
        let at = d.location.map { "\($0.line):\($0.column)" } ?? "-"
        return "\(at): \(d.code): \(d.text)"
    }
}
