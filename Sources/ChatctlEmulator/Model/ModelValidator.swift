import ChatctlJSON

/// Checks a JSON request body against an input shape of ``ConnectModel``, the way the
/// service's frontend does before the operation runs.
///
/// Two kinds of problem are told apart, as AWS's JSON services do:
/// - a value of the wrong JSON type (or a body that is not an object) stops deserialisation:
///   400 `SerializationException` naming the first such member;
/// - every constraint that fails on well-typed values — required members, lengths in code
///   points, integer ranges, enums, list and map sizes, map keys, unknown members at any
///   depth — is collected, and all of them are answered together as one 400
///   `InvalidParameterException` whose message reads like AWS's:
///   `2 validation errors detected: Value null at 'InstanceId' failed to satisfy constraint:
///   Member must not be null; …`.
///
/// Values are never echoed in messages, so sensitive members cannot leak. A JSON `null`
/// counts as an absent member. Paths use the wire names, `.` between members, `[0]` for
/// list elements and `["key"]` for map keys with unusual characters.
struct ModelValidator: Sendable {
    /// The shapes to check against, by name.
    var shapes: [String: ModelShape]

    init(shapes: [String: ModelShape] = ConnectModel.shapes) {
        self.shapes = shapes
    }

    /// Checks `value` against the shape named `shape`.
    ///
    /// - Parameters:
    ///   - value: the parsed body.
    ///   - shape: the input shape name, for example `StartChatContactRequest`.
    /// - Throws: ``ConnectError`` `SerializationException` for a type error,
    ///   `InvalidParameterException` listing every constraint violation.
    func validate(_ value: JSONValue, shape: String) throws(ConnectError) {
        var violations: [String] = []
        try check(value, shapeName: shape, path: JSONPointer(), violations: &violations)
        guard !violations.isEmpty else { return }
        let count = violations.count
        let header = count == 1 ? "1 validation error detected: " : "\(count) validation errors detected: "
        throw .invalidParameter(header + violations.joined(separator: "; "))
    }

    private func check(
        _ value: JSONValue, shapeName: String, path: JSONPointer, violations: inout [String]
    ) throws(ConnectError) {
        guard let shape = shapes[shapeName] else {
            // Only reachable with a broken table; ConnectModelTests guards against it.
            throw .serialization("The model has no shape named \(shapeName).")
        }
        switch shape.kind {
        case .structure(let members):
            guard case .object(let object) = value else {
                throw Self.typeError(expected: "an object", found: value, path: path)
            }
            var known: Set<String> = []
            for member in members {
                known.insert(member.name)
                let memberPath = path.appending(key: member.name)
                guard let child = object[member.name], child != .null else {
                    if member.isRequired {
                        violations.append(
                            "Value null at '\(Self.describe(memberPath))' failed to satisfy constraint: Member must not be null")
                    }
                    continue
                }
                try check(child, shapeName: member.shape, path: memberPath, violations: &violations)
            }
            for name in object.keys.sorted(by: JSONWriter.utf8Precedes) where !known.contains(name) {
                violations.append(
                    "Value at '\(Self.describe(path.appending(key: name)))' failed to satisfy constraint: "
                        + "Member is not part of \(shape.name)")
            }
        case .string:
            guard case .string(let text) = value else {
                throw Self.typeError(expected: "a string", found: value, path: path)
            }
            checkSize(text.unicodeScalars.count, of: shape, path: path, noun: "length", violations: &violations)
            if let allowed = shape.enumValues, !allowed.contains(text) {
                violations.append(
                    "Value at '\(Self.describe(path))' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
            }
        case .integer:
            guard let number = Self.integer(value) else {
                if case .integer = value {
                    throw .serialization("Value at '\(Self.describe(path))' does not fit in a 32-bit integer.")
                }
                throw Self.typeError(expected: "an integer", found: value, path: path)
            }
            checkSize(number, of: shape, path: path, noun: "value", violations: &violations)
        case .list(let element):
            guard case .array(let items) = value else {
                throw Self.typeError(expected: "an array", found: value, path: path)
            }
            checkSize(items.count, of: shape, path: path, noun: "length", violations: &violations)
            for (index, item) in items.enumerated() {
                let itemPath = path.appending(index: index)
                if item == .null {
                    violations.append(
                        "Value null at '\(Self.describe(itemPath))' failed to satisfy constraint: Member must not be null")
                    continue
                }
                try check(item, shapeName: element, path: itemPath, violations: &violations)
            }
        case .map(let keyShape, let valueShape):
            guard case .object(let entries) = value else {
                throw Self.typeError(expected: "an object", found: value, path: path)
            }
            checkSize(entries.count, of: shape, path: path, noun: "length", violations: &violations)
            for key in entries.keys.sorted(by: JSONWriter.utf8Precedes) {
                let entryPath = path.appending(key: key)
                if let keyConstraint = shapes[keyShape] {
                    for rule in Self.sizeRules(key.unicodeScalars.count, of: keyConstraint, noun: "length") {
                        violations.append(
                            "Value at '\(Self.describe(path))' failed to satisfy constraint: "
                                + "Map keys must satisfy constraint: [\(rule)]")
                    }
                }
                guard let entry = entries[key], entry != .null else {
                    violations.append(
                        "Value null at '\(Self.describe(entryPath))' failed to satisfy constraint: Member must not be null")
                    continue
                }
                try check(entry, shapeName: valueShape, path: entryPath, violations: &violations)
            }
        }
    }

    private func checkSize(
        _ size: Int, of shape: ModelShape, path: JSONPointer, noun: String, violations: inout [String]
    ) {
        for rule in Self.sizeRules(size, of: shape, noun: noun) {
            violations.append("Value at '\(Self.describe(path))' failed to satisfy constraint: \(rule)")
        }
    }

    /// The bounds of `shape` that `size` breaks, as AWS words them: `Member must have length
    /// greater than or equal to 1`.
    private static func sizeRules(_ size: Int, of shape: ModelShape, noun: String) -> [String] {
        var rules: [String] = []
        if let min = shape.min, size < min {
            rules.append("Member must have \(noun) greater than or equal to \(min)")
        }
        if let max = shape.max, size > max {
            rules.append("Member must have \(noun) less than or equal to \(max)")
        }
        return rules
    }

    /// The value of a JSON integer (or of a whole number written with a fraction or an
    /// exponent) that fits in 32 bits, as the model's integers do.
    static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .integer(let number):
            return Int(exactly: Int32(clamping: number)) == number ? number : nil
        case .double(let number):
            guard number.isFinite, number.rounded(.towardZero) == number,
                number >= Double(Int32.min), number <= Double(Int32.max)
            else { return nil }
            return Int(number)
        default:
            return nil
        }
    }

    /// The path of a member as messages show it; the body itself is `(body)`.
    static func describe(_ path: JSONPointer) -> String {
        path.components.isEmpty ? "(body)" : path.fieldPath
    }

    private static func typeError(expected: String, found value: JSONValue, path: JSONPointer) -> ConnectError {
        let found: String
        switch value {
        case .null: found = "null"
        case .bool: found = "a boolean"
        case .integer: found = "an integer"
        case .double(let number):
            found = number.rounded(.towardZero) == number ? "a number out of range" : "a number with a fraction"
        case .string: found = "a string"
        case .array: found = "an array"
        case .object: found = "an object"
        }
        if path.components.isEmpty {
            return .serialization("The request body must be a JSON object, found \(found).")
        }
        return .serialization("Expected \(expected) at '\(describe(path))', found \(found).")
    }
}
