public import ChatctlJSON
import Foundation

extension FlowStep {
    /// The step as the admin API shows it: `{flowId, action, type, branch, next?, note?,
    /// notEmulated, at}` with `at` in RFC 3339 UTC. No attribute values: notes name actions,
    /// fixtures and results of conditions only.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "flowId": .string(flowId), "action": .string(action), "type": .string(type), "branch": .string(branch),
            "notEmulated": .bool(notEmulated), "at": .string(Self.timestamp(at)),
        ]
        if let next { object["next"] = .string(next) }
        if let note { object["note"] = .string(note) }
        return .object(object)
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: date)
    }
}
