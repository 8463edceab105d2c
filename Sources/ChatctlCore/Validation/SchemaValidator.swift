public import ChatctlJSON
/// A JSON Schema (draft 2020-12) validator: compiles a schema once, then validates
/// many instances.
///
/// Supported: `type`, `enum`, `const`; `properties`, `patternProperties`,
/// `additionalProperties`, `propertyNames`, `required`, `minProperties`, `maxProperties`,
/// `dependentRequired`, `dependentSchemas`; `prefixItems`, `items`, `contains`,
/// `minContains`, `maxContains`, `minItems`, `maxItems`, `uniqueItems`; `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`; `minLength`,
/// `maxLength` (in code points), `pattern` (ECMA-262, unanchored); `allOf`, `anyOf`,
/// `oneOf`, `not`, `if`/`then`/`else`; `$ref`, `$defs`, `$id` (embedded resources,
/// RFC 3986 resolution), `$anchor`; boolean schemas. Annotations (`title`,
/// `description`, `default`, `format`, …) and unknown keywords are ignored.
/// `unevaluatedProperties`, `unevaluatedItems` and `$dynamicRef` are refused with a
/// ``SchemaError`` rather than silently ignored.
///
/// Messages are written for the person who edits the YAML: a subschema's string
/// `errorMessage` replaces the messages its own keywords generate, and
/// `patternErrorMessage` replaces the message of its `pattern`.
public struct SchemaValidator: Sendable {
    private let nodes: [SchemaNode]
    private let root: Int

    /// Compiles a schema.
    ///
    /// - Parameters:
    ///   - schema: The root schema document.
    ///   - baseURI: The root schema's retrieval URI, against which its `$id` and `$ref`s
    ///     resolve.
    ///   - resources: Other schema documents that `$ref` may reach, keyed by absolute URI
    ///     (for example the project schema refers to
    ///     `chat-launch-profile.schema.json#/$defs/spec` relative to its own base URI).
    /// - Throws: ``SchemaError`` when a keyword has a value of the wrong type, a pattern
    ///   is not a regular expression, a `$ref` leads nowhere, or the schema uses an
    ///   unsupported keyword.
    public init(schema: JSONValue, baseURI: String = "urn:chatctl:root", resources: [String: JSONValue] = [:]) throws(SchemaError) {
        (nodes, root) = try SchemaCompiler.compile(schema: schema, baseURI: baseURI, resources: resources)
    }

    /// Validates an instance and reports every violation.
    ///
    /// - Parameter instance: The value to check.
    /// - Returns: The violations, sorted by instance location then schema location;
    ///   empty when the instance is valid.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        if isValid(instance) { return [] }
        var evaluator = SchemaEvaluator(nodes: nodes)
        _ = evaluator.evaluate(root, instance, collect: true)
        var violations = evaluator.violations.map(\.violation)
        if evaluator.loopDetected {
            // The schema cannot judge this instance; anything else found is noise.
            violations = violations.filter { $0.keyword == "$ref" }
            if violations.isEmpty {
                violations.append(SchemaViolation(
                    instancePath: JSONPointer(), keyword: "$ref", schemaPath: JSONPointer(),
                    message: SchemaEvaluator.loopMessage))
            }
        } else if violations.isEmpty {
            // Collecting mode always explains a failure; this only guards against a
            // mismatch between the two modes.
            violations.append(SchemaViolation(
                instancePath: JSONPointer(), keyword: "schema", schemaPath: JSONPointer(),
                message: "does not match the schema"))
        }
        return violations.sortedUnique(by: SchemaViolation.precedes)
    }

    /// Whether an instance is valid; stops at the first failure and builds no messages.
    ///
    /// - Parameter instance: The value to check.
    /// - Returns: `true` when ``validate(_:)`` would return no violations.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(nodes: nodes)
        return evaluator.evaluate(root, instance, collect: false)
    }
}
