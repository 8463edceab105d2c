/// The check of a plain lock entry's `members` object in one scan over the bytes that hold
/// it (issue 15, item 2): a plan never decodes an unchanged entry's member records, yet
/// they are two thirds of a lockfile's bytes, and the reader that checks them runs beside
/// validation on the same two cores. ``LockfileDecoder`` checks such an object token by
/// token, with a call (and a look for more input) per byte; this scan reads the bytes
/// with nothing but a comparison with their end.
///
/// It only ever accepts. The object is plain when, whitespace aside, it is
/// - `{` then up to ``nameLimit`` members, `,`-separated, then `}`;
/// - each member's name ASCII, without an escape or a control character, of the schema's
///   pattern `^[A-Z][A-Za-z]*(?:\..+)?$` and at most 1,024 characters, and every name
///   greater in byte order than the one before (as chatctl writes them: so none repeats);
/// - each record exactly `{"digest": "…"}` (64 lowercase hex digits) or `{"value": …}`;
/// - each value made of strings of printable ASCII without an escape, integers of at most
///   18 digits, `true`, `false`, `null`, arrays, and objects whose keys are such strings in
///   increasing byte order, nested at most ``depthLimit`` deep.
/// Anything else (valid or not) is ``Outcome/notPlain``, and the decoder reads the object
/// again the general way, which decides; so every rule of the schema and of JSON still
/// holds (LockfileDecoderTests holds the two readings to agreement).
struct PlainMembersScanner {
    /// What the scan found.
    enum Outcome: Equatable {
        /// A valid plain object, which ends before offset `end` of the bytes.
        case valid(end: Int)
        /// The bytes end before the object does (or before the scan can tell): scan again
        /// with more of them.
        case needsMore
        /// Not plain, or not valid: the general reading decides.
        case notPlain
    }

    /// Past this many names, the general reading (with its set of names) checks the object.
    static let nameLimit = 64
    /// Deeper than this, a value is left to the general reading.
    static let depthLimit = 16

    /// Why the scan stopped before the object's end.
    private enum Stop: Error {
        case needsMore
        case notPlain
    }

    private let bytes: [UInt8]
    /// The next byte to read.
    private var at: Int

    private init(_ bytes: [UInt8], at: Int) {
        self.bytes = bytes
        self.at = at
    }

    /// Scans the `members` object that starts at offset `start` of `bytes` (at its `{` or
    /// the whitespace before it).
    static func scan(_ bytes: [UInt8], from start: Int) -> Outcome {
        var scanner = PlainMembersScanner(bytes, at: start)
        do throws(Stop) {
            try scanner.members()
            return .valid(end: scanner.at)
        } catch {
            return error == .needsMore ? .needsMore : .notPlain
        }
    }

    // MARK: The object and its records

    private mutating func members() throws(Stop) {
        try expect(UInt8(ascii: "{"))
        if try next() == UInt8(ascii: "}") {
            at += 1
            return
        }
        var previous: Range<Int>?
        var count = 0
        repeat {
            count += 1
            guard count <= Self.nameLimit else { throw .notPlain }
            let name = try memberName()
            if let previous { try expectIncreasing(previous, name) }
            previous = name
            try expect(UInt8(ascii: ":"))
            try record()
        } while try nextMember()
    }

    /// `{"digest": "…"}` or `{"value": …}`.
    private mutating func record() throws(Stop) {
        try expect(UInt8(ascii: "{"))
        try expect(UInt8(ascii: "\""))
        if try taking(Self.digestKey) {
            try expect(UInt8(ascii: ":"))
            try hexDigest()
        } else if try taking(Self.valueKey) {
            try expect(UInt8(ascii: ":"))
            try value(depth: 1)
        } else {
            throw .notPlain
        }
        try expect(UInt8(ascii: "}"))
    }

    private static let digestKey = Array("digest\"".utf8)
    private static let valueKey = Array("value\"".utf8)

    /// A member name of the schema's pattern, as its range (without the quotes).
    private mutating func memberName() throws(Stop) -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = at
        var letters = true
        var afterDot = 0
        while true {
            let byte = try byte()
            if byte == UInt8(ascii: "\"") { break }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { throw .notPlain }
            if at == start {
                guard Self.isUpperLetter(byte) else { throw .notPlain }
            } else if letters {
                if byte == UInt8(ascii: ".") {
                    letters = false
                } else if !Self.isUpperLetter(byte) && !Self.isLowerLetter(byte) {
                    throw .notPlain
                }
            } else {
                afterDot += 1
            }
            at += 1
        }
        let name = start..<at
        guard !name.isEmpty, name.count <= 1024, letters || afterDot > 0 else { throw .notPlain }
        at += 1
        return name
    }

    /// `"` 64 lowercase hex digits `"`.
    private mutating func hexDigest() throws(Stop) {
        guard try next() == UInt8(ascii: "\"") else { throw .notPlain }
        guard at + 66 <= bytes.count else { throw .needsMore }
        guard bytes[at + 65] == UInt8(ascii: "\"") else { throw .notPlain }
        // Eight digits at a time (``ByteWords``): eleven digests in each of a lockfile's entries.
        guard ByteWords.allLowerHex(bytes.span.extracting((at + 1)..<(at + 65))) else { throw .notPlain }
        at += 66
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(Stop) {
        guard depth <= Self.depthLimit else { throw .notPlain }
        switch try next() {
        case UInt8(ascii: "\""):
            _ = try plainString()
        case UInt8(ascii: "{"):
            at += 1
            if try next() == UInt8(ascii: "}") {
                at += 1
                return
            }
            var previous: Range<Int>?
            repeat {
                guard try next() == UInt8(ascii: "\"") else { throw .notPlain }
                let key = try plainString()
                if let previous { try expectIncreasing(previous, key) }
                previous = key
                try expect(UInt8(ascii: ":"))
                try value(depth: depth + 1)
            } while try nextMember()
        case UInt8(ascii: "["):
            at += 1
            if try next() == UInt8(ascii: "]") {
                at += 1
                return
            }
            repeat {
                try value(depth: depth + 1)
            } while try nextElement()
        case UInt8(ascii: "t"): try word(Self.trueWord)
        case UInt8(ascii: "f"): try word(Self.falseWord)
        case UInt8(ascii: "n"): try word(Self.nullWord)
        default: try integer()
        }
    }

    private static let trueWord = Array("true".utf8)
    private static let falseWord = Array("false".utf8)
    private static let nullWord = Array("null".utf8)

    /// A string at its opening quote, of printable ASCII without an escape: its content's range.
    private mutating func plainString() throws(Stop) -> Range<Int> {
        at += 1
        let start = at
        while true {
            if at + 8 <= bytes.count {
                // Eight bytes at a time while they are plain (``ByteWords``).
                let plain = ByteWords.leadingPlainASCII(ByteWords.load(bytes.span, at: at))
                at += plain
                if plain == 8 { continue }
            }
            let byte = try byte()
            if byte == UInt8(ascii: "\"") { break }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { throw .notPlain }
            at += 1
        }
        let content = start..<at
        at += 1
        return content
    }

    /// `-?(0|[1-9][0-9]*)`, at most 18 digits (any such integer fits a `Double`, which the
    /// generic reading asks). A fraction or an exponent after it is no `,`, `}` or `]`, which
    /// is all that may follow: not plain.
    private mutating func integer() throws(Stop) {
        if try byte() == UInt8(ascii: "-") { at += 1 }
        let first = try byte()
        guard Self.isDigit(first) else { throw .notPlain }
        at += 1
        var digits = 1
        while try Self.isDigit(byte()) {
            at += 1
            digits += 1
        }
        guard digits <= 18, first != UInt8(ascii: "0") || digits == 1 else { throw .notPlain }
    }

    /// `expected` exactly (a literal `true`, `false` or `null`).
    private mutating func word(_ expected: [UInt8]) throws(Stop) {
        guard try taking(expected) else { throw .notPlain }
    }

    // MARK: Bytes

    /// The byte at ``at``, not consumed.
    private func byte() throws(Stop) -> UInt8 {
        guard at < bytes.count else { throw .needsMore }
        return bytes[at]
    }

    /// The next byte after whitespace, not consumed.
    private mutating func next() throws(Stop) -> UInt8 {
        while true {
            guard at < bytes.count else { throw .needsMore }
            switch bytes[at] {
            case 0x20, 0x0A, 0x0D, 0x09: at += 1
            case let byte: return byte
            }
        }
    }

    /// Consumes `expected` after any whitespace.
    private mutating func expect(_ expected: UInt8) throws(Stop) {
        guard try next() == expected else { throw .notPlain }
        at += 1
    }

    /// True, consuming them, when the next bytes are exactly `expected`.
    private mutating func taking(_ expected: [UInt8]) throws(Stop) -> Bool {
        guard at + expected.count <= bytes.count else { throw .needsMore }
        for offset in 0..<expected.count where bytes[at + offset] != expected[offset] { return false }
        at += expected.count
        return true
    }

    /// After a member: true when another follows (its `,` consumed), false at the object's `}`.
    private mutating func nextMember() throws(Stop) -> Bool {
        switch try next() {
        case UInt8(ascii: ","): at += 1; return true
        case UInt8(ascii: "}"): at += 1; return false
        default: throw .notPlain
        }
    }

    /// After an element: true when another follows (its `,` consumed), false at the array's `]`.
    private mutating func nextElement() throws(Stop) -> Bool {
        switch try next() {
        case UInt8(ascii: ","): at += 1; return true
        case UInt8(ascii: "]"): at += 1; return false
        default: throw .notPlain
        }
    }

    /// Goes on only when the key at `later` is greater, in byte order, than the one at
    /// `earlier`: so no key of the object repeats (an object written otherwise is left to
    /// the general reading, which has a set of its keys).
    private func expectIncreasing(_ earlier: Range<Int>, _ later: Range<Int>) throws(Stop) {
        guard bytes[earlier].lexicographicallyPrecedes(bytes[later]) else { throw .notPlain }
    }

    private static func isLowerLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
    private static func isUpperLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}
