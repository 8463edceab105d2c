import ChatctlJSON
extension JSONValue {
    /// Equality as JSON Schema defines it for `const`, `enum` and `uniqueItems`.
    ///
    /// The same as `==` (numbers by value, `1 == 1.0`, `true != 1`) except for text:
    /// Swift's `String` equality treats canonically equivalent strings (`"é"` and
    /// `"e\u{301}"`) as equal, JSON Schema compares code points. Member names of two
    /// objects are compared by code points as well.
    func schemaEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.string(let left), .string(let right)):
            return Self.sameCodeUnits(left, right)
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.schemaEquals($1) }
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            for (key, value) in left {
                guard let index = right.index(forKey: key) else { return false }
                let (otherKey, otherValue) = right[index]
                guard Self.sameCodeUnits(key, otherKey), value.schemaEquals(otherValue) else { return false }
            }
            return true
        default:
            return self == other
        }
    }

    /// Whether two strings have the same UTF-8 bytes (and so the same code points).
    static func sameCodeUnits(_ left: String, _ right: String) -> Bool {
        let leftBytes = left.utf8.span
        let rightBytes = right.utf8.span
        guard leftBytes.count == rightBytes.count else { return false }
        for index in leftBytes.indices where leftBytes[index] != rightBytes[index] { return false }
        return true
    }
}
