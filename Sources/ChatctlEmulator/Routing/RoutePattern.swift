/// A route's path: literal segments and `{Label}` segments that match any one non-empty
/// segment, as Smithy's `@http(uri:)` writes them (`/contact/stop`,
/// `/contacts/{InstanceId}/{ContactId}`).
struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case label(String)
    }

    let segments: [Segment]

    /// Parses `/a/{B}/c`.
    init(_ text: String) {
        segments = text.split(separator: "/").map { part in
            if part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 {
                return .label(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// The labels' values when `path` matches, else `nil`. Labels are percent-decoded.
    func match(_ path: String) -> [String: String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count == segments.count else { return nil }
        var labels: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .label(let name):
                guard !part.isEmpty else { return nil }
                labels[name] = String(part).removingPercentEncoding ?? String(part)
            }
        }
        return labels
    }

    var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .label(let name): "{\(name)}"
            }
        }.joined(separator: "/")
    }
}
