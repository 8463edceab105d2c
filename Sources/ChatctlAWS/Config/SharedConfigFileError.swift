/// A shared config or credentials file that cannot be read or parsed. Messages are
/// lowercase with no trailing period and never quote a line's value (it may be a secret).
public struct SharedConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as shown to the user, for example `~/.aws/config`.
    public var path: String
    /// The 1-based line of a syntax error, or `nil` when the whole file is at fault.
    public var line: Int?
    /// What is wrong, for example `expected "key = value"`.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - path: the file as shown to the user.
    ///   - line: the 1-based line, if the error is on one line.
    ///   - message: what is wrong; must not contain a value from the file.
    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// A line that is neither a section header, a `key = value` property, a continuation
    /// nor a comment.
    static func expectedProperty(path: String, line: Int) -> SharedConfigFileError {
        SharedConfigFileError(path: path, line: line, message: "expected \"[section]\" or \"key = value\"")
    }

    /// A `[` without its closing `]`.
    static func unterminatedSection(path: String, line: Int) -> SharedConfigFileError {
        SharedConfigFileError(path: path, line: line, message: "section header has no closing \"]\"")
    }

    /// A property before the first section header.
    static func propertyOutsideSection(path: String, line: Int) -> SharedConfigFileError {
        SharedConfigFileError(path: path, line: line, message: "property appears before any [section] header")
    }

    /// A file that exists but cannot be read.
    static func unreadable(path: String, reason: String) -> SharedConfigFileError {
        SharedConfigFileError(path: path, line: nil, message: "cannot read the file: \(reason)")
    }

    /// `path:line: message`, or `path: message` without a line.
    public var description: String {
        if let line {
            return "\(path):\(line): \(message)"
        }
        return "\(path): \(message)"
    }
}
