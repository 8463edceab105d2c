import ChatctlJSON
/// A number written in a schema, kept as an integer when it was one so that
/// comparisons with integer instances are exact.
enum SchemaNumber: Sendable, Hashable {
    case integer(Int)
    case double(Double)

    init?(_ value: JSONValue) {
        switch value {
        case .integer(let number): self = .integer(number)
        case .double(let number): self = .double(number)
        default: return nil
        }
    }

    var doubleValue: Double {
        switch self {
        case .integer(let number): Double(number)
        case .double(let number): number
        }
    }

    /// The number as a message shows it: `60`, `0.5`, `1e-08`.
    var text: String {
        switch self {
        case .integer(let number):
            return String(number)
        case .double(let number):
            if number.rounded(.towardZero) == number, abs(number) < 1e15 { return String(Int(number)) }
            return number.description
        }
    }

    /// -1, 0 or 1 as `value` is below, equal to or above this number. Integers compare
    /// exactly with integers and with doubles.
    static func compare(_ value: JSONValue, _ bound: SchemaNumber) -> Int {
        switch (value, bound) {
        case (.integer(let left), .integer(let right)):
            return left < right ? -1 : (left > right ? 1 : 0)
        case (.integer(let left), .double(let right)):
            return compare(left, right)
        case (.double(let left), .integer(let right)):
            return -compare(right, left)
        case (.double(let left), .double(let right)):
            return left < right ? -1 : (left > right ? 1 : 0)
        default:
            return 0
        }
    }

    /// Compares an integer with a double without rounding the integer.
    private static func compare(_ left: Int, _ right: Double) -> Int {
        if right >= 9.223372036854775808e18 { return -1 }
        if right < -9.223372036854775808e18 { return 1 }
        let floor = right.rounded(.down)
        let whole = Int(floor)
        if left < whole { return -1 }
        if left > whole { return 1 }
        return floor == right ? 0 : -1
    }

    /// Whether `value` is a whole multiple of `divisor` (which is positive).
    ///
    /// Integers are checked exactly. Otherwise the quotient must be finite and within a
    /// few units in the last place of a whole number, so that `0.0075` is a multiple of
    /// `0.0001` although neither is exact in binary.
    static func isMultiple(_ value: JSONValue, of divisor: SchemaNumber) -> Bool {
        if case .integer(let number) = value, case .integer(let step) = divisor {
            return number % step == 0
        }
        guard let number = value.numberValue else { return true }
        let quotient = number / divisor.doubleValue
        guard quotient.isFinite else { return false }
        let whole = quotient.rounded()
        return abs(quotient - whole) <= 4 * quotient.ulp
    }
}

/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
struct NumericKeywords: Sendable {
    var minimum: SchemaNumber?
    var maximum: SchemaNumber?
    var exclusiveMinimum: SchemaNumber?
    var exclusiveMaximum: SchemaNumber?
    var multipleOf: SchemaNumber?
}

extension SchemaCompiler {
    func compileNumericKeywords(_ members: [String: JSONValue], at location: SchemaLocation) throws(SchemaError) -> NumericKeywords? {
        let keywords = NumericKeywords(
            minimum: try number(members, "minimum", at: location),
            maximum: try number(members, "maximum", at: location),
            exclusiveMinimum: try number(members, "exclusiveMinimum", at: location),
            exclusiveMaximum: try number(members, "exclusiveMaximum", at: location),
            multipleOf: try number(members, "multipleOf", at: location))
        if let step = keywords.multipleOf, step.doubleValue <= 0 {
            throw error(
                .invalidKeywordValue(keyword: "multipleOf"), at: location.appending("multipleOf"),
                "multipleOf must be greater than 0")
        }
        guard keywords.minimum != nil || keywords.maximum != nil || keywords.exclusiveMinimum != nil
            || keywords.exclusiveMaximum != nil || keywords.multipleOf != nil else { return nil }
        return keywords
    }
}

extension SchemaEvaluator {
    mutating func evaluateNumericKeywords(
        _ keywords: NumericKeywords, _ node: SchemaNode, _ instance: JSONValue, collect: Bool
    ) -> Bool {
        var valid = true
        if let bound = keywords.minimum, SchemaNumber.compare(instance, bound) < 0 {
            if !collect { return false }
            report(node, keyword: "minimum", message: "must be at least \(bound.text)")
            valid = false
        }
        if let bound = keywords.maximum, SchemaNumber.compare(instance, bound) > 0 {
            if !collect { return false }
            report(node, keyword: "maximum", message: "must be at most \(bound.text)")
            valid = false
        }
        if let bound = keywords.exclusiveMinimum, SchemaNumber.compare(instance, bound) <= 0 {
            if !collect { return false }
            report(node, keyword: "exclusiveMinimum", message: "must be greater than \(bound.text)")
            valid = false
        }
        if let bound = keywords.exclusiveMaximum, SchemaNumber.compare(instance, bound) >= 0 {
            if !collect { return false }
            report(node, keyword: "exclusiveMaximum", message: "must be less than \(bound.text)")
            valid = false
        }
        if let step = keywords.multipleOf, !SchemaNumber.isMultiple(instance, of: step) {
            if !collect { return false }
            report(node, keyword: "multipleOf", message: "must be a multiple of \(step.text)")
            valid = false
        }
        return valid
    }
}
