import Foundation

/// A condition operator of the flow language (research section 3.2: the operators seen in
/// exports and in the Testing language's Assert list).
public enum FlowComparison: String, Sendable, Hashable, CaseIterable {
    case equals = "Equals"
    case textContains = "TextContains"
    case textStartsWith = "TextStartsWith"
    case textEndsWith = "TextEndsWith"
    case numberGreaterThan = "NumberGreaterThan"
    case numberLessThan = "NumberLessThan"
    case numberGreaterOrEqualTo = "NumberGreaterOrEqualTo"
    case numberLessOrEqualTo = "NumberLessOrEqualTo"

    /// Whether `value` satisfies the operator against `operand`. Text comparisons are
    /// case-sensitive; a number comparison with a side that is not a number is false (the
    /// service's handling of non-numbers is unconfirmed, and false sends the contact to
    /// NoMatchingCondition rather than to a branch it did not earn).
    ///
    /// - Parameters:
    ///   - value: The action's result (for Compare, the resolved ComparisonValue).
    ///   - operand: One of the condition's operands.
    /// - Returns: Whether the condition holds for this operand.
    public func holds(for value: String, against operand: String) -> Bool {
        switch self {
        case .equals: return value == operand
        case .textContains: return value.contains(operand)
        case .textStartsWith: return value.hasPrefix(operand)
        case .textEndsWith: return value.hasSuffix(operand)
        case .numberGreaterThan, .numberLessThan, .numberGreaterOrEqualTo, .numberLessOrEqualTo:
            guard let left = Self.number(value), let right = Self.number(operand) else { return false }
            switch self {
            case .numberGreaterThan: return left > right
            case .numberLessThan: return left < right
            case .numberGreaterOrEqualTo: return left >= right
            default: return left <= right
            }
        }
    }

    private static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }
}
