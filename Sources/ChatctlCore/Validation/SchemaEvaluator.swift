import ChatctlJSON
/// A violation on its way out, with what best-match needs to know about it.
struct PendingViolation {
    var violation: SchemaViolation
    /// True when the violation shows that a whole `anyOf`/`oneOf` branch is the wrong
    /// shape for the instance (a `type` failure, or a `const`/`enum` failure on a
    /// scalar), so best-match can set that branch aside.
    var rulesOutBranch: Bool
}

/// Runs compiled nodes over an instance.
///
/// In fast mode (`collect: false`) evaluation stops at the first failure and keeps no
/// paths. In collecting mode it records every violation; the instance path and the
/// schema path are kept in stacks that are pushed and popped as evaluation moves, and
/// copied only when a violation is reported.
struct SchemaEvaluator {
    let nodes: [SchemaNode]
    private(set) var instancePath: [JSONPathComponent] = []
    private(set) var schemaPath: [JSONPathComponent] = []
    var violations: [PendingViolation] = []
    /// `$ref`s followed since evaluation last stepped into a member or element.
    var referenceDepth = 0
    /// Set when `$ref`s loop without consuming the instance; evaluation then stops.
    var loopDetected = false
    /// True while evaluating `propertyNames`: violations point at the member's key.
    private var reportsKeys = false

    /// How many `$ref`s may be followed in a row without stepping into the instance.
    static let maximumReferenceDepth = 64

    init(nodes: [SchemaNode]) {
        self.nodes = nodes
    }

    /// Evaluates node `index` against `instance`.
    ///
    /// - Returns: Whether the instance is valid against the node.
    mutating func evaluate(_ index: Int, _ instance: JSONValue, collect: Bool) -> Bool {
        if loopDetected { return false }
        let node = nodes[index]
        if let boolean = node.boolean {
            if !boolean && collect {
                report(node, keyword: "false", appendsKeyword: false, message: "is not allowed here")
            }
            return boolean
        }
        var valid = true
        if let types = node.types {
            switch evaluateTypeKeywords(types, node, instance, collect: collect) {
            case .passed: break
            case .wrongType: return false
            case .failed:
                if !collect { return false }
                valid = false
            }
        }
        switch instance {
        case .string(let text):
            if let keywords = node.string, !evaluateStringKeywords(keywords, node, text, collect: collect) {
                if !collect { return false }
                valid = false
            }
        case .integer, .double:
            if let keywords = node.numeric, !evaluateNumericKeywords(keywords, node, instance, collect: collect) {
                if !collect { return false }
                valid = false
            }
        case .object(let members):
            if let keywords = node.object, !evaluateObjectKeywords(keywords, node, members, collect: collect) {
                if !collect { return false }
                valid = false
            }
        case .array(let elements):
            if let keywords = node.array, !evaluateArrayKeywords(keywords, node, elements, collect: collect) {
                if !collect { return false }
                valid = false
            }
        case .null, .bool:
            break
        }
        if let target = node.reference, !evaluateReference(target, node, instance, collect: collect) {
            if !collect { return false }
            valid = false
        }
        if let keywords = node.applicators, !evaluateApplicators(keywords, node, instance, collect: collect) {
            if !collect { return false }
            valid = false
        }
        return valid
    }

    /// Evaluates `node` against a member or element of the current instance.
    mutating func evaluateChild(
        _ node: Int, _ value: JSONValue, collect: Bool,
        instanceStep: @autoclosure () -> JSONPathComponent,
        schemaStep: @autoclosure () -> JSONPathComponent,
        _ secondSchemaStep: @autoclosure () -> JSONPathComponent? = nil
    ) -> Bool {
        let savedDepth = referenceDepth
        referenceDepth = 0
        defer { referenceDepth = savedDepth }
        guard collect else { return evaluate(node, value, collect: false) }
        instancePath.append(instanceStep())
        let steps = pushSchemaSteps(schemaStep(), secondSchemaStep())
        let result = evaluate(node, value, collect: true)
        schemaPath.removeLast(steps)
        instancePath.removeLast()
        return result
    }

    /// Evaluates `node` against the current instance itself (`allOf`, `then`, `$ref`, …).
    mutating func evaluateInPlace(
        _ node: Int, _ instance: JSONValue, collect: Bool,
        schemaStep: @autoclosure () -> JSONPathComponent,
        _ secondSchemaStep: @autoclosure () -> JSONPathComponent? = nil
    ) -> Bool {
        guard collect else { return evaluate(node, instance, collect: false) }
        let steps = pushSchemaSteps(schemaStep(), secondSchemaStep())
        let result = evaluate(node, instance, collect: true)
        schemaPath.removeLast(steps)
        return result
    }

    /// Evaluates a `propertyNames` subschema against a member name, so that what it
    /// reports points at that member's key.
    mutating func evaluateName(_ node: Int, _ name: String, collect: Bool) -> Bool {
        guard collect else { return evaluate(node, .string(name), collect: false) }
        let saved = reportsKeys
        reportsKeys = true
        defer { reportsKeys = saved }
        return evaluateChild(node, .string(name), collect: true, instanceStep: .key(name), schemaStep: .key("propertyNames"))
    }

    private mutating func pushSchemaSteps(_ first: JSONPathComponent, _ second: JSONPathComponent?) -> Int {
        schemaPath.append(first)
        guard let second else { return 1 }
        schemaPath.append(second)
        return 2
    }

    // MARK: Reporting

    /// Records a violation of `node`'s `keyword` at the current instance (or one step
    /// further in, at `step`).
    ///
    /// The message is the node's `errorMessage` when it has one (`patternErrorMessage`
    /// first for `pattern`), else the generated one, which inside `propertyNames` is
    /// prefixed with "name ".
    mutating func report(
        _ node: SchemaNode, keyword: String, appendsKeyword: Bool = true,
        at step: JSONPathComponent? = nil, pointsAtKey: Bool = false, ignoresCustomMessage: Bool = false,
        message: @autoclosure () -> String, kind: SchemaViolation.Kind = .other, rulesOutBranch: Bool = false
    ) {
        var path = instancePath
        if let step { path.append(step) }
        var keywordPath = schemaPath
        if appendsKeyword { keywordPath.append(.key(keyword)) }
        var custom = node.errorMessage
        if keyword == "pattern", let patternMessage = node.patternErrorMessage { custom = patternMessage }
        if ignoresCustomMessage { custom = nil }
        let text = custom ?? (reportsKeys ? "name " + message() : message())
        violations.append(PendingViolation(
            violation: SchemaViolation(
                instancePath: JSONPointer(path), pointsAtKey: pointsAtKey || reportsKeys, keyword: keyword,
                schemaPath: JSONPointer(keywordPath), message: text, kind: kind),
            rulesOutBranch: rulesOutBranch))
    }

    /// Whether a pending violation sits at the current instance itself (not deeper; at a
    /// key only while a member name is the instance).
    func isAtCurrentInstance(_ pending: PendingViolation) -> Bool {
        pending.violation.pointsAtKey == reportsKeys && pending.violation.instancePath.components == instancePath
    }
}
