import ChatctlJSON
/// The keywords that apply to arrays: `prefixItems`, `items`, `contains` (with
/// `minContains` and `maxContains`), `minItems`, `maxItems` and `uniqueItems`.
final class ArrayKeywords: Sendable {
    let prefixItems: [Int]
    let items: Int?
    /// True when `items` is the literal `false`: no elements beyond `prefixItems`.
    let forbidsMoreItems: Bool
    let contains: Int?
    /// The `const` of the `contains` subschema, for the message `must list "text/plain"`.
    let containsConstant: JSONValue?
    let minContains: Int
    let maxContains: Int?
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool

    init(
        prefixItems: [Int], items: Int?, forbidsMoreItems: Bool, contains: Int?, containsConstant: JSONValue?,
        minContains: Int, maxContains: Int?, minItems: Int?, maxItems: Int?, uniqueItems: Bool
    ) {
        self.prefixItems = prefixItems
        self.items = items
        self.forbidsMoreItems = forbidsMoreItems
        self.contains = contains
        self.containsConstant = containsConstant
        self.minContains = minContains
        self.maxContains = maxContains
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
    }
}

extension SchemaCompiler {
    mutating func compileArrayKeywords(_ members: [String: JSONValue], at location: SchemaLocation) throws(SchemaError) -> ArrayKeywords? {
        let prefixItems = try subschemaArray(members, "prefixItems", at: location)
        let items = try subschema(members, "items", at: location)
        let contains = try subschema(members, "contains", at: location)
        let minContains = contains == nil ? nil : try nonNegativeInteger(members, "minContains", at: location)
        let maxContains = contains == nil ? nil : try nonNegativeInteger(members, "maxContains", at: location)
        let minItems = try nonNegativeInteger(members, "minItems", at: location)
        let maxItems = try nonNegativeInteger(members, "maxItems", at: location)
        let uniqueItems = try boolean(members, "uniqueItems", at: location) ?? false
        guard prefixItems != nil || items != nil || contains != nil || minItems != nil || maxItems != nil || uniqueItems else {
            return nil
        }
        return ArrayKeywords(
            prefixItems: prefixItems ?? [], items: items, forbidsMoreItems: isFalseSchema(members, "items"),
            contains: contains, containsConstant: members["contains"]?["const"],
            minContains: minContains ?? 1, maxContains: maxContains,
            minItems: minItems, maxItems: maxItems, uniqueItems: uniqueItems)
    }
}

extension SchemaEvaluator {
    mutating func evaluateArrayKeywords(_ keywords: ArrayKeywords, _ node: SchemaNode, _ elements: [JSONValue], collect: Bool) -> Bool {
        var valid = true
        if let minimum = keywords.minItems, elements.count < minimum {
            if !collect { return false }
            report(node, keyword: "minItems", message: "must have at least \(Self.count(minimum, "item", "items"))")
            valid = false
        }
        if let maximum = keywords.maxItems, elements.count > maximum {
            if !collect { return false }
            report(node, keyword: "maxItems", message: "must have at most \(Self.count(maximum, "item", "items"))")
            valid = false
        }
        for (position, child) in zip(elements.indices, keywords.prefixItems) {
            if !evaluateChild(
                child, elements[position], collect: collect, instanceStep: .index(position),
                schemaStep: .key("prefixItems"), .index(position)) {
                if !collect { return false }
                valid = false
            }
        }
        if let items = keywords.items, elements.count > keywords.prefixItems.count {
            if keywords.forbidsMoreItems {
                if !collect { return false }
                let allowed = keywords.prefixItems.count
                report(
                    node, keyword: "items",
                    message: allowed == 0 ? "must be an empty list" : "must have at most \(Self.count(allowed, "item", "items"))")
                valid = false
            } else {
                for position in keywords.prefixItems.count..<elements.count {
                    if !evaluateChild(items, elements[position], collect: collect, instanceStep: .index(position), schemaStep: .key("items")) {
                        if !collect { return false }
                        valid = false
                    }
                }
            }
        }
        if let contains = keywords.contains, !evaluateContains(contains, keywords, node, elements, collect: collect) {
            if !collect { return false }
            valid = false
        }
        if keywords.uniqueItems, elements.count > 1, !evaluateUniqueItems(node, elements, collect: collect) {
            if !collect { return false }
            valid = false
        }
        return valid
    }

    private mutating func evaluateContains(
        _ contains: Int, _ keywords: ArrayKeywords, _ node: SchemaNode, _ elements: [JSONValue], collect: Bool
    ) -> Bool {
        if keywords.minContains == 0 && keywords.maxContains == nil { return true }
        var matches = 0
        for element in elements where evaluate(contains, element, collect: false) {
            matches += 1
            // Enough is known once the minimum is met and no maximum applies.
            if keywords.maxContains == nil && matches >= keywords.minContains { return true }
            if let maximum = keywords.maxContains, matches > maximum, !collect { return false }
        }
        var valid = true
        if matches < keywords.minContains {
            if !collect { return false }
            let minimum = keywords.minContains
            let message: String
            if let constant = keywords.containsConstant {
                message = minimum == 1 ? "must list \(Self.render(constant))" : "must list \(Self.render(constant)) at least \(minimum) times"
            } else {
                message = "must contain at least \(Self.count(minimum, "matching item", "matching items"))"
            }
            report(node, keyword: "contains", message: message)
            valid = false
        }
        if let maximum = keywords.maxContains, matches > maximum {
            if !collect { return false }
            let message: String
            if let constant = keywords.containsConstant {
                message = maximum == 1
                    ? "must not list \(Self.render(constant)) more than once"
                    : "must list \(Self.render(constant)) at most \(maximum) times"
            } else {
                message = "must contain at most \(Self.count(maximum, "matching item", "matching items"))"
            }
            report(node, keyword: "maxContains", message: message)
            valid = false
        }
        return valid
    }

    /// Reports each element equal to an earlier one, at the later element.
    private mutating func evaluateUniqueItems(_ node: SchemaNode, _ elements: [JSONValue], collect: Bool) -> Bool {
        var valid = true
        if elements.count <= 16 {
            for later in 1..<elements.count where elements[..<later].contains(where: { $0.schemaEquals(elements[later]) }) {
                if !collect { return false }
                reportRepeat(node, elements[later], at: later)
                valid = false
            }
        } else {
            // Group by hash (`==`), then confirm with `schemaEquals`.
            var seen: [JSONValue: [JSONValue]] = [:]
            seen.reserveCapacity(elements.count)
            for (position, element) in elements.enumerated() {
                if seen[element]?.contains(where: { $0.schemaEquals(element) }) == true {
                    if !collect { return false }
                    reportRepeat(node, element, at: position)
                    valid = false
                } else {
                    seen[element, default: []].append(element)
                }
            }
        }
        return valid
    }

    private mutating func reportRepeat(_ node: SchemaNode, _ element: JSONValue, at position: Int) {
        report(node, keyword: "uniqueItems", at: .index(position), message: "must not repeat \(Self.render(element))")
    }
}
