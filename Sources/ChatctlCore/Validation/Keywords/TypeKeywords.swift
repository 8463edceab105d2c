import ChatctlJSON
/// The JSON Schema type names.
enum SchemaType: String, Sendable, CaseIterable {
    case string, number, integer, boolean, null, array, object

    /// The type in the words a YAML author reads: "a string", "a list", "a mapping".
    var phrase: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .integer: "an integer"
        case .boolean: "true or false"
        case .null: "null"
        case .array: "a list"
        case .object: "a mapping"
        }
    }

    /// Whether `value` is of this type (`1.0` is an integer; every integer is a number).
    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.boolean, .bool), (.null, .null), (.array, .array), (.object, .object): true
        case (.number, .integer), (.number, .double), (.integer, .integer): true
        case (.integer, .double(let number)): number.isFinite && number.rounded(.towardZero) == number
        default: false
        }
    }

    /// The type a value is reported as: integer literals are integers, other numbers numbers.
    static func of(_ value: JSONValue) -> SchemaType {
        switch value {
        case .null: .null
        case .bool: .boolean
        case .integer: .integer
        case .double: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }
}

/// `type`, `enum` and `const`: the keywords that apply to every kind of value.
///
/// Keyword groups are final classes so that evaluation reads their fields in place
/// instead of copying the group (and retaining each of its arrays) at every visit.
final class TypeKeywords: Sendable {
    let types: [SchemaType]?
    let allowedValues: [JSONValue]?
    /// For long `enum` lists, the values grouped by hash (`==`), to be confirmed with
    /// ``JSONValue/schemaEquals(_:)``.
    let allowedBuckets: [JSONValue: [JSONValue]]?
    let constant: JSONValue?

    init(types: [SchemaType]?, allowedValues: [JSONValue]?, constant: JSONValue?) {
        self.types = types
        self.allowedValues = allowedValues
        allowedBuckets = allowedValues.flatMap { $0.count > 16 ? Dictionary(grouping: $0) { $0 } : nil }
        self.constant = constant
    }

    enum Outcome {
        case passed
        /// `type` failed: the other keywords of the node are not worth checking.
        case wrongType
        case failed
    }
}

extension SchemaCompiler {
    func compileTypeKeywords(_ members: [String: JSONValue], at location: SchemaLocation) throws(SchemaError) -> TypeKeywords? {
        var types: [SchemaType]?
        var allowedValues: [JSONValue]?
        if let value = members["type"] {
            let names: [JSONValue]
            switch value {
            case .string: names = [value]
            case .array(let elements) where !elements.isEmpty: names = elements
            default: names = []
            }
            var listed: [SchemaType] = []
            for name in names {
                guard let text = name.stringValue, let type = SchemaType(rawValue: text) else {
                    throw error(
                        .invalidKeywordValue(keyword: "type"), at: location.appending("type"),
                        "type must be one of string, number, integer, boolean, null, array, object, or a list of them")
                }
                listed.append(type)
            }
            if names.isEmpty {
                throw error(
                    .invalidKeywordValue(keyword: "type"), at: location.appending("type"),
                    "type must be a type name or a non-empty list of them")
            }
            types = listed
        }
        if let value = members["enum"] {
            guard case .array(let elements) = value else {
                throw error(.invalidKeywordValue(keyword: "enum"), at: location.appending("enum"), "enum must be an array")
            }
            allowedValues = elements
        }
        let constant = members["const"]
        guard types != nil || allowedValues != nil || constant != nil else { return nil }
        return TypeKeywords(types: types, allowedValues: allowedValues, constant: constant)
    }
}

extension SchemaEvaluator {
    mutating func evaluateTypeKeywords(
        _ keywords: TypeKeywords, _ node: SchemaNode, _ instance: JSONValue, collect: Bool
    ) -> TypeKeywords.Outcome {
        if let types = keywords.types, !types.contains(where: { $0.matches(instance) }) {
            if collect {
                let actual = SchemaType.of(instance)
                report(
                    node, keyword: "type",
                    message: "must be \(Self.phraseList(types.map(\.phrase), conjunction: "or")), not \(actual.phrase)",
                    kind: .type(expected: types.map(\.rawValue), actual: actual.rawValue),
                    rulesOutBranch: true)
            }
            return .wrongType
        }
        var outcome = TypeKeywords.Outcome.passed
        let isScalar = instance.arrayValue == nil && instance.objectValue == nil
        if let allowed = keywords.allowedValues {
            let candidates = keywords.allowedBuckets.map { $0[instance] ?? [] } ?? allowed
            let found = candidates.contains { $0.schemaEquals(instance) }
            if !found {
                if !collect { return .failed }
                let message = allowed.count == 1
                    ? "must be \(Self.render(allowed[0]))"
                    : "must be one of \(allowed.map(Self.renderPlain).joined(separator: ", "))"
                report(node, keyword: "enum", message: message, kind: .enumMismatch(allowed: allowed), rulesOutBranch: isScalar)
                outcome = .failed
            }
        }
        if let constant = keywords.constant, !constant.schemaEquals(instance) {
            if !collect { return .failed }
            report(
                node, keyword: "const", message: "must be \(Self.render(constant))",
                kind: .enumMismatch(allowed: [constant]), rulesOutBranch: isScalar)
            outcome = .failed
        }
        return outcome
    }

    /// A value as compact JSON: `"text/plain"`, `3`, `null`, `{"a":1}`.
    static func render(_ value: JSONValue) -> String {
        JSONWriter.compact.string(value)
    }

    /// A value for a list in a message: strings as they are, other values as JSON.
    static func renderPlain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return render(value)
    }

    /// `a`, `a or b`, `a, b or c`.
    static func phraseList(_ phrases: [String], conjunction: String) -> String {
        guard phrases.count > 1, let last = phrases.last else { return phrases.first ?? "" }
        return phrases.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }
}
