import ChatctlJSON
/// The keywords that apply to objects: `properties`, `patternProperties`,
/// `additionalProperties`, `propertyNames`, `required`, `minProperties`,
/// `maxProperties`, `dependentRequired` and `dependentSchemas`.
final class ObjectKeywords: Sendable {
    struct PatternProperty: Sendable {
        var pattern: ECMAPattern
        var node: Int
    }

    /// The keyword values while a schema is compiled.
    struct Parts {
        var properties: [(name: String, node: Int)] = []
        var patternProperties: [PatternProperty] = []
        var additionalProperties: Int?
        var forbidsAdditionalProperties = false
        var propertyNames: Int?
        var required: [String] = []
        var minProperties: Int?
        var maxProperties: Int?
        var dependentRequired: [(name: String, required: [String])] = []
        var dependentSchemas: [(name: String, node: Int)] = []
    }

    /// Sorted by name (UTF-8 order).
    let properties: [(name: String, node: Int)]
    /// Each name in `properties` to its index there.
    private let propertyIndices: [String: Int]
    /// Per entry of `properties`: whether `required` names it.
    let isRequired: [Bool]
    /// How many distinct `required` names `properties` declares: in fast mode these are
    /// counted as the members are visited instead of looked up one by one.
    let declaredRequiredCount: Int
    /// The `required` names `properties` does not declare, each looked up.
    let undeclaredRequired: [String]
    /// The UTF-8 length of each name in `properties`, for ``propertyIndex(of:)``.
    private let propertyLengths: [Int]
    /// The names in `properties`, sorted: what an unknown field could have meant.
    let propertyNames: [String]
    let patternProperties: [PatternProperty]
    let additionalProperties: Int?
    /// True when `additionalProperties` is the literal `false`: a member it catches is an unknown field.
    let forbidsAdditionalProperties: Bool
    let propertyNamesSchema: Int?
    let required: [String]
    let minProperties: Int?
    let maxProperties: Int?
    let dependentRequired: [(name: String, required: [String])]
    let dependentSchemas: [(name: String, node: Int)]
    /// Whether members have to be visited one by one (not just looked up by name).
    let visitsMembers: Bool

    init(_ parts: Parts) {
        properties = parts.properties
        propertyIndices = Dictionary(
            parts.properties.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let requiredNames = Set(parts.required)
        isRequired = parts.properties.map { requiredNames.contains($0.name) }
        declaredRequiredCount = isRequired.count { $0 }
        var undeclared: [String] = []
        for name in parts.required where propertyIndices[name] == nil && !undeclared.contains(name) { undeclared.append(name) }
        undeclaredRequired = undeclared
        propertyLengths = parts.properties.map(\.name.utf8.count)
        propertyNames = parts.properties.map(\.name)
        patternProperties = parts.patternProperties
        additionalProperties = parts.additionalProperties
        forbidsAdditionalProperties = parts.forbidsAdditionalProperties
        propertyNamesSchema = parts.propertyNames
        required = parts.required
        minProperties = parts.minProperties
        maxProperties = parts.maxProperties
        dependentRequired = parts.dependentRequired
        dependentSchemas = parts.dependentSchemas
        visitsMembers = !parts.patternProperties.isEmpty || parts.additionalProperties != nil || parts.propertyNames != nil
    }

    /// Up to this many `properties`, a name is looked up by a linear search (lengths
    /// first, then text), which is cheaper than hashing it: every member of every object a
    /// profile has is looked up here (hashing was 11% of `chatctl validate`'s instructions).
    static let linearSearchLimit = 32

    /// The index in `properties` of the property `name`, when `properties` declares it.
    func propertyIndex(of name: String) -> Int? {
        guard properties.count <= Self.linearSearchLimit else { return propertyIndices[name] }
        let length = name.utf8.count
        for index in properties.indices where propertyLengths[index] == length && properties[index].name == name {
            return index
        }
        return nil
    }
}

extension SchemaCompiler {
    mutating func compileObjectKeywords(_ members: [String: JSONValue], at location: SchemaLocation) throws(SchemaError) -> ObjectKeywords? {
        var keywords = ObjectKeywords.Parts()
        var any = false
        if let properties = try subschemaMap(members, "properties", at: location) {
            keywords.properties = properties
            any = true
        }
        if let patterned = try subschemaMap(members, "patternProperties", at: location) {
            for entry in patterned {
                let pattern = try compilePattern(entry.name, at: location.appending("patternProperties", entry.name))
                keywords.patternProperties.append(ObjectKeywords.PatternProperty(pattern: pattern, node: entry.node))
            }
            any = true
        }
        if let additional = try subschema(members, "additionalProperties", at: location) {
            keywords.additionalProperties = additional
            keywords.forbidsAdditionalProperties = isFalseSchema(members, "additionalProperties")
            any = true
        }
        if let names = try subschema(members, "propertyNames", at: location) {
            keywords.propertyNames = names
            any = true
        }
        if let required = try strings(members, "required", at: location) {
            keywords.required = required
            any = true
        }
        keywords.minProperties = try nonNegativeInteger(members, "minProperties", at: location)
        keywords.maxProperties = try nonNegativeInteger(members, "maxProperties", at: location)
        if keywords.minProperties != nil || keywords.maxProperties != nil { any = true }
        if let value = members["dependentRequired"] {
            guard case .object(let map) = value else {
                throw error(
                    .invalidKeywordValue(keyword: "dependentRequired"), at: location.appending("dependentRequired"),
                    "dependentRequired must be an object whose values are arrays of strings")
            }
            for name in JSONWriter.sortedKeys(map) {
                guard let required = try strings(map, name, at: location.appending("dependentRequired")) else { continue }
                keywords.dependentRequired.append((name, required))
            }
            any = true
        }
        if let dependent = try subschemaMap(members, "dependentSchemas", at: location) {
            keywords.dependentSchemas = dependent
            any = true
        }
        return any ? ObjectKeywords(keywords) : nil
    }
}

extension SchemaEvaluator {
    mutating func evaluateObjectKeywords(
        _ keywords: ObjectKeywords, _ node: SchemaNode, _ members: [String: JSONValue], collect: Bool
    ) -> Bool {
        guard collect else { return objectKeywordsHold(keywords, node, members) }
        var valid = true
        for name in keywords.required where members[name] == nil {
            report(node, keyword: "required", message: "is missing the required field \(JSONPointer.quoted(name))", kind: .required(missing: name))
            valid = false
        }
        if let minimum = keywords.minProperties, members.count < minimum {
            report(node, keyword: "minProperties", message: "must have at least \(Self.count(minimum, "field", "fields"))")
            valid = false
        }
        if let maximum = keywords.maxProperties, members.count > maximum {
            report(node, keyword: "maxProperties", message: "must have at most \(Self.count(maximum, "field", "fields"))")
            valid = false
        }
        if keywords.visitsMembers || members.count < keywords.properties.count {
            // One pass over the members: one lookup each.
            var requiredSeen = 0
            if !evaluateMembers(keywords, node, members, collect: true, requiredSeen: &requiredSeen) {
                valid = false
            }
        } else {
            for (name, child) in keywords.properties {
                guard let value = members[name] else { continue }
                if !evaluateChild(child, value, collect: true, instanceStep: .key(name), schemaStep: .key("properties"), .key(name)) {
                    valid = false
                }
            }
        }
        for (name, required) in keywords.dependentRequired where members[name] != nil {
            for missing in required where members[missing] == nil {
                report(
                    node, keyword: "dependentRequired",
                    message: "is missing the field \(JSONPointer.quoted(missing)), which is required when \(JSONPointer.quoted(name)) is given",
                    kind: .required(missing: missing))
                valid = false
            }
        }
        for (name, child) in keywords.dependentSchemas where members[name] != nil {
            if !evaluateInPlace(child, .object(members), collect: true, schemaStep: .key("dependentSchemas"), .key(name)) {
                valid = false
            }
        }
        return valid
    }

    /// The object keywords in fast mode: whether they all hold, reporting nothing.
    ///
    /// `required` names that `properties` declares are counted as the members are met, not
    /// each looked up by hashing it (objects are checked several times a profile, in `if` and
    /// `anyOf` branches: 2% of `chatctl validate`'s instructions). A dictionary has each name
    /// once, so reaching their number means none is missing; short of it, they are looked
    /// up. Collecting mode keeps the order of its reports and looks them up.
    private mutating func objectKeywordsHold(
        _ keywords: ObjectKeywords, _ node: SchemaNode, _ members: [String: JSONValue]
    ) -> Bool {
        if let minimum = keywords.minProperties, members.count < minimum { return false }
        if let maximum = keywords.maxProperties, members.count > maximum { return false }
        var requiredSeen = 0
        if keywords.visitsMembers || members.count < keywords.properties.count {
            guard evaluateMembers(keywords, node, members, collect: false, requiredSeen: &requiredSeen) else { return false }
        } else {
            for (index, (name, child)) in keywords.properties.enumerated() {
                guard let value = members[name] else { continue }
                if keywords.isRequired[index] { requiredSeen += 1 }
                guard evaluateChild(child, value, collect: false, instanceStep: .key(name), schemaStep: .key("properties"), .key(name))
                else { return false }
            }
        }
        if requiredSeen < keywords.declaredRequiredCount {
            // A member may name a required property in text canonically equal to it but
            // written otherwise (KELVIN SIGN for `K`), which the search by length does not
            // count: the dictionary's own lookup decides, as it does in collecting mode.
            for name in keywords.required where members[name] == nil { return false }
        }
        for name in keywords.undeclaredRequired where members[name] == nil { return false }
        for (name, required) in keywords.dependentRequired where members[name] != nil {
            for missing in required where members[missing] == nil { return false }
        }
        for (name, child) in keywords.dependentSchemas where members[name] != nil {
            guard evaluateInPlace(child, .object(members), collect: false, schemaStep: .key("dependentSchemas"), .key(name))
            else { return false }
        }
        return true
    }

    /// `properties`, `patternProperties`, `additionalProperties` and `propertyNames`,
    /// member by member; adds to `requiredSeen` each member that a `required` name declared
    /// in `properties` names.
    private mutating func evaluateMembers(
        _ keywords: ObjectKeywords, _ node: SchemaNode, _ members: [String: JSONValue], collect: Bool,
        requiredSeen: inout Int
    ) -> Bool {
        var valid = true
        let patternProperties = keywords.patternProperties
        let additionalProperties = keywords.additionalProperties
        let propertyNamesSchema = keywords.propertyNamesSchema
        let visitsMembers = keywords.visitsMembers
        for (name, value) in members {
            let index = keywords.propertyIndex(of: name)
            var declared: Int?
            if let index {
                declared = keywords.properties[index].node
                if keywords.isRequired[index] { requiredSeen += 1 }
            }
            if let declared, !evaluateChild(
                declared, value, collect: collect, instanceStep: .key(name), schemaStep: .key("properties"), .key(name)) {
                if !collect { return false }
                valid = false
            }
            guard visitsMembers else { continue }
            var matched = declared != nil
            for entry in patternProperties where entry.pattern.matches(name) {
                matched = true
                if !evaluateChild(
                    entry.node, value, collect: collect, instanceStep: .key(name),
                    schemaStep: .key("patternProperties"), .key(entry.pattern.source)) {
                    if !collect { return false }
                    valid = false
                }
            }
            if !matched, let additional = additionalProperties {
                if keywords.forbidsAdditionalProperties {
                    if !collect { return false }
                    report(
                        node, keyword: "additionalProperties", at: .key(name), pointsAtKey: true,
                        message: "unknown field \(JSONPointer.quoted(name))",
                        kind: .unknownProperty(name: name, allowed: keywords.propertyNames))
                    valid = false
                } else if !evaluateChild(
                    additional, value, collect: collect, instanceStep: .key(name), schemaStep: .key("additionalProperties")) {
                    if !collect { return false }
                    valid = false
                }
            }
            if let names = propertyNamesSchema, !evaluateName(names, name, collect: false) {
                if !collect { return false }
                _ = evaluateName(names, name, collect: true)
                valid = false
            }
        }
        return valid
    }

    /// `1 item`, `3 items`.
    static func count(_ number: Int, _ singular: String, _ plural: String) -> String {
        "\(number) \(number == 1 ? singular : plural)"
    }
}
