import ChatctlJSON
/// `minLength`, `maxLength` (counted in Unicode code points) and `pattern`.
final class StringKeywords: Sendable {
    let minLength: Int?
    let maxLength: Int?
    let pattern: ECMAPattern?

    init(minLength: Int?, maxLength: Int?, pattern: ECMAPattern?) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
    }
}

extension SchemaCompiler {
    func compileStringKeywords(_ members: [String: JSONValue], at location: SchemaLocation) throws(SchemaError) -> StringKeywords? {
        let minLength = try nonNegativeInteger(members, "minLength", at: location)
        let maxLength = try nonNegativeInteger(members, "maxLength", at: location)
        var pattern: ECMAPattern?
        if let value = members["pattern"] {
            guard case .string(let source) = value else {
                throw error(.invalidKeywordValue(keyword: "pattern"), at: location.appending("pattern"), "pattern must be a string")
            }
            pattern = try compilePattern(source, at: location.appending("pattern"))
        }
        guard minLength != nil || maxLength != nil || pattern != nil else { return nil }
        return StringKeywords(minLength: minLength, maxLength: maxLength, pattern: pattern)
    }

    /// Compiles a `pattern` or a `patternProperties` name.
    func compilePattern(_ source: String, at location: SchemaLocation) throws(SchemaError) -> ECMAPattern {
        do {
            return try ECMAPattern(source)
        } catch {
            throw self.error(
                .invalidPattern(source), at: location,
                "the pattern \(JSONPointer.quoted(source)) is not a valid regular expression")
        }
    }
}

extension SchemaEvaluator {
    mutating func evaluateStringKeywords(_ keywords: StringKeywords, _ node: SchemaNode, _ text: String, collect: Bool) -> Bool {
        var valid = true
        if keywords.minLength != nil || keywords.maxLength != nil {
            // A string has at most as many code points as UTF-8 bytes and at least a
            // quarter as many: most checks need no count.
            let bytes = text.utf8.count
            let settledByBytes = (keywords.maxLength.map { bytes <= $0 } ?? true)
                && (keywords.minLength.map { bytes >= 4 * $0 } ?? true)
            let length = settledByBytes ? bytes : text.unicodeScalars.count
            if let minimum = keywords.minLength, !settledByBytes, length < minimum {
                if !collect { return false }
                report(node, keyword: "minLength", message: "must be at least \(minimum) \(minimum == 1 ? "character" : "characters") long")
                valid = false
            }
            if let maximum = keywords.maxLength, !settledByBytes, length > maximum {
                if !collect { return false }
                report(
                    node, keyword: "maxLength",
                    message: "must be at most \(maximum) \(maximum == 1 ? "character" : "characters") long (it has \(length))")
                valid = false
            }
        }
        if let pattern = keywords.pattern, !pattern.matches(text) {
            if !collect { return false }
            report(node, keyword: "pattern", message: "must match the pattern \(pattern.source)")
            valid = false
        }
        return valid
    }
}
