/// A pattern in the subset of ECMA-262 (Unicode mode) that ``PatternProgram`` runs:
/// literals, `.`, classes, `\d \w \s` and their negations, groups, alternation,
/// greedy or lazy quantifiers, and the `^` / `$` assertions.
indirect enum PatternNode: Sendable, Hashable {
    case set(ScalarSet)
    case sequence([PatternNode])
    case alternation([PatternNode])
    case repetition(PatternNode, min: Int, max: Int?)
    /// `^` without the multiline flag: the start of the input.
    case inputStart
    /// `$` without the multiline flag: the end of the input (not before a final newline).
    case inputEnd
}

/// Why a pattern was not parsed into a ``PatternNode``.
enum PatternParseFailure: Error {
    /// The pattern uses a feature outside the subset (look-around, back-references,
    /// `\p{…}`, `\b`, …); another engine has to run it.
    case unsupported
    /// The pattern is not a valid regular expression.
    case invalid(String)
}

/// Parses a pattern into a ``PatternNode``, or says why it cannot.
struct PatternParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    /// Repetition counts above this are left to another engine (the program would grow).
    static let maximumCount = 1000

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    mutating func parse() throws(PatternParseFailure) -> PatternNode {
        let node = try parseDisjunction()
        if position < scalars.count {
            // Only a `)` without its `(` stops a disjunction early.
            throw .invalid("unmatched ')'")
        }
        return node
    }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func next() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        defer { position += 1 }
        return scalars[position]
    }

    private mutating func parseDisjunction() throws(PatternParseFailure) -> PatternNode {
        var alternatives = [try parseAlternative()]
        while peek == "|" {
            position += 1
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(PatternParseFailure) -> PatternNode {
        var items: [PatternNode] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            items.append(try parseTerm())
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func parseTerm() throws(PatternParseFailure) -> PatternNode {
        guard let scalar = next() else { throw .invalid("unexpected end of pattern") }
        let atom: PatternNode
        switch scalar {
        case "^", "$":
            if let following = peek, "*+?{".unicodeScalars.contains(following) {
                throw .invalid("nothing to repeat")
            }
            return scalar == "^" ? .inputStart : .inputEnd
        case "(":
            atom = try parseGroup()
        case ".":
            atom = .set(.dot)
        case "[":
            atom = .set(try parseClass())
        case "\\":
            atom = .set(try parseAtomEscape())
        case "*", "+", "?":
            throw .invalid("nothing to repeat")
        case "{", "}", "]":
            // Annex B reads some of these as literals; leave that to the fallback engine.
            throw .unsupported
        default:
            atom = .set(ScalarSet(scalar: scalar.value))
        }
        return try parseQuantifier(of: atom)
    }

    private mutating func parseQuantifier(of atom: PatternNode) throws(PatternParseFailure) -> PatternNode {
        let bounds: (min: Int, max: Int?)
        switch peek {
        case "*": position += 1; bounds = (0, nil)
        case "+": position += 1; bounds = (1, nil)
        case "?": position += 1; bounds = (0, 1)
        case "{":
            position += 1
            guard let low = parseNumber() else { throw .unsupported }
            var high: Int? = low
            if peek == "," {
                position += 1
                high = peek == "}" ? nil : parseNumber()
                if high == nil, peek != "}" { throw .unsupported }
            }
            guard next() == "}" else { throw .unsupported }
            if let high, high < low { throw .invalid("numbers out of order in {} quantifier") }
            guard low <= Self.maximumCount, (high ?? 0) <= Self.maximumCount else { throw .unsupported }
            bounds = (low, high)
        default:
            return atom
        }
        // A lazy quantifier matches the same strings; only what it captures differs.
        if peek == "?" { position += 1 }
        if let following = peek, "*+?".unicodeScalars.contains(following) {
            throw .invalid("nothing to repeat")
        }
        return .repetition(atom, min: bounds.min, max: bounds.max)
    }

    private mutating func parseNumber() -> Int? {
        var value: Int?
        while let scalar = peek, ("0"..."9").contains(scalar) {
            position += 1
            value = min((value ?? 0) * 10 + Int(scalar.value - 0x30), 1_000_000)
        }
        return value
    }

    private mutating func parseGroup() throws(PatternParseFailure) -> PatternNode {
        if peek == "?" {
            position += 1
            switch next() {
            case ":":
                break
            case "<":
                // A named capture group `(?<name>…)`; look-behind `(?<=` / `(?<!` is not supported.
                guard let first = peek, first != "=", first != "!" else { throw .unsupported }
                while let scalar = next(), scalar != ">" {
                    guard scalar.properties.isAlphabetic || scalar == "_" || scalar == "$"
                        || ("0"..."9").contains(scalar) else { throw .unsupported }
                }
            default:
                throw .unsupported
            }
        }
        let inner = try parseDisjunction()
        guard next() == ")" else { throw .invalid("missing ')'") }
        return inner
    }

    /// An escape outside a class (the backslash is already read).
    private mutating func parseAtomEscape() throws(PatternParseFailure) -> ScalarSet {
        guard let scalar = next() else { throw .invalid("\\ at end of pattern") }
        if let set = Self.classEscape(scalar) { return set }
        return ScalarSet(scalar: try characterEscape(scalar, inClass: false))
    }

    /// `\d \D \w \W \s \S`.
    private static func classEscape(_ scalar: Unicode.Scalar) -> ScalarSet? {
        switch scalar {
        case "d": .digit
        case "D": ScalarSet.digit.inverted()
        case "w": .word
        case "W": ScalarSet.word.inverted()
        case "s": .space
        case "S": ScalarSet.space.inverted()
        default: nil
        }
    }

    /// A character escape such as `\n`, `\x41`, `\u00e9`, `\u{1F600}` or `\.`.
    private mutating func characterEscape(_ scalar: Unicode.Scalar, inClass: Bool) throws(PatternParseFailure) -> UInt32 {
        switch scalar {
        case "t": return 0x09
        case "n": return 0x0A
        case "v": return 0x0B
        case "f": return 0x0C
        case "r": return 0x0D
        case "0":
            if let following = peek, ("0"..."9").contains(following) { throw .unsupported }
            return 0
        case "b" where inClass: return 0x08
        case "-" where inClass: return 0x2D
        case "x":
            guard let value = hexDigits(count: 2) else { throw .unsupported }
            return value
        case "u":
            return try unicodeEscape()
        case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/":
            return scalar.value
        default:
            // Back-references, \b, \B, \p{…}, \k<…>, \cX and identity escapes of letters.
            throw .unsupported
        }
    }

    private mutating func unicodeEscape() throws(PatternParseFailure) -> UInt32 {
        if peek == "{" {
            position += 1
            var value: UInt32 = 0
            var digits = 0
            while let scalar = peek, scalar != "}" {
                guard let digit = Self.hexValue(scalar), digits < 8 else { throw .unsupported }
                value = value << 4 | digit
                digits += 1
                position += 1
            }
            guard next() == "}", digits > 0, value <= ScalarSet.maximumScalar else { throw .unsupported }
            return value
        }
        guard let first = hexDigits(count: 4) else { throw .unsupported }
        if (0xD800...0xDBFF).contains(first), peek == "\\", position + 1 < scalars.count, scalars[position + 1] == "u" {
            let saved = position
            position += 2
            if let second = hexDigits(count: 4), (0xDC00...0xDFFF).contains(second) {
                return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            position = saved
        }
        // A lone surrogate never matches a Unicode scalar; leave it to the fallback engine.
        if (0xD800...0xDFFF).contains(first) { throw .unsupported }
        return first
    }

    private mutating func hexDigits(count: Int) -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let scalar = peek, let digit = Self.hexValue(scalar) else { return nil }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 0x30
        case "a"..."f": scalar.value - 0x61 + 10
        case "A"..."F": scalar.value - 0x41 + 10
        default: nil
        }
    }

    /// A `[...]` class (the `[` is already read).
    private mutating func parseClass() throws(PatternParseFailure) -> ScalarSet {
        var negated = false
        if peek == "^" {
            negated = true
            position += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var sets: [ScalarSet] = []
        while true {
            guard let scalar = next() else { throw .invalid("missing ']'") }
            if scalar == "]" { break }
            let lower = try classAtom(scalar)
            if peek == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                guard let upperScalar = next() else { throw .invalid("missing ']'") }
                let upper = try classAtom(upperScalar)
                guard case .scalar(let low) = lower, case .scalar(let high) = upper else {
                    // `[\d-z]` is an error in Unicode mode and a literal `-` in Annex B.
                    throw .unsupported
                }
                guard low <= high else { throw .invalid("range out of order in character class") }
                ranges.append(low...high)
            } else {
                switch lower {
                case .scalar(let value): ranges.append(value...value)
                case .set(let set): sets.append(set)
                }
            }
        }
        var set = ScalarSet(ranges)
        for other in sets { set = set.union(other) }
        return negated ? set.inverted() : set
    }

    private enum ClassAtom {
        case scalar(UInt32)
        case set(ScalarSet)
    }

    private mutating func classAtom(_ scalar: Unicode.Scalar) throws(PatternParseFailure) -> ClassAtom {
        guard scalar == "\\" else { return .scalar(scalar.value) }
        guard let escaped = next() else { throw .invalid("\\ at end of pattern") }
        if let set = Self.classEscape(escaped) { return .set(set) }
        return .scalar(try characterEscape(escaped, inClass: true))
    }
}
