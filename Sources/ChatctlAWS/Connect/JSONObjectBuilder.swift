import ChatctlJSON

/// An object-building helper that leaves out absent members, as restJson1 requires.
struct JSONObjectBuilder {
    private(set) var members: [String: JSONValue] = [:]

    mutating func set(_ name: String, _ value: String?) {
        if let value { members[name] = .string(value) }
    }

    mutating func set(_ name: String, _ value: Int?) {
        if let value { members[name] = .integer(value) }
    }

    mutating func set(_ name: String, _ value: Bool?) {
        if let value { members[name] = .bool(value) }
    }

    mutating func set(_ name: String, _ value: JSONValue?) {
        if let value { members[name] = value }
    }

    mutating func set(_ name: String, _ value: [String]?) {
        if let value { members[name] = .array(value.map(JSONValue.string)) }
    }

    mutating func set(_ name: String, _ value: [String: String]?) {
        if let value { members[name] = .object(value.mapValues(JSONValue.string)) }
    }

    /// A sensitive string: the value itself, or `"(sensitive)"` when redacting.
    mutating func set(_ name: String, _ value: Sensitive<String>?, redacting: Bool) {
        if let value { members[name] = .string(redacting ? Sensitive<String>.placeholder : value.value) }
    }

    var node: JSONValue { .object(members) }

    /// The compact body bytes: keys sorted by UTF-8 bytes, no whitespace, so the same input
    /// gives the same bytes everywhere (profile digests are computed over them).
    var bytes: [UInt8] { JSONWriter.compact.bytes(node) }
}
