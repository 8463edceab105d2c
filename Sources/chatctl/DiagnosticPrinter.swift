import ChatctlJSON
import ChatctlCore
import Foundation

/// Renders diagnostics in every output format: the one place output of problems is
/// shaped (swift-format's printer and Yams' snippets are the model).
struct DiagnosticPrinter {
    /// ANSI colours, only when a person reads a terminal.
    var useColor: Bool
    /// The source line and a caret under the column, after each located diagnostic.
    var showSnippets: Bool

    private var sourceLines: [String: [Substring]] = [:]
    /// Each file's lines that show a customer id, which no snippet shows.
    private var sensitiveLines: [String: SensitiveLines] = [:]

    init(useColor: Bool, showSnippets: Bool) {
        self.useColor = useColor
        self.showSnippets = showSnippets
    }

    // MARK: Text

    /// `path:line:column: error: field.path: message`, then the snippet and hint lines.
    /// Control characters in any of them are escaped (``Terminal/printable(_:keepingTabs:)``):
    /// a file's name, a flag's value or a line of the file could otherwise write escape
    /// sequences to the reader's terminal or forge lines of output.
    mutating func text(_ diagnostic: Diagnostic) -> String {
        let severity = diagnostic.severity.rawValue
        var line = ""
        if let location = diagnostic.location {
            line += paint(Terminal.printable("\(location):"), .bold) + " "
        }
        line += paint(severity + ":", diagnostic.severity == .error ? .red : .yellow) + " "
            + Terminal.printable(diagnostic.text) + "\n"
        if showSnippets, let location = diagnostic.location, !SensitiveValues.isSensitive(fieldPath: diagnostic.path ?? ""),
           let source = self.line(location.line, of: location.file) {
            let number = String(location.line)
            let gutter = String(repeating: " ", count: number.count)
            let prefix = Terminal.printable(
                String(String.UnicodeScalarView(source.unicodeScalars.prefix(max(0, location.column - 1)))),
                keepingTabs: true)
            // Keep tabs so the caret lines up under the same characters.
            let padding = String(String.UnicodeScalarView(prefix.unicodeScalars.map { $0 == "\t" ? "\t" : " " }))
            line += " \(number) | \(Terminal.printable(String(source), keepingTabs: true))\n"
            line += " \(gutter) | \(padding)" + paint("^", .green) + "\n"
        }
        if let hint = diagnostic.hint {
            line += "  " + paint("hint:", .cyan) + " \(Terminal.printable(hint))\n"
        }
        return line
    }

    /// Line `number` of `file`, unless it shows a sensitive value.
    private mutating func line(_ number: Int, of file: String) -> Substring? {
        if sourceLines[file] == nil {
            guard let data = FileManager.default.contents(atPath: file),
                  let text = String(data: data, encoding: .utf8) else { return nil }
            // Numbered as libyaml numbers them (CR LF, CR, NEL, LS and PS end lines too).
            sourceLines[file] = SensitiveValues.sourceLines(of: text)
            sensitiveLines[file] = SensitiveValues.lines(inYAML: [UInt8](data))
        }
        guard let lines = sourceLines[file], lines.indices.contains(number - 1),
              sensitiveLines[file]?.contains(number) == false else { return nil }
        return lines[number - 1]
    }

    // MARK: GitHub Actions

    /// A workflow command: `::error file=…,line=…,col=…::field.path: message`.
    func github(_ diagnostic: Diagnostic) -> String {
        var properties: [String] = []
        if let location = diagnostic.location {
            properties = ["file=\(Self.escapeProperty(Terminal.printable(location.file)))", "line=\(location.line)", "col=\(location.column)"]
        }
        properties.append("title=\(Self.escapeProperty("chatctl \(diagnostic.code)"))")
        var message = Terminal.printable(diagnostic.text)
        if let hint = diagnostic.hint { message += "\n" + Terminal.printable(hint) }
        return "::\(diagnostic.severity.rawValue) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
    }

    private static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    // MARK: Markdown

    /// A table row: location, field, problem (pipes escaped).
    func markdownRow(_ diagnostic: Diagnostic) -> String {
        let location = diagnostic.location.map { "`\(Terminal.printable("\($0)"))`" } ?? ""
        let icon = diagnostic.severity == .error ? "error" : "warning"
        var problem = diagnostic.message
        if let hint = diagnostic.hint { problem += " (\(hint))" }
        func cell(_ text: String) -> String {
            Terminal.printable(text.replacingOccurrences(of: "\n", with: " ")).replacingOccurrences(of: "|", with: "\\|")
        }
        return "| \(icon) | \(location) | \(cell(diagnostic.path.map { "`\($0)`" } ?? "")) | \(cell(problem)) |\n"
    }

    // MARK: JSON

    /// The diagnostic as the JSON object of docs/validation.md (`--format json`).
    static func json(_ diagnostic: Diagnostic) -> JSONValue {
        var members: [String: JSONValue] = [
            "severity": .string(diagnostic.severity.rawValue),
            "file": diagnostic.location.map { .string($0.file) } ?? .null,
            "line": diagnostic.location.map { .integer($0.line) } ?? .null,
            "column": diagnostic.location.map { .integer($0.column) } ?? .null,
            "path": diagnostic.path.map(JSONValue.string) ?? .null,
            "code": .string(diagnostic.code),
            "message": .string(diagnostic.message),
        ]
        if let hint = diagnostic.hint { members["hint"] = .string(hint) }
        return .object(members)
    }

    // MARK: Colour

    private enum Style: String {
        case bold = "1"
        case red = "1;31"
        case yellow = "1;33"
        case green = "32"
        case cyan = "36"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        useColor ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
