/// A problem in a flow file, at the line and column of the value that must change.
public struct FlowProblem: Sendable, Hashable, CustomStringConvertible {
    /// Whether the flow can run despite the problem.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// `error` stops the flow from loading; `warning` (an action type the emulator does not
    /// know) does not.
    public var severity: Severity
    /// The flow file, as given.
    public var file: String
    /// 1-based.
    public var line: Int
    /// 1-based, in Unicode scalars.
    public var column: Int
    /// The field path, as in `Actions[3].Transitions.NextAction`; empty for the whole file.
    public var path: String
    /// A stable identifier of the rule, such as `flow.reference`.
    public var code: String
    /// What is wrong: lowercase, no trailing period.
    public var message: String

    /// Creates a problem.
    public init(severity: Severity = .error, file: String, line: Int, column: Int, path: String, code: String, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.code = code
        self.message = message
    }

    /// `file:line:column: error: path: message`, the way profile diagnostics read.
    public var description: String {
        "\(file):\(line):\(column): \(severity.rawValue): " + (path.isEmpty ? message : "\(path): \(message)")
    }
}
