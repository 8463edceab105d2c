import Foundation

/// One step into a JSON value: an object member or an array element.
public enum JSONPathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// A location inside a JSON value (RFC 6901), kept as components rather than text.
///
/// Schema violations carry one; a YAML node tree resolves it to a line and column.
public struct JSONPointer: Sendable, Hashable {
    public var components: [JSONPathComponent]

    public init(_ components: [JSONPathComponent] = []) {
        self.components = components
    }

    /// The pointer one step further in.
    public func appending(_ component: JSONPathComponent) -> JSONPointer {
        JSONPointer(components + [component])
    }

    /// The pointer one step further in, to the member `key`.
    public func appending(key: String) -> JSONPointer { appending(.key(key)) }

    /// The pointer one step further in, to element `index`.
    public func appending(index: Int) -> JSONPointer { appending(.index(index)) }

    /// The pointer one step out, or `nil` at the root.
    public var parent: JSONPointer? {
        components.isEmpty ? nil : JSONPointer(Array(components.dropLast()))
    }

    /// RFC 6901 text: `/spec/attributes/tier~1level`.
    public var rfc6901: String {
        components.map { component in
            switch component {
            case .key(let key):
                "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let index):
                "/\(index)"
            }
        }.joined()
    }

    /// The field path people read in diagnostics: keys joined by `.`, elements as `[0]`,
    /// and keys with characters outside `A-Za-z0-9_:-` as JSON strings in brackets,
    /// as in `spec.attributes["tier level"]` (docs/validation.md).
    public var fieldPath: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key):
                if !key.isEmpty && key.unicodeScalars.allSatisfy(Self.isPlainKeyScalar) {
                    text += text.isEmpty ? key : "." + key
                } else {
                    text += "[" + Self.quoted(key) + "]"
                }
            }
        }
        return text
    }

    private static func isPlainKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ":", "-": true
        default: false
        }
    }

    /// A key as a JSON string literal (quotes, backslashes and control characters escaped).
    public static func quoted(_ key: String) -> String {
        var text = "\""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            case _ where scalar.value < 0x20:
                text += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}

extension JSONPointer: CustomStringConvertible {
    public var description: String { fieldPath }
}
