public import ChatctlJSON
/// A schema that cannot be compiled: it is wrong, not the instance.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the schema.
    public enum Kind: Sendable, Hashable {
        /// A `$ref` whose target is in no known document, or not in its document.
        case unresolvedReference(String)
        /// A `pattern` or `patternProperties` name that is not a regular expression.
        case invalidPattern(String)
        /// A keyword whose value has the wrong type or range (`minLength: -1`, `type: "text"`).
        case invalidKeywordValue(keyword: String)
        /// A subschema that is neither an object nor a boolean.
        case invalidSchema
        /// A keyword this validator does not implement (`unevaluatedProperties`, …).
        case unsupportedKeyword(String)
        /// Two different subschemas claim the same `$id` or `$anchor`.
        case duplicateIdentifier(String)
    }

    /// What is wrong.
    public var kind: Kind
    /// The URI of the schema document the problem is in (its `$id`, or the URI it was given under).
    public var documentURI: String
    /// Where in that document: the keyword, or the subschema.
    public var schemaPath: JSONPointer
    /// What is wrong, lowercase, no trailing period.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, documentURI: String, schemaPath: JSONPointer, message: String) {
        self.kind = kind
        self.documentURI = documentURI
        self.schemaPath = schemaPath
        self.message = message
    }

    /// `uri#/pointer: message`.
    public var description: String {
        "\(documentURI)#\(schemaPath.rfc6901): \(message)"
    }
}
