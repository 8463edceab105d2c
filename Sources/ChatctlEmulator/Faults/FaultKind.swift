import Foundation

/// A failure the emulator injects on purpose, to exercise a client's retries.
public enum FaultKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Answer 500 `InternalServiceException`; nothing is created or stopped.
    case internalError = "500"
    /// Close the connection without answering; nothing is created or stopped.
    case drop
    /// Carry the operation out (create the contact, stop it), then close the connection
    /// without answering: the answer is lost. A retry with the same ClientToken must get
    /// the same contact back.
    case lost

    /// How often this kind is chosen among the enabled kinds when a fault is injected:
    /// 500 twice as often as each connection fault (2 : 1 : 1 with all three enabled).
    public var weight: Double {
        switch self {
        case .internalError: 2
        case .drop, .lost: 1
        }
    }

    /// Order of declaration: `500`, `drop`, `lost`.
    public static func < (lhs: FaultKind, rhs: FaultKind) -> Bool {
        let order = FaultKind.allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }

    /// Parses a comma-separated list such as `500,drop,lost` (also `internal`).
    ///
    /// - Returns: the kinds, or `nil` when a name is unknown or the list is empty.
    public static func parseList(_ text: String) -> Set<FaultKind>? {
        var kinds: Set<FaultKind> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "500", "internal", "internalerror": kinds.insert(.internalError)
            case "drop": kinds.insert(.drop)
            case "lost": kinds.insert(.lost)
            default: return nil
            }
        }
        return kinds.isEmpty ? nil : kinds
    }
}
