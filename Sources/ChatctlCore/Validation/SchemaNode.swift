/// Where a subschema is: which schema document, and the JSON pointer tokens inside it.
struct SchemaLocation: Hashable, Sendable {
    var document: Int
    var tokens: [String]

    func appending(_ token: String) -> SchemaLocation {
        SchemaLocation(document: document, tokens: tokens + [token])
    }

    func appending(_ first: String, _ second: String) -> SchemaLocation {
        SchemaLocation(document: document, tokens: tokens + [first, second])
    }
}

/// One compiled subschema: its keywords grouped by the kind of instance they apply to,
/// so that evaluation only looks at the groups that matter for a value.
///
/// Nodes refer to each other by index into the validator's node array, which lets
/// `$ref` cycles exist without reference cycles. Nodes never change after compiling.
final class SchemaNode: Sendable {
    let location: SchemaLocation
    /// `true` or `false` for a boolean schema; `nil` for an object schema.
    let boolean: Bool?
    let title: String?
    /// Replaces the generated message of every violation this node's own keywords produce.
    let errorMessage: String?
    /// Replaces the generated message of a failing `pattern`.
    let patternErrorMessage: String?
    let types: TypeKeywords?
    let numeric: NumericKeywords?
    let string: StringKeywords?
    let object: ObjectKeywords?
    let array: ArrayKeywords?
    let applicators: ApplicatorKeywords?
    /// The node `$ref` points at.
    let reference: Int?

    init(location: SchemaLocation, boolean: Bool) {
        self.location = location
        self.boolean = boolean
        title = nil
        errorMessage = nil
        patternErrorMessage = nil
        types = nil
        numeric = nil
        string = nil
        object = nil
        array = nil
        applicators = nil
        reference = nil
    }

    init(
        location: SchemaLocation, title: String?, errorMessage: String?, patternErrorMessage: String?,
        types: TypeKeywords?, numeric: NumericKeywords?, string: StringKeywords?, object: ObjectKeywords?,
        array: ArrayKeywords?, applicators: ApplicatorKeywords?, reference: Int?
    ) {
        self.location = location
        boolean = nil
        self.title = title
        self.errorMessage = errorMessage
        self.patternErrorMessage = patternErrorMessage
        self.types = types
        self.numeric = numeric
        self.string = string
        self.object = object
        self.array = array
        self.applicators = applicators
        self.reference = reference
    }

    /// True for the `false` schema, which nothing matches.
    var isFalse: Bool { boolean == false }
}
