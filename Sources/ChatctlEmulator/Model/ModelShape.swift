/// One shape of the Connect API model, as the emulator checks requests against it.
///
/// Shapes refer to each other by name (``ConnectModel/shapes``), so a recursive shape such
/// as `SegmentAttributeValue` needs no special case. For strings `min`/`max` bound the
/// length in Unicode code points, for integers the value, for lists and maps the number of
/// elements (the model's own conventions).
struct ModelShape: Sendable, Equatable {
    /// What kind of JSON value the shape is, with its children.
    enum Kind: Sendable, Equatable {
        /// A JSON object with these members, in model order.
        case structure([ModelMember])
        /// A JSON string.
        case string
        /// A JSON integer.
        case integer
        /// A JSON array whose elements have the named shape.
        case list(element: String)
        /// A JSON object whose names have the `key` shape and whose values the `value` shape.
        case map(key: String, value: String)
    }

    /// The model's shape name, for example `ContactId`.
    var name: String
    /// The kind and children.
    var kind: Kind
    /// The lower bound, when the model sets one.
    var min: Int?
    /// The upper bound, when the model sets one.
    var max: Int?
    /// The allowed values of an enum string.
    var enumValues: [String]?
    /// Whether the model marks the value sensitive (it is then never echoed).
    var isSensitive: Bool

    init(
        name: String, kind: Kind, min: Int? = nil, max: Int? = nil, enumValues: [String]? = nil,
        isSensitive: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.min = min
        self.max = max
        self.enumValues = enumValues
        self.isSensitive = isSensitive
    }
}

/// A member of a structure shape.
struct ModelMember: Sendable, Equatable {
    /// The member name as it appears in the JSON body, for example `InstanceId`.
    var name: String
    /// The name of the member's shape.
    var shape: String
    /// Whether the structure lists the member as required.
    var isRequired: Bool

    init(_ name: String, shape: String, required: Bool) {
        self.name = name
        self.shape = shape
        self.isRequired = required
    }
}

/// An operation of the model: its HTTP binding, input shape and modelled errors.
struct ModelOperation: Sendable, Equatable {
    /// The operation name, for example `StartChatContact`.
    var name: String
    /// The HTTP method, for example `PUT`.
    var method: String
    /// The request path, for example `/contact/chat`.
    var requestURI: String
    /// The input structure's shape name.
    var input: String
    /// The modelled errors and their HTTP status codes.
    var errors: [String: Int]
}
