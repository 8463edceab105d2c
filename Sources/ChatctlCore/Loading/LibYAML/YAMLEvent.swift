/// A position reported by libyaml, converted to 1-based line and column (columns in
/// Unicode scalars, as libyaml counts them).
struct YAMLMark: Sendable, Hashable {
    var line: Int
    var column: Int
}

/// How a scalar was written. Only plain scalars are resolved by the core schema;
/// every quoted or block scalar is a string.
enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded
}

/// One libyaml parse event, as Swift values.
enum YAMLEvent: Sendable {
    case streamStart
    case streamEnd
    case documentStart(YAMLMark)
    case documentEnd(YAMLMark)
    case alias(anchor: String, mark: YAMLMark)
    case scalar(value: String, anchor: String?, tag: String?, style: YAMLScalarStyle, mark: YAMLMark)
    case sequenceStart(anchor: String?, tag: String?, mark: YAMLMark)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?, mark: YAMLMark)
    case mappingEnd
}

/// A syntax error reported by libyaml, with the position of the problem.
struct YAMLSyntaxError: Error, Sendable {
    /// libyaml's description of the problem (`found character that cannot start any token`).
    var problem: String
    /// What libyaml was doing (`while scanning a plain scalar`), when it says.
    var context: String?
    var mark: YAMLMark
}
