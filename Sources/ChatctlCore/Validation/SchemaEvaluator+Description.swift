import ChatctlJSON
extension SchemaEvaluator {
    /// A short noun phrase for what a subschema accepts, for `anyOf`/`oneOf`/`not`
    /// messages: its `title` when it has one, else built from its keywords, as in
    /// "a string", "an integer from 60 to 10080", `"chatctl/v1"`, `a mapping with field "from"`.
    func describe(_ index: Int, depth: Int = 0) -> String {
        let node = nodes[index]
        if let boolean = node.boolean { return boolean ? "anything" : "nothing" }
        if let title = node.title { return title }
        if let constant = node.types?.constant { return Self.render(constant) }
        if let allowed = node.types?.allowedValues {
            return allowed.count == 1 ? Self.render(allowed[0]) : "one of \(allowed.map(Self.renderPlain).joined(separator: ", "))"
        }
        var qualifiers: [String] = []
        var inferred: [SchemaType] = []
        if let numeric = node.numeric {
            qualifiers += Self.phrases(numeric)
            inferred.append(.number)
        }
        if let string = node.string {
            qualifiers += Self.phrases(string)
            inferred.append(.string)
        }
        if let object = node.object {
            qualifiers += Self.phrases(object)
            inferred.append(.object)
        }
        if let array = node.array {
            qualifiers += Self.phrases(array)
            inferred.append(.array)
        }
        let types = node.types?.types ?? (inferred.count == 1 ? inferred : [])
        let qualifierText = qualifiers.isEmpty ? "" : " " + qualifiers.joined(separator: " ")
        if !types.isEmpty {
            return Self.phraseList(types.map(\.phrase), conjunction: "or") + qualifierText
        }
        if qualifiers.isEmpty, depth < 8 {
            if let target = node.reference, node.applicators == nil {
                return describe(target, depth: depth + 1)
            }
            if node.reference == nil, let applicators = node.applicators, applicators.not == nil, applicators.condition == nil {
                let branches = applicators.allOf.count == 1 && applicators.anyOf.isEmpty && applicators.oneOf.isEmpty
                    ? applicators.allOf
                    : (applicators.allOf.isEmpty ? applicators.anyOf + applicators.oneOf : [])
                if !branches.isEmpty, applicators.anyOf.isEmpty || applicators.oneOf.isEmpty {
                    return Self.phraseList(branches.map { describe($0, depth: depth + 1) }, conjunction: "or")
                }
            }
        }
        if !qualifiers.isEmpty { return "a value" + qualifierText }
        return "the schema at #" + node.location.tokens.map { "/" + Self.escapePointerToken($0) }.joined()
    }

    private static func escapePointerToken(_ token: String) -> String {
        var result = ""
        for character in token {
            switch character {
            case "~": result += "~0"
            case "/": result += "~1"
            default: result.append(character)
            }
        }
        return result
    }

    private static func phrases(_ keywords: NumericKeywords) -> [String] {
        var result: [String] = []
        if let minimum = keywords.minimum, let maximum = keywords.maximum {
            result.append("from \(minimum.text) to \(maximum.text)")
        } else {
            var bounds: [String] = []
            if let minimum = keywords.minimum { bounds.append("of at least \(minimum.text)") }
            if let bound = keywords.exclusiveMinimum { bounds.append("greater than \(bound.text)") }
            if let maximum = keywords.maximum { bounds.append("of at most \(maximum.text)") }
            if let bound = keywords.exclusiveMaximum { bounds.append("less than \(bound.text)") }
            if !bounds.isEmpty { result.append(bounds.joined(separator: " and ")) }
        }
        if let step = keywords.multipleOf { result.append("that is a multiple of \(step.text)") }
        return result
    }

    private static func phrases(_ keywords: StringKeywords) -> [String] {
        var result: [String] = []
        switch (keywords.minLength, keywords.maxLength) {
        case (let minimum?, let maximum?):
            result.append(minimum == maximum
                ? "of \(count(minimum, "character", "characters"))"
                : "of \(minimum) to \(maximum) characters")
        case (let minimum?, nil):
            result.append("of at least \(count(minimum, "character", "characters"))")
        case (nil, let maximum?):
            result.append("of at most \(count(maximum, "character", "characters"))")
        case (nil, nil):
            break
        }
        if let pattern = keywords.pattern { result.append("matching \(pattern.source)") }
        return result
    }

    private static func phrases(_ keywords: ObjectKeywords) -> [String] {
        guard !keywords.required.isEmpty else { return [] }
        let names = keywords.required.map { JSONPointer.quoted($0) }
        return ["with \(names.count == 1 ? "field" : "fields") \(phraseList(names, conjunction: "and"))"]
    }

    private static func phrases(_ keywords: ArrayKeywords) -> [String] {
        var result: [String] = []
        switch (keywords.minItems, keywords.maxItems) {
        case (let minimum?, let maximum?):
            result.append("of \(minimum) to \(maximum) items")
        case (let minimum?, nil):
            result.append("of at least \(count(minimum, "item", "items"))")
        case (nil, let maximum?):
            result.append("of at most \(count(maximum, "item", "items"))")
        case (nil, nil):
            break
        }
        if let constant = keywords.containsConstant { result.append("listing \(render(constant))") }
        return result
    }
}
