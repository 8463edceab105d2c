/// A value the API model marks `sensitive` (a customer id, a participant token): it is
/// sent and decoded as the plain value, but printing, interpolating, `dump`ing or
/// debugging it shows only ``placeholder``.
public struct Sensitive<Value: Sendable & Equatable>: Sendable, Equatable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The text shown instead of a sensitive value: `(sensitive)`, as in plan output.
    public static var placeholder: String { "(sensitive)" }

    /// The real value. Read it only to send it or to hand it to its owner.
    public var value: Value

    /// Wraps a value.
    public init(_ value: Value) {
        self.value = value
    }

    /// ``placeholder``.
    public var description: String { Self.placeholder }
    /// ``placeholder``.
    public var debugDescription: String { Self.placeholder }
    /// A mirror with no children, so `dump` shows only the placeholder.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Sensitive: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral,
    ExpressibleByStringLiteral
where Value == String {
    /// Wraps a string literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}

extension Sensitive: Decodable where Value: Decodable {
    /// Decodes the plain value.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Value.self))
    }
}
