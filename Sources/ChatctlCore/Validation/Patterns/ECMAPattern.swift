import Foundation

/// A `pattern` / `patternProperties` regular expression, compiled once.
///
/// JSON Schema patterns follow ECMA-262 and are not anchored. Most patterns in practice
/// are a small subset (classes, quantifiers, groups, `^` and `$`); those run on a
/// built-in matcher that follows ECMA-262 exactly (`\d` is ASCII, `$` is the end of the
/// input, input is read by code points). The common `^[class]{m,n}$` shape runs as a
/// plain loop, and the shapes every profile runs through (ARNs, regions, names,
/// durations) run as ``HandWrittenPattern``s. Anything else (look-around, `\p{…}`, back-references) runs on
/// `NSRegularExpression` (ICU), whose semantics are close to ECMA-262 for those features.
struct ECMAPattern: Sendable {
    /// The pattern as written in the schema.
    let source: String
    private let engine: Engine

    private enum Engine: Sendable {
        case handWritten(HandWrittenPattern)
        /// `^[set]{minimum,maximum}$`: every scalar in the set, count in range.
        case run(ScalarSet, minimum: Int, maximum: Int?)
        /// `^literal` with no end anchor (`^arn:`, `^connect:`): the text starts with these UTF-8 bytes.
        case prefix([UInt8])
        case program(PatternProgram)
        case foundation(FoundationPattern)
    }

    /// Compiles a pattern.
    ///
    /// - Parameter handWritten: whether a pattern with a ``HandWrittenPattern`` runs on it, and a
    ///   literal prefix (`^arn:`) on a comparison of bytes
    ///   (false only where tests compare the two engines).
    /// - Throws: A message saying why the pattern is not a valid regular expression.
    init(_ source: String, handWritten: Bool = true) throws(PatternCompileError) {
        self.source = source
        if handWritten, let pattern = HandWrittenPattern(source: source) {
            engine = .handWritten(pattern)
            return
        }
        var parser = PatternParser(source)
        do throws(PatternParseFailure) {
            let node = try parser.parse()
            if handWritten, let prefix = Self.literalPrefix(node) {
                engine = .prefix(prefix)
                return
            }
            if let run = Self.simpleRun(node) {
                engine = .run(run.set, minimum: run.minimum, maximum: run.maximum)
                return
            }
            if let program = PatternProgram(node) {
                engine = .program(program)
                return
            }
        } catch {
            // Unsupported or invalid for the built-in parser: ICU decides.
        }
        engine = .foundation(try FoundationPattern(source))
    }

    /// Whether a ``HandWrittenPattern`` runs this pattern.
    var isHandWritten: Bool {
        switch engine {
        case .handWritten, .prefix: true
        default: false
        }
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        switch engine {
        case .handWritten(let pattern):
            return pattern.matches(text)
        case .run(let set, let minimum, let maximum):
            var count = 0
            for scalar in text.unicodeScalars {
                guard set.contains(scalar.value) else { return false }
                count += 1
            }
            return count >= minimum && (maximum.map { count <= $0 } ?? true)
        case .prefix(let bytes):
            return text.utf8.starts(with: bytes)
        case .program(let program):
            return program.matches(text)
        case .foundation(let pattern):
            return pattern.matches(text)
        }
    }

    /// The UTF-8 bytes of `^` followed only by literal characters (each a set of one
    /// scalar), with no `$`: such a pattern matches exactly the texts starting with them.
    /// The regular-expression VM ran `^arn:` and `^connect:` on every profile (1.3% of
    /// `chatctl validate`'s instructions).
    private static func literalPrefix(_ node: PatternNode) -> [UInt8]? {
        guard case .sequence(let items) = node, items.count >= 2, items[0] == .inputStart else { return nil }
        var prefix = ""
        for item in items.dropFirst() {
            guard case .set(let set) = item, set.ranges.count == 1, set.ranges[0].lowerBound == set.ranges[0].upperBound,
                  let scalar = Unicode.Scalar(set.ranges[0].lowerBound)
            else { return nil }
            prefix.unicodeScalars.append(scalar)
        }
        return Array(prefix.utf8)
    }

    private static func simpleRun(_ node: PatternNode) -> (set: ScalarSet, minimum: Int, maximum: Int?)? {
        guard case .sequence(let items) = node, items.count == 3,
              items[0] == .inputStart, items[2] == .inputEnd else { return nil }
        switch items[1] {
        case .set(let set):
            return (set, 1, 1)
        case .repetition(.set(let set), let minimum, let maximum):
            return (set, minimum, maximum)
        default:
            return nil
        }
    }
}

/// Why a pattern could not be compiled.
struct PatternCompileError: Error {
    var message: String
}

/// A pattern run by `NSRegularExpression`.
private struct FoundationPattern: Sendable {
    let expression: NSRegularExpression

    init(_ source: String) throws(PatternCompileError) {
        do {
            expression = try NSRegularExpression(pattern: source, options: [])
        } catch {
            throw PatternCompileError(message: "it is not a valid regular expression")
        }
    }

    func matches(_ text: String) -> Bool {
        let range = NSRange(location: 0, length: text.utf16.count)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}
