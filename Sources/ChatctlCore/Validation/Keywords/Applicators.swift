import ChatctlJSON
/// The in-place applicators: `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`.
final class ApplicatorKeywords: Sendable {
    let allOf: [Int]
    let anyOf: [Int]
    let oneOf: [Int]
    let not: Int?
    let condition: Int?
    let then: Int?
    let otherwise: Int?

    init(allOf: [Int], anyOf: [Int], oneOf: [Int], not: Int?, condition: Int?, then: Int?, otherwise: Int?) {
        self.allOf = allOf
        self.anyOf = anyOf
        self.oneOf = oneOf
        self.not = not
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }
}

extension SchemaCompiler {
    mutating func compileApplicators(_ members: [String: JSONValue], at location: SchemaLocation) throws(SchemaError) -> ApplicatorKeywords? {
        let allOf = try subschemaArray(members, "allOf", at: location) ?? []
        let anyOf = try subschemaArray(members, "anyOf", at: location) ?? []
        let oneOf = try subschemaArray(members, "oneOf", at: location) ?? []
        let not = try subschema(members, "not", at: location)
        let condition = try subschema(members, "if", at: location)
        // `then` and `else` do nothing without `if`, but are still compiled (and checked).
        let then = try subschema(members, "then", at: location)
        let otherwise = try subschema(members, "else", at: location)
        guard !allOf.isEmpty || !anyOf.isEmpty || !oneOf.isEmpty || not != nil || condition != nil else { return nil }
        return ApplicatorKeywords(
            allOf: allOf, anyOf: anyOf, oneOf: oneOf, not: not, condition: condition,
            then: condition == nil ? nil : then, otherwise: condition == nil ? nil : otherwise)
    }
}

extension SchemaEvaluator {
    mutating func evaluateApplicators(_ keywords: ApplicatorKeywords, _ node: SchemaNode, _ instance: JSONValue, collect: Bool) -> Bool {
        var valid = true
        for (position, branch) in keywords.allOf.enumerated()
        where !evaluateInPlace(branch, instance, collect: collect, schemaStep: .key("allOf"), .index(position)) {
            if !collect { return false }
            valid = false
        }
        if !keywords.anyOf.isEmpty, !keywords.anyOf.contains(where: { evaluate($0, instance, collect: false) }) {
            if !collect { return false }
            reportBestMatch(node, keyword: "anyOf", branches: keywords.anyOf, instance)
            valid = false
        }
        if !keywords.oneOf.isEmpty, !evaluateOneOf(keywords.oneOf, node, instance, collect: collect) {
            if !collect { return false }
            valid = false
        }
        if let not = keywords.not, evaluate(not, instance, collect: false) {
            if !collect { return false }
            let message = "must not match \(describe(not))"
            report(node, keyword: "not", message: message)
            valid = false
        }
        if let condition = keywords.condition {
            let holds = evaluate(condition, instance, collect: false)
            if holds, let then = keywords.then,
               !evaluateInPlace(then, instance, collect: collect, schemaStep: .key("then")) {
                if !collect { return false }
                valid = false
            }
            if !holds, let otherwise = keywords.otherwise,
               !evaluateInPlace(otherwise, instance, collect: collect, schemaStep: .key("else")) {
                if !collect { return false }
                valid = false
            }
        }
        return valid
    }

    private mutating func evaluateOneOf(_ branches: [Int], _ node: SchemaNode, _ instance: JSONValue, collect: Bool) -> Bool {
        var matches = 0
        for branch in branches where evaluate(branch, instance, collect: false) {
            matches += 1
            if matches > 1 && !collect { return false }
        }
        if matches == 1 { return true }
        guard collect else { return false }
        if matches == 0 {
            reportBestMatch(node, keyword: "oneOf", branches: branches, instance)
        } else {
            let message = "must match exactly one of: \(branches.map { describe($0) }.joined(separator: ", ")), but matches \(matches)"
            report(node, keyword: "oneOf", message: message)
        }
        return false
    }

    /// Reports why no branch of an `anyOf`/`oneOf` matched, in the spirit of Python
    /// jsonschema's `best_match`.
    ///
    /// Branches that fail on the instance's very shape (a `type` violation at the
    /// instance itself, or `const`/`enum` on a scalar) are set aside. When exactly one
    /// branch is left, its own violations are more specific and are reported instead.
    /// Otherwise one violation at the instance lists what each branch accepts.
    mutating func reportBestMatch(_ node: SchemaNode, keyword: String, branches: [Int], _ instance: JSONValue) {
        let start = violations.count
        var survivors: [[PendingViolation]] = []
        var rulingKinds: [SchemaViolation.Kind] = []
        for (position, branch) in branches.enumerated() {
            _ = evaluateInPlace(branch, instance, collect: true, schemaStep: .key(keyword), .index(position))
            let produced = Array(violations[start...])
            violations.removeSubrange(start...)
            if let ruling = produced.first(where: { $0.rulesOutBranch && isAtCurrentInstance($0) }) {
                rulingKinds.append(ruling.violation.kind)
            } else {
                survivors.append(produced)
            }
        }
        if survivors.count == 1, let only = survivors.first, !only.isEmpty {
            violations.append(contentsOf: only)
            return
        }
        var kind = SchemaViolation.Kind.other
        if survivors.isEmpty {
            kind = Self.combinedKind(rulingKinds, actual: SchemaType.of(instance))
        }
        let message = "must be one of: \(branches.map { describe($0) }.joined(separator: ", "))"
        report(node, keyword: keyword, message: message, kind: kind, rulesOutBranch: survivors.isEmpty)
    }

    /// One kind for a set of branches that were all ruled out: a type mismatch when they
    /// all were, an enum mismatch when they all were, else `other`.
    private static func combinedKind(_ kinds: [SchemaViolation.Kind], actual: SchemaType) -> SchemaViolation.Kind {
        var expected: [String] = []
        var allowed: [JSONValue] = []
        var types = 0
        var values = 0
        for kind in kinds {
            switch kind {
            case .type(let names, _):
                types += 1
                for name in names where !expected.contains(name) { expected.append(name) }
            case .enumMismatch(let list):
                values += 1
                for value in list where !allowed.contains(value) { allowed.append(value) }
            default:
                break
            }
        }
        if types == kinds.count { return .type(expected: expected, actual: actual.rawValue) }
        if values == kinds.count { return .enumMismatch(allowed: allowed) }
        return .other
    }
}
