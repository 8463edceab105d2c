import Foundation

/// A failure the emulator injects on purpose, to exercise a client's retries and its
/// handling of answers that prove nothing.
public enum FaultKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Answer 500 `InternalServiceException`; nothing is created or stopped.
    case internalError = "500"
    /// Close the connection without answering; nothing is created or stopped.
    case drop
    /// Carry the operation out (create the contact, stop it), then close the connection
    /// without answering: the answer is lost. A retry with the same ClientToken must get
    /// the same contact back.
    case lost
    /// Carry the operation out, then answer bytes that are not HTTP and close the
    /// connection: a client cannot tell what happened and must keep the outcome unknown.
    case garbage
    /// Carry the operation out, then answer 200 with a body the model forbids: a
    /// StartChatContact answer without `ContactId` or with a 1 MiB one (alternately), a
    /// StopContact answer that is truncated JSON.
    case malformed200 = "malformed-200"

    /// The kinds enabled when none are named: the three that answer like a service or a
    /// network can (`500`, `drop`, `lost`). `garbage` and `malformed-200` are opt-in.
    public static let standard: Set<FaultKind> = [.internalError, .drop, .lost]

    /// How often this kind is chosen among the enabled kinds when a fault is injected:
    /// 500 twice as often as each other kind (2 : 1 : 1 with the standard three).
    public var weight: Double {
        switch self {
        case .internalError: 2
        case .drop, .lost, .garbage, .malformed200: 1
        }
    }

    /// Whether the operation is carried out before the fault: the contact exists although
    /// the client got no usable answer.
    public var actsFirst: Bool {
        switch self {
        case .internalError, .drop: false
        case .lost, .garbage, .malformed200: true
        }
    }

    /// Order of declaration: `500`, `drop`, `lost`, `garbage`, `malformed-200`.
    public static func < (lhs: FaultKind, rhs: FaultKind) -> Bool {
        let order = FaultKind.allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }

    /// Parses a comma-separated list such as `500,drop,lost,garbage,malformed-200` (also
    /// `internal`).
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
            case "garbage": kinds.insert(.garbage)
            case "malformed-200", "malformed200": kinds.insert(.malformed200)
            default: return nil
            }
        }
        return kinds.isEmpty ? nil : kinds
    }

    /// Every name ``parseList(_:)`` takes, for messages.
    public static let names = "500, drop, lost, garbage and malformed-200"
}
