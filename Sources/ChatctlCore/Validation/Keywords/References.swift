import ChatctlJSON
/// `$ref`: resolution happens while compiling (see ``SchemaCompiler``); evaluation
/// follows the resolved node, with a guard against `$ref` chains that loop without
/// ever stepping into the instance.
extension SchemaCompiler {
    /// The node a schema's `$ref` points at, or `nil` without a `$ref`.
    mutating func compileReference(
        _ members: [String: JSONValue], at location: SchemaLocation, base: URIReference
    ) throws(SchemaError) -> Int? {
        guard let value = members["$ref"] else { return nil }
        guard case .string(let text) = value else {
            throw error(.invalidKeywordValue(keyword: "$ref"), at: location.appending("$ref"), "$ref must be a string")
        }
        return nodeIndex(for: try resolve(text, base: base, from: location))
    }
}

extension SchemaEvaluator {
    static let loopMessage = "cannot be checked: the schema's $ref chain goes round in a loop"

    mutating func evaluateReference(_ target: Int, _ node: SchemaNode, _ instance: JSONValue, collect: Bool) -> Bool {
        referenceDepth += 1
        defer { referenceDepth -= 1 }
        if referenceDepth > Self.maximumReferenceDepth {
            if collect {
                report(node, keyword: "$ref", ignoresCustomMessage: true, message: Self.loopMessage)
            }
            loopDetected = true
            return false
        }
        return evaluateInPlace(target, instance, collect: collect, schemaStep: .key("$ref"))
    }
}
