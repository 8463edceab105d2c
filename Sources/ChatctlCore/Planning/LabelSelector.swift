import Foundation

/// A label selector as kubectl writes them: `team=care,tier!=gold` (all must hold).
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    public enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case exists(String)
    }

    public var requirements: [Requirement]

    /// Parses `text`, or returns `nil` when it is not a selector.
    public init?(_ text: String) {
        var requirements: [Requirement] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let term = part.trimmingCharacters(in: .whitespaces)
            if let range = term.range(of: "!=") {
                let key = String(term[..<range.lowerBound]), value = String(term[range.upperBound...])
                guard !key.isEmpty else { return nil }
                requirements.append(.notEquals(key, value))
            } else if let range = term.range(of: "=") {
                let key = String(term[..<range.lowerBound]), value = String(term[range.upperBound...].drop { $0 == "=" })
                guard !key.isEmpty else { return nil }
                requirements.append(.equals(key, value))
            } else {
                guard !term.isEmpty, !term.contains(" ") else { return nil }
                requirements.append(.exists(term))
            }
        }
        guard !requirements.isEmpty else { return nil }
        self.requirements = requirements
    }

    /// True when `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .exists(let key): labels[key] != nil
            }
        }
    }

    public var description: String {
        requirements.map { requirement in
            switch requirement {
            case .equals(let key, let value): "\(key)=\(value)"
            case .notEquals(let key, let value): "\(key)!=\(value)"
            case .exists(let key): key
            }
        }.joined(separator: ",")
    }
}
