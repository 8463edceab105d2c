public import ChatctlJSON
/// Resolves plain scalars by the YAML 1.2 core schema: null, booleans, integers,
/// floats; everything else is a string. Quoted scalars never reach here.
///
/// Only `true`/`false` (in the three casings) are booleans, so `no`, `on` and `yes`
/// stay strings, unlike YAML 1.1.
enum YAMLScalarResolver {
    static func resolve(plain text: String) -> JSONValue {
        // The first byte and the length pick the few words that can be something other
        // than a string, before any comparison of text: a word is the common case (the
        // comparisons below cost 1% of `chatctl validate`'s instructions when every
        // word starting with n, t or f, or any number, went through all of them).
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            switch first | 0x20 {
            case UInt8(ascii: "n"), UInt8(ascii: "t"):
                guard text.utf8.count == 4 else { return .string(text) }
            case UInt8(ascii: "f"):
                guard text.utf8.count == 5 else { return .string(text) }
            default:
                return .string(text)
            }
            switch text {
            case "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: return .string(text)
            }
        case UInt8(ascii: "~"):
            return text.utf8.count == 1 ? .null : .string(text)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            switch text {
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
            case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
            case ".nan", ".NaN", ".NAN": return .double(.nan)
            default: break
            }
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            break
        default:
            return .string(text)
        }
        if let number = number(text) { return number }
        return .string(text)
    }

    /// True when a plain scalar resolves to something other than a string.
    static func isNonString(plain text: String) -> Bool {
        if case .string = resolve(plain: text) { false } else { true }
    }

    private static func number(_ text: String) -> JSONValue? {
        let bytes = Array(text.utf8)
        if bytes.count > 2 && bytes[0] == UInt8(ascii: "0") {
            let body = String(decoding: bytes[2...], as: UTF8.self)
            if bytes[1] == UInt8(ascii: "o"), bytes[2...].allSatisfy({ (48...55).contains($0) }) {
                return Int(body, radix: 8).map(JSONValue.integer) ?? .string(text)
            }
            if bytes[1] == UInt8(ascii: "x"), bytes[2...].allSatisfy(isHexDigit) {
                return Int(body, radix: 16).map(JSONValue.integer) ?? .string(text)
            }
        }
        guard isDecimalNumber(bytes) else { return nil }
        let isInteger = !bytes.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        if isInteger, let value = Int(text) { return .integer(value) }
        return Double(text).map(JSONValue.double)
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isDecimalNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                _ = digits()
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }
}

extension YAMLNode {
    /// The node as a JSON value: plain scalars resolved by the core schema, quoted and
    /// `!!str` scalars as strings, sequences as arrays, mappings as objects.
    public var jsonValue: JSONValue {
        switch content {
        case .scalar(let scalar):
            return scalar.isPlain ? YAMLScalarResolver.resolve(plain: scalar.text) : .string(scalar.text)
        case .sequence(let items):
            return .array(items.map(\.jsonValue))
        case .mapping(let entries):
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(entries.count)
            for entry in entries { members[entry.key] = entry.value.jsonValue }
            return .object(members)
        }
    }
}
