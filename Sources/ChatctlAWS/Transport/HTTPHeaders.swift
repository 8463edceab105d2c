/// One HTTP header field as sent or received: the name keeps its original case.
public struct HTTPHeader: Sendable, Equatable, Hashable {
    /// The field name as written, for example `X-Amz-Date`. Compare names case-insensitively.
    public var name: String
    /// The field value as written, not trimmed; it may contain obs-fold line breaks.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of HTTP header fields. Names may repeat and are matched
/// case-insensitively (ASCII), as RFC 9110 section 5.1 says.
public struct HTTPHeaders: Sendable, Equatable, Hashable, RandomAccessCollection,
    ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral
{
    /// The fields, in the order they were added or received.
    public private(set) var fields: [HTTPHeader]

    /// Creates a list from fields, keeping their order.
    public init(_ fields: [HTTPHeader] = []) {
        self.fields = fields
    }

    /// Creates a list from `name: value` pairs, keeping their order and any repeated names.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { HTTPHeader(name: $0.0, value: $0.1) }
    }

    /// Creates a list from fields, keeping their order.
    public init(arrayLiteral elements: HTTPHeader...) {
        self.fields = elements
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> HTTPHeader { fields[position] }

    /// The value of the first field called `name` (case-insensitive), or `nil`.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of the fields called `name` (case-insensitive), in order.
    public func values(for name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// Whether a field called `name` (case-insensitive) is present.
    public func contains(name: String) -> Bool {
        self[name] != nil
    }

    /// Appends a field, keeping any earlier fields of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(HTTPHeader(name: name, value: value))
    }

    /// Removes every field called `name` (case-insensitive).
    public mutating func remove(name: String) {
        let wanted = name.lowercased()
        fields.removeAll { $0.name.lowercased() == wanted }
    }

    /// Removes every field called `name` (case-insensitive), then appends one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Names of headers whose values are credentials or secrets and must never be logged:
    /// `x-amz-bearer` carries the Participant Service's participant or connection token.
    public static let sensitiveNames: Set<String> = [
        "authorization", "x-amz-security-token", "x-amz-bearer", "proxy-authorization", "cookie", "set-cookie",
        "x-aws-ec2-metadata-token",
    ]

    /// A copy safe to print: sensitive values are replaced by `(redacted)`, except that the
    /// `Authorization` value keeps its algorithm, `Credential` scope and `SignedHeaders`,
    /// and loses only its `Signature`.
    public func redacted() -> HTTPHeaders {
        HTTPHeaders(
            fields.map { field in
                let lower = field.name.lowercased()
                guard Self.sensitiveNames.contains(lower) else { return field }
                if lower == "authorization", let range = field.value.range(of: "Signature=") {
                    return HTTPHeader(
                        name: field.name, value: field.value[..<range.upperBound] + "(redacted)")
                }
                return HTTPHeader(name: field.name, value: "(redacted)")
            })
    }
}
