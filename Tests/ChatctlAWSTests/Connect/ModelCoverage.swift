import Foundation

/// Walks the API model facts of `Fixtures/connect/start-chat-contact.model.json` together
/// with a JSON document, to check that a type covers every member the model defines.
struct ModelCoverage {
    /// For each structure shape: the member names the model defines and those seen in documents.
    private(set) var members: [String: (model: Set<String>, seen: Set<String>)] = [:]
    private var structures: [String: [String: Any]] = [:]

    static let modelURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/connect/start-chat-contact.model.json")

    /// The model node at `path` (operation, then `input`/`output`), or `nil`.
    static func node(_ operation: String, _ part: String) throws -> [String: Any]? {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: modelURL)) as? [String: Any]
        let operations = root?["operations"] as? [String: Any]
        let entry = operations?[operation] as? [String: Any]
        return entry?[part] as? [String: Any]
    }

    /// The error shapes of an operation with their HTTP status codes.
    static func errors(_ operation: String) throws -> [(shape: String, status: Int)] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: modelURL)) as? [String: Any]
        let operations = root?["operations"] as? [String: Any]
        let entry = operations?[operation] as? [String: Any]
        let errors = entry?["errors"] as? [[String: Any]] ?? []
        return errors.compactMap { error in
            guard let shape = error["shape"] as? String, let status = error["httpStatusCode"] as? Int else { return nil }
            return (shape, status)
        }
    }

    /// Records the members of `document` against the model node `model`, recursively.
    mutating func walk(model: [String: Any], document: Any?) {
        guard let document, let type = model["type"] as? String, let shape = model["shape"] as? String else { return }
        switch type {
        case "structure":
            var model = model
            if model["members"] == nil, let reference = model["recursiveRef"] as? String, let resolved = structures[reference] {
                model = resolved
            } else {
                structures[shape] = model
            }
            let modelMembers = model["members"] as? [String: Any] ?? [:]
            let object = document as? [String: Any] ?? [:]
            var entry = members[shape] ?? (Set(modelMembers.keys), [])
            entry.seen.formUnion(object.keys)
            members[shape] = entry
            for (name, child) in modelMembers {
                if let child = child as? [String: Any] {
                    walk(model: child, document: object[name])
                }
            }
        case "list":
            guard let member = model["member"] as? [String: Any] else { return }
            for element in document as? [Any] ?? [] {
                walk(model: member, document: element)
            }
        case "map":
            guard let value = model["value"] as? [String: Any] else { return }
            for element in (document as? [String: Any] ?? [:]).values {
                walk(model: value, document: element)
            }
        default:
            return
        }
    }

    /// Records the members of a JSON text.
    mutating func walk(model: [String: Any], json: [UInt8]) throws {
        walk(model: model, document: try JSONSerialization.jsonObject(with: Data(json)))
    }
}
