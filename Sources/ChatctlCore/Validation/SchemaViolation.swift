public import ChatctlJSON
/// One way an instance breaks its JSON Schema, placed so that a YAML node tree can
/// turn it into a line and column.
///
/// Placement: a missing `required` (or `dependentRequired`) member is reported at the
/// object that lacks it, one violation per missing name; an `additionalProperties` or
/// `propertyNames` failure at the offending member with ``pointsAtKey`` set; a
/// `uniqueItems` failure at the later duplicate; everything else at the instance the
/// keyword evaluated.
public struct SchemaViolation: Sendable, Hashable {
    /// Where in the instance the problem is.
    public var instancePath: JSONPointer
    /// True when the location is a mapping key (an unknown or badly named member), not its value.
    public var pointsAtKey: Bool
    /// The keyword that failed: `type`, `minimum`, `required`, `additionalProperties`, `enum`, …
    public var keyword: String
    /// Where the keyword is in the schema, through any `$ref` that led to it
    /// (the JSON Schema output format's `keywordLocation`).
    public var schemaPath: JSONPointer
    /// A sentence fragment that follows the field name: lowercase, no trailing period,
    /// for example `must be at least 60`.
    public var message: String
    /// What went wrong, as data.
    public var kind: Kind

    /// What went wrong, as data a caller can build hints from.
    public enum Kind: Sendable, Hashable {
        /// A value of the wrong type. Both lists use JSON Schema type names
        /// (`string`, `integer`, `number`, `boolean`, `null`, `array`, `object`).
        case type(expected: [String], actual: String)
        /// A required member is missing from the object at ``SchemaViolation/instancePath``.
        case required(missing: String)
        /// A member that `additionalProperties: false` forbids. `allowed` lists the
        /// names declared in that schema's `properties`, sorted.
        case unknownProperty(name: String, allowed: [String])
        /// A value that is not one of the allowed values (`enum`, or `const` with one value).
        case enumMismatch(allowed: [JSONValue])
        /// Any other failure; ``SchemaViolation/message`` says what.
        case other
    }

    /// Creates a violation.
    public init(
        instancePath: JSONPointer, pointsAtKey: Bool = false, keyword: String,
        schemaPath: JSONPointer, message: String, kind: Kind = .other
    ) {
        self.instancePath = instancePath
        self.pointsAtKey = pointsAtKey
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
        self.kind = kind
    }
}

extension SchemaViolation: CustomStringConvertible {
    /// `field.path: message`, or just the message at the root.
    public var description: String {
        let path = instancePath.fieldPath
        return path.isEmpty ? message : "\(path): \(message)"
    }
}

extension SchemaViolation {
    /// Orders violations by instance location (document order of keys is unknown here,
    /// so keys compare by their UTF-8 bytes and elements by index), then by schema location.
    static func precedes(_ lhs: SchemaViolation, _ rhs: SchemaViolation) -> Bool {
        if lhs.instancePath != rhs.instancePath {
            return pointerPrecedes(lhs.instancePath, rhs.instancePath)
        }
        if lhs.pointsAtKey != rhs.pointsAtKey { return lhs.pointsAtKey }
        if lhs.schemaPath != rhs.schemaPath {
            return pointerPrecedes(lhs.schemaPath, rhs.schemaPath)
        }
        if lhs.keyword != rhs.keyword { return JSONWriter.utf8Precedes(lhs.keyword, rhs.keyword) }
        return JSONWriter.utf8Precedes(lhs.message, rhs.message)
    }

    private static func pointerPrecedes(_ lhs: JSONPointer, _ rhs: JSONPointer) -> Bool {
        for (left, right) in zip(lhs.components, rhs.components) where left != right {
            switch (left, right) {
            case (.index(let a), .index(let b)): return a < b
            case (.key(let a), .key(let b)): return JSONWriter.utf8Precedes(a, b)
            case (.index, .key): return true
            case (.key, .index): return false
            }
        }
        return lhs.components.count < rhs.components.count
    }
}
