import ChatctlJSON
/// A value of the `SegmentAttributes` map of StartChatContact: a string, an integer, an
/// ARN, a list of values or a map of named values (shape `SegmentAttributeValue`).
///
/// The model defines it as a structure whose members are all optional, not as a union, so
/// each member is kept as is; the service expects exactly one to be set, and the profile
/// validator enforces that. `ValueMap` and `ValueList` hold values of this same type.
public struct SegmentAttributeValue: Sendable, Equatable, Decodable {
    /// `ValueString`: 0 to 1024 characters.
    public var valueString: String?
    /// `ValueInteger`.
    public var valueInteger: Int?
    /// `ValueMap`: names of 1 to 128 characters to nested values.
    public var valueMap: [String: SegmentAttributeValue]?
    /// `ValueList`: nested values.
    public var valueList: [SegmentAttributeValue]?
    /// `ValueArn`: an ARN, 0 to 1024 characters.
    public var valueArn: String?

    /// Creates a value with any combination of members (normally exactly one).
    public init(
        valueString: String? = nil, valueInteger: Int? = nil, valueMap: [String: SegmentAttributeValue]? = nil,
        valueList: [SegmentAttributeValue]? = nil, valueArn: String? = nil
    ) {
        self.valueString = valueString
        self.valueInteger = valueInteger
        self.valueMap = valueMap
        self.valueList = valueList
        self.valueArn = valueArn
    }

    /// A `ValueString`.
    public static func string(_ value: String) -> SegmentAttributeValue { .init(valueString: value) }
    /// A `ValueInteger`.
    public static func integer(_ value: Int) -> SegmentAttributeValue { .init(valueInteger: value) }
    /// A `ValueMap`.
    public static func map(_ value: [String: SegmentAttributeValue]) -> SegmentAttributeValue { .init(valueMap: value) }
    /// A `ValueList`.
    public static func list(_ value: [SegmentAttributeValue]) -> SegmentAttributeValue { .init(valueList: value) }
    /// A `ValueArn`.
    public static func arn(_ value: String) -> SegmentAttributeValue { .init(valueArn: value) }

    enum CodingKeys: String, CodingKey {
        case valueString = "ValueString", valueInteger = "ValueInteger", valueMap = "ValueMap"
        case valueList = "ValueList", valueArn = "ValueArn"
    }

    var jsonValue: JSONValue {
        var object = JSONObjectBuilder()
        object.set("ValueString", valueString)
        object.set("ValueInteger", valueInteger)
        object.set("ValueMap", valueMap.map { JSONValue.object($0.mapValues(\.jsonValue)) })
        object.set("ValueList", valueList.map { JSONValue.array($0.map(\.jsonValue)) })
        object.set("ValueArn", valueArn)
        return object.node
    }
}
