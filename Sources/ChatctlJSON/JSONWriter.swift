/// Deterministic JSON serialisation: the same value always gives the same bytes.
///
/// - Object members are sorted by the Unicode scalar values of their names (the byte
///   order of their UTF-8), so output does not depend on dictionary order.
/// - ``Style/pretty`` indents by two spaces, separates names from values with `": "`,
///   prints `{}` and `[]` on one line and ends with a newline; ``Style/compact`` has
///   no whitespace at all.
/// - Integers print as integers. Doubles print in the shortest form that reads back as
///   the same `Double` (always with a `.` or an exponent, so they read back as doubles);
///   infinities and NaN, which JSON cannot express, print as `null`.
/// - Strings escape `"`, `\` and control characters (`\n`, `\t`, `\r`, `\b`, `\f`, else
///   `\u00XX`); every other character, `/` included, is written as it is.
public struct JSONWriter: Sendable {
    /// The layout of the output.
    public enum Style: Sendable, Hashable {
        /// Two-space indentation and a trailing newline.
        case pretty
        /// No whitespace and no trailing newline.
        case compact
    }

    /// The layout this writer produces.
    public var style: Style

    /// Creates a writer.
    ///
    /// - Parameter style: The layout; `.pretty` unless told otherwise.
    public init(style: Style = .pretty) {
        self.style = style
    }

    /// A writer of indented output with a trailing newline.
    public static let pretty = JSONWriter(style: .pretty)

    /// A writer of output without whitespace.
    public static let compact = JSONWriter(style: .compact)

    /// Serialises a value to UTF-8 bytes.
    ///
    /// - Parameter value: The value to write.
    /// - Returns: The JSON text as UTF-8.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, to: &output, indent: 0)
        if style == .pretty { output.append(0x0A) }
        return output
    }

    /// Appends `value` as it appears nested `depth` levels deep in a larger document: its
    /// inner lines indented for that depth, no trailing newline. Writing a document's parts
    /// this way and joining them gives the same bytes as ``bytes(_:)`` of the whole, which
    /// lets a caller keep the bytes of parts that did not change.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - output: Where its bytes are appended.
    ///   - depth: How many objects or arrays enclose it (0 for a whole document).
    public func append(_ value: JSONValue, to output: inout [UInt8], depth: Int) {
        write(value, to: &output, indent: depth)
    }

    /// Appends `text` as a JSON string literal, quoted and escaped as every string and
    /// member name is.
    public static func appendString(_ text: String, to output: inout [UInt8]) {
        writeString(text, to: &output)
    }

    /// Serialises a value to a string.
    ///
    /// - Parameter value: The value to write.
    /// - Returns: The JSON text.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    private func write(_ value: JSONValue, to output: inout [UInt8], indent: Int) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number):
            output.append(contentsOf: String(number).utf8)
        case .double(let number):
            Self.writeDouble(number, to: &output)
        case .string(let text):
            Self.writeString(text, to: &output)
        case .array(let elements):
            if elements.isEmpty {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(&output, indent: indent + 1)
                write(element, to: &output, indent: indent + 1)
            }
            newline(&output, indent: indent)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            for (position, key) in Self.sortedKeys(members).enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(&output, indent: indent + 1)
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                if style == .pretty { output.append(UInt8(ascii: " ")) }
                if let member = members[key] {
                    write(member, to: &output, indent: indent + 1)
                }
            }
            newline(&output, indent: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ output: inout [UInt8], indent: Int) {
        guard style == .pretty else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    /// Member names in the byte order of their UTF-8 (which is Unicode scalar order).
    public static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted(by: utf8Precedes)
    }

    /// Whether `left` sorts before `right` by the bytes of their UTF-8, which is the
    /// order of their Unicode scalar values (Swift's `<` compares canonical forms).
    public static func utf8Precedes(_ left: String, _ right: String) -> Bool {
        let leftBytes = left.utf8.span
        let rightBytes = right.utf8.span
        for index in 0..<min(leftBytes.count, rightBytes.count) where leftBytes[index] != rightBytes[index] {
            return leftBytes[index] < rightBytes[index]
        }
        return leftBytes.count < rightBytes.count
    }

    static func writeDouble(_ number: Double, to output: inout [UInt8]) {
        guard number.isFinite else {
            output.append(contentsOf: "null".utf8)
            return
        }
        // Swift's description is the shortest text that reads back as the same Double,
        // and always has a fraction or an exponent (`1.0`, `1e-08`, `1e+16`).
        output.append(contentsOf: number.description.utf8)
    }

    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escape: they are copied as they are (a plan writes every
        // profile's request body to digest it, issue 15), a short one byte by byte from
        // the span already looked through (a third faster than `append(contentsOf:)` of
        // its UTF-8 view, which for such strings does not reach a plain copy).
        let bytes = text.utf8.span
        if !needsEscape(bytes) {
            if bytes.count <= 32 {
                for index in bytes.indices { output.append(bytes[index]) }
            } else {
                output.append(contentsOf: text.utf8)
            }
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\\"))
            case 0x0A: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "t"))
            case 0x08: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "f"))
            case 0..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether `bytes` hold a byte ``writeString(_:to:)`` escapes: `"`, `\\` or a control
    /// character.
    private static func needsEscape(_ bytes: Span<UInt8>) -> Bool {
        for index in bytes.indices {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
        }
        return false
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
