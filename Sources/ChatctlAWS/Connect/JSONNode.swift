/// A JSON value built by the request types and written by ``JSONNode/serialized()``.
///
/// chatctl writes request bodies itself instead of through `JSONEncoder` so that the bytes
/// are identical on every platform and Foundation version: object keys sorted by their
/// UTF-8 bytes, no whitespace, only the escapes RFC 8259 requires (`"`, `\`, control
/// characters), everything else as raw UTF-8, `/` not escaped. Request digests and
/// golden files depend on this.
enum JSONNode: Equatable, Sendable {
    case object([String: JSONNode])
    case array([JSONNode])
    case string(String)
    case integer(Int)
    case bool(Bool)
    case null

    /// The compact JSON text as UTF-8 bytes.
    func serialized() -> [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    private func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[key]?.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            Self.writeString(text, to: &output)
        case .integer(let value):
            output.append(contentsOf: String(value).utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        }
    }

    private static func writeString(_ text: String, to output: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x0C: output.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20:
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0f)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// An object-building helper that leaves out absent members, as restJson1 requires.
struct JSONObjectBuilder {
    private(set) var members: [String: JSONNode] = [:]

    mutating func set(_ name: String, _ value: String?) {
        if let value { members[name] = .string(value) }
    }

    mutating func set(_ name: String, _ value: Int?) {
        if let value { members[name] = .integer(value) }
    }

    mutating func set(_ name: String, _ value: Bool?) {
        if let value { members[name] = .bool(value) }
    }

    mutating func set(_ name: String, _ value: JSONNode?) {
        if let value { members[name] = value }
    }

    mutating func set(_ name: String, _ value: [String]?) {
        if let value { members[name] = .array(value.map(JSONNode.string)) }
    }

    mutating func set(_ name: String, _ value: [String: String]?) {
        if let value { members[name] = .object(value.mapValues(JSONNode.string)) }
    }

    /// A sensitive string: the value itself, or `"(sensitive)"` when redacting.
    mutating func set(_ name: String, _ value: Sensitive<String>?, redacting: Bool) {
        if let value { members[name] = .string(redacting ? Sensitive<String>.placeholder : value.value) }
    }

    var node: JSONNode { .object(members) }
}
