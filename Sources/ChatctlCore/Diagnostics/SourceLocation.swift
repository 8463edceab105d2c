/// A position in an input file: 1-based line and column, columns counted in Unicode
/// scalars (code points), the convention of docs/validation.md and of libyaml's marks.
public struct SourceLocation: Sendable, Hashable, Comparable {
    /// The file path as the user named it (relative paths stay relative).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The same place: the same line and column of the file with the same path bytes. Two
    /// paths a `String` holds equal (`café` precomposed and decomposed) name two files.
    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.line == rhs.line && lhs.column == rhs.column && lhs.file.isExactly(rhs.file)
    }

    public func hash(into hasher: inout Hasher) {
        // Equal bytes are equal text, so the text's hash agrees with `==`.
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(column)
    }

    /// Orders by file path (two canonically equivalent paths by their bytes), then line,
    /// then column: the order diagnostics are printed in.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.file < rhs.file { return true }
        if rhs.file < lhs.file { return false }
        if !lhs.file.isExactly(rhs.file) { return lhs.file.utf8.lexicographicallyPrecedes(rhs.file.utf8) }
        return (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

extension SourceLocation: CustomStringConvertible {
    /// `path:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}
