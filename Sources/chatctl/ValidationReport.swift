import ChatctlJSON
import ChatctlCore

/// The output of `chatctl validate` in each format.
struct ValidationReport {
    let result: ValidationResult
    let options: GlobalOptions
    private var printer: DiagnosticPrinter

    init(result: ValidationResult, options: GlobalOptions) {
        self.result = result
        self.options = options
        let color = options.usesColor(on: .standardError)
        printer = DiagnosticPrinter(useColor: color, showSnippets: Terminal.isTerminal(.standardError))
    }

    private var errorCount: Int { result.diagnostics.filter { $0.severity == .error }.count }
    private var warningCount: Int { result.diagnostics.count - errorCount }

    /// Problems to standard error, the summary to standard output on success.
    mutating func printText() {
        // One write per thousand diagnostics, not one system call each.
        var pending = ""
        for (index, diagnostic) in result.diagnostics.enumerated() {
            pending += printer.text(diagnostic)
            if index % 1000 == 999 {
                Terminal.writeError(pending)
                pending = ""
            }
        }
        Terminal.writeError(pending)
        if result.isValid {
            if !options.quiet { Terminal.write(summary + "\n") }
        } else {
            Terminal.writeError(summary + "\n")
        }
    }

    /// One diagnostic as text, with snippet and colour as the terminal allows.
    mutating func render(_ diagnostic: Diagnostic) -> String {
        printer.text(diagnostic)
    }

    /// `9 profiles in 4 files: valid (1 warning)` or `found 2 errors in 4 files`.
    var summary: String {
        let profiles = counted(result.profileCount, "profile")
        let files = counted(result.files.count, "file")
        let warnings = warningCount > 0 ? " (\(counted(warningCount, "warning")))" : ""
        if result.isValid { return "\(profiles) in \(files): valid\(warnings)" }
        let problems = [counted(errorCount, "error"), warningCount > 0 ? counted(warningCount, "warning") : nil]
            .compactMap { $0 }.joined(separator: " and ")
        return "found \(problems) in \(profiles), \(files)"
    }

    /// docs/validation.md: `{"formatVersion": 1, "valid", "files", "profiles", "diagnostics"}`.
    func json() -> String {
        JSONWriter.pretty.string(.object([
            "formatVersion": .integer(1),
            "valid": .bool(result.isValid),
            "files": .integer(result.files.count),
            "profiles": .integer(result.profileCount),
            "diagnostics": .array(result.diagnostics.map(DiagnosticPrinter.json)),
        ]))
    }

    /// One diagnostic as a GitHub Actions workflow command.
    func annotation(_ diagnostic: Diagnostic) -> String {
        printer.github(diagnostic)
    }

    func github() -> String {
        result.diagnostics.map(printer.github).joined() + "\(summary)\n"
    }

    func markdown() -> String {
        var text = "### chatctl validate\n\n\(result.isValid ? "✅" : "❌") \(summary)\n"
        guard !result.diagnostics.isEmpty else { return text }
        text += "\n| severity | location | field | problem |\n| --- | --- | --- | --- |\n"
        text += result.diagnostics.map(printer.markdownRow).joined()
        return text
    }
}
