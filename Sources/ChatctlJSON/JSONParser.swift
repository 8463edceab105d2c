/// A syntax error in JSON text, with the place where it was found.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line of the problem, 1-based.
    public var line: Int
    /// The column of the problem, 1-based, counted in Unicode scalars.
    public var column: Int
    /// The byte offset of the problem in the input, 0-based (after any byte order mark).
    public var offset: Int
    /// What is wrong: lowercase, no trailing period.
    public var message: String

    /// Creates an error at a line and column.
    public init(line: Int, column: Int, offset: Int, message: String) {
        self.line = line
        self.column = column
        self.offset = offset
        self.message = message
    }

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }
}

/// A strict RFC 8259 JSON parser.
///
/// It reads UTF-8 (a leading byte order mark is skipped) and rejects everything the RFC
/// does not allow: comments, trailing commas, single quotes, unescaped control characters,
/// lone surrogates, invalid UTF-8, leading zeros, numbers too large for a `Double`,
/// and text after the value. It also rejects a duplicate member name in an object
/// (reported at the second occurrence) and nesting deeper than ``maximumDepth``.
///
/// Integer literals (no fraction, no exponent) that fit in `Int` become
/// ``JSONValue/integer(_:)``; every other number becomes ``JSONValue/double(_:)``.
/// `-0` is an integer literal, so it becomes `.integer(0)`.
public enum JSONParser {
    /// The deepest nesting of arrays and objects that is accepted.
    public static let maximumDepth = 512

    /// Parses UTF-8 JSON text.
    ///
    /// - Parameter bytes: The text, UTF-8 encoded, optionally starting with a byte order mark.
    /// - Returns: The value the text holds.
    /// - Throws: ``JSONParseError`` with the 1-based line and column of the first problem.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var scanner = JSONScanner(bytes: bytes)
        return try scanner.parseDocument()
    }

    /// Parses UTF-8 JSON text and keeps where each value and each member name starts,
    /// for diagnostics at a JSON pointer (flow files are JSON read by people).
    ///
    /// - Parameter bytes: The text, UTF-8 encoded, optionally starting with a byte order mark.
    /// - Returns: The value and its ``JSONSourceMap``.
    /// - Throws: ``JSONParseError`` with the 1-based line and column of the first problem.
    public static func parseKeepingPositions(_ bytes: [UInt8]) throws(JSONParseError) -> (value: JSONValue, positions: JSONSourceMap) {
        var scanner = JSONScanner(bytes: bytes)
        scanner.recorder = JSONPositionRecorder()
        let value = try scanner.parseDocument()
        let recorder = scanner.recorder ?? JSONPositionRecorder()
        return (value, JSONSourceMap(
            bytes: bytes, start: scanner.start, valueOffsets: recorder.valueOffsets, keyOffsets: recorder.keyOffsets))
    }

    /// Where the value at `pointer` starts in the JSON text `bytes` (with `atKey`, where its
    /// member name does), or its nearest ancestor that exists; 1:1 when there is none. For
    /// one place in a document of any size: nothing of the value is kept (each object's
    /// member names only until it ends, to read it as the parser does), and no table of
    /// lines is made. Text that is not JSON gives the place of what was read before the
    /// problem.
    public static func position(of pointer: JSONPointer, atKey: Bool = false, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var scanner = JSONScanner(bytes: bytes)
        scanner.recorder = JSONPositionRecorder(target: pointer)
        scanner.discarding = true
        _ = try? scanner.parseDocument()
        let recorder = scanner.recorder ?? JSONPositionRecorder()
        guard let offset = JSONSourceMap.offset(
            of: pointer, atKey: atKey, values: recorder.valueOffsets, keys: recorder.keyOffsets) else { return (1, 1) }
        return JSONSourceMap.lineAndColumn(of: offset, in: bytes, start: scanner.start)
    }

    /// Parses UTF-8 JSON text whose top-level object has members too large to keep: each
    /// member named in `skipped` is read and checked as every value is (the same errors, at
    /// the same places), but left out of the value returned, its parts freed as they are
    /// read. What a saved plan's reader needs: a handful of members beside the `actions` of
    /// 100,000 profiles (143 MB of JSON, some 600 MB as a value).
    ///
    /// - Parameters:
    ///   - bytes: The text, UTF-8 encoded, optionally starting with a byte order mark.
    ///   - skipped: Names of the top-level object's members to leave out.
    /// - Returns: The value the text holds, without the skipped members.
    /// - Throws: ``JSONParseError`` with the 1-based line and column of the first problem.
    public static func parse(_ bytes: [UInt8], skippingMembers skipped: Set<String>) throws(JSONParseError) -> JSONValue {
        var scanner = JSONScanner(bytes: bytes)
        scanner.skippedMembers = skipped
        return try scanner.parseDocument()
    }

    /// Parses JSON text held in a string.
    ///
    /// - Parameter text: The JSON text.
    /// - Returns: The value the text holds.
    /// - Throws: ``JSONParseError`` with the 1-based line and column of the first problem.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The parser's cursor over the input bytes.
private struct JSONScanner {
    let bytes: [UInt8]
    /// Where the text starts: 3 when there is a byte order mark, else 0.
    let start: Int
    var index: Int
    var depth = 0
    /// Set by ``JSONParser/parseKeepingPositions(_:)``; `nil` costs the plain parse nothing.
    var recorder: JSONPositionRecorder?
    /// The top-level object's members that are checked but not kept
    /// (``JSONParser/parse(_:skippingMembers:)``).
    var skippedMembers: Set<String> = []
    /// True while such a member's value is read: its arrays keep no element and its
    /// objects no value (their names stay, to find a repeated one).
    var discarding = false

    init(bytes: [UInt8]) {
        self.bytes = bytes
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        start = hasBOM ? 3 : 0
        index = start
    }

    // MARK: Structure

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw error("unexpected \(describeCharacter(at: index)) after the JSON value")
        }
        return value
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        recorder?.recordValue(at: index)
        guard index < bytes.count else {
            throw error("expected a JSON value, found the end of the input")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral(Self.trueBytes, name: "true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral(Self.falseBytes, name: "false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral(Self.nullBytes, name: "null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("expected a JSON value, found \(describeCharacter(at: index))")
        }
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw error("nesting is deeper than \(JSONParser.maximumDepth) levels")
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        skipWhitespace()
        var members: [String: JSONValue] = [:]
        var skippedHere: [String] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            guard index < bytes.count else {
                throw error("expected a member name in double quotes, found the end of the input")
            }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a member name in double quotes, found \(describeCharacter(at: index))")
            }
            let keyStart = index
            let key = try parseString()
            if members[key] != nil {
                throw error("duplicate key \(JSONPointer.quoted(key))", at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after the member name")
            }
            index += 1
            skipWhitespace()
            recorder?.enter(.key(key), keyOffset: keyStart)
            if depth == 1, skippedMembers.contains(key) {
                discarding = true
                _ = try parseValue()
                discarding = false
                // Held until the object ends, so that a repeat of its name is found.
                members[key] = .null
                skippedHere.append(key)
            } else {
                let value = try parseValue()
                members[key] = discarding ? .null : value
            }
            recorder?.leave()
            skipWhitespace()
            guard index < bytes.count else {
                throw error("expected ',' or '}' after an object member, found the end of the input")
            }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    throw error("a trailing comma is not allowed in an object")
                }
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                for key in skippedHere { members[key] = nil }
                return .object(members)
            default:
                throw error("expected ',' or '}' after an object member")
            }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        // Counted apart from `elements`, which keeps none while discarding.
        var elementIndex = 0
        while true {
            recorder?.enter(.index(elementIndex), keyOffset: nil)
            elementIndex += 1
            let element = try parseValue()
            if !discarding { elements.append(element) }
            recorder?.leave()
            skipWhitespace()
            guard index < bytes.count else {
                throw error("expected ',' or ']' after an array element, found the end of the input")
            }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    throw error("a trailing comma is not allowed in an array")
                }
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default:
                throw error("expected ',' or ']' after an array element")
            }
        }
    }

    static let trueBytes: [UInt8] = Array("true".utf8)
    static let falseBytes: [UInt8] = Array("false".utf8)
    static let nullBytes: [UInt8] = Array("null".utf8)

    mutating func parseLiteral(_ literal: [UInt8], name: String) throws(JSONParseError) {
        let begin = index
        for expected in literal {
            guard index < bytes.count, bytes[index] == expected else {
                throw error("invalid literal, expected \(name)", at: begin)
            }
            index += 1
        }
        // `truex` is not `true` followed by garbage: report the whole word.
        if index < bytes.count, Self.isLetterOrDigit(bytes[index]) {
            throw error("invalid literal, expected \(name)", at: begin)
        }
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let begin = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else {
            throw error("expected a digit after '-'")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) {
                throw error("a number must not have leading zeros", at: begin)
            }
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        let integerEnd = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else {
                throw error("expected a digit after the decimal point")
            }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, Self.isDigit(bytes[index]) else {
                throw error("expected a digit in the exponent")
            }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if isInteger, let value = integerValue(from: negative ? begin + 1 : begin, to: integerEnd, negative: negative) {
            return .integer(value)
        }
        let text = String(decoding: bytes[begin..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("the number \(text) is too large", at: begin)
        }
        return .double(value)
    }

    /// The digits in `first..<end` as an `Int`, or `nil` when they overflow it.
    func integerValue(from first: Int, to end: Int, negative: Bool) -> Int? {
        var value = 0
        for position in first..<end {
            let digit = Int(bytes[position] &- UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            // Accumulate negatively so that Int.min fits.
            let (next, overflow2) = negative
                ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
        }
        return value
    }

    // MARK: Strings

    /// Parses the string literal at `index` (which is at its opening quote).
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let contentStart = index
        // Fast path: no escapes, so the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacterError(byte) }
            if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        guard index < bytes.count else {
            throw error("unterminated string", at: contentStart - 1)
        }
        // Slow path: copy what was scanned, then decode escapes.
        var buffer = Array(bytes[contentStart..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape(to: &buffer)
            case 0..<0x20:
                throw controlCharacterError(byte)
            case 0..<0x80:
                buffer.append(byte)
                index += 1
            default:
                let sequenceStart = index
                try skipUTF8Sequence()
                buffer.append(contentsOf: bytes[sequenceStart..<index])
            }
        }
        throw error("unterminated string", at: contentStart - 1)
    }

    func controlCharacterError(_ byte: UInt8) -> JSONParseError {
        let name = switch byte {
        case 0x0A: "a line break"
        case 0x0D: "a carriage return"
        case 0x09: "a tab"
        default: "control character \(Self.scalarName(UInt32(byte)))"
        }
        return error("\(name) in a string must be escaped")
    }

    /// Decodes the escape sequence at `index` (at its backslash) into `buffer`.
    mutating func appendEscape(to buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw error("unterminated string") }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let first = try hexQuad(escapeStart: escapeStart)
            var scalarValue = first
            if (0xD800...0xDBFF).contains(first) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate \\u\(Self.hex4(first)) in a string", at: escapeStart)
                }
                let lowStart = index
                index += 2
                let second = try hexQuad(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw error("unpaired surrogate \\u\(Self.hex4(first)) in a string", at: escapeStart)
                }
                scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(first) {
                throw error("unpaired surrogate \\u\(Self.hex4(first)) in a string", at: escapeStart)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw error("invalid \\u escape", at: escapeStart)
            }
            UTF8.encode(scalar) { buffer.append($0) }
        default:
            index -= 1
            throw error("invalid escape sequence '\\\(describeEscapeLetter(at: index))' in a string", at: escapeStart)
        }
    }

    /// Reads the four hex digits after `\u` (index is at the first digit).
    mutating func hexQuad(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = Self.hexDigitValue(bytes[index]) else {
                throw error("a \\u escape needs four hex digits", at: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence at `index` (RFC 3629) and moves past it.
    mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw error("invalid UTF-8 byte 0x\(Self.hex2(lead))")
        }
        for offset in 1..<length {
            let position = index + offset
            let valid = position < bytes.count
                && (offset == 1 ? secondRange.contains(bytes[position]) : (0x80...0xBF).contains(bytes[position]))
            if !valid {
                throw error("invalid UTF-8 byte sequence starting with 0x\(Self.hex2(lead))")
            }
        }
        index += length
    }

    // MARK: Errors

    func error(_ message: String) -> JSONParseError {
        error(message, at: index)
    }

    /// An error at byte `offset`, with its line and column worked out from the input.
    func error(_ message: String, at offset: Int) -> JSONParseError {
        let (line, column) = JSONSourceMap.lineAndColumn(of: offset, in: bytes, start: start)
        return JSONParseError(line: line, column: column, offset: offset - start, message: message)
    }

    /// How the character at `position` is named in a message: `'x'`, or `U+0001`.
    func describeCharacter(at position: Int) -> String {
        let byte = bytes[position]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x80 { return Self.scalarName(UInt32(byte)) }
        // Decode one scalar for the message; invalid UTF-8 is named by its byte.
        let end = min(position + 4, bytes.count)
        var iterator = bytes[position..<end].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return "'\(Character(scalar))' (\(Self.scalarName(scalar.value)))"
        }
        return "invalid UTF-8 byte 0x\(Self.hex2(byte))"
    }

    func describeEscapeLetter(at position: Int) -> String {
        let byte = bytes[position]
        if byte >= 0x21 && byte < 0x7F { return String(Character(Unicode.Scalar(byte))) }
        return Self.scalarName(UInt32(byte))
    }

    static func scalarName(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func hex2(_ value: UInt8) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    // MARK: Character classes

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    static func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
