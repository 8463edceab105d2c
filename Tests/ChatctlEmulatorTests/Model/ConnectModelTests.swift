import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// The compiled table of shapes must say what the API model says; regenerate it with
/// scripts/generate-emulator-model when this fails.
@Suite struct ConnectModelTests {
    static let modelURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ChatctlAWSTests/Fixtures/connect/start-chat-contact.model.json")

    static func model() throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: modelURL)))
    }

    @Test func tableMatchesTheModelFile() throws {
        let model = try Self.model()
        var shapes: [String: ModelShape] = [:]
        for name in ["StartChatContact", "StopContact"] {
            let input = try #require(model["operations"]?[name]?["input"])
            try Self.collect(input, into: &shapes)
        }
        #expect(shapes.keys.sorted() == ConnectModel.shapes.keys.sorted())
        for (name, shape) in shapes {
            #expect(ConnectModel.shapes[name] == shape, "shape \(name)")
        }
        #expect(model["generatedFrom"]?["botocoreVersion"]?.stringValue == ConnectModel.botocoreVersion)
    }

    @Test func operationsMatchTheModelFile() throws {
        let model = try Self.model()
        for name in ["StartChatContact", "StopContact"] {
            let operation = try #require(model["operations"]?[name])
            let compiled = try #require(ConnectModel.operations[name])
            #expect(operation["http"]?["method"]?.stringValue == compiled.method)
            #expect(operation["http"]?["requestUri"]?.stringValue == compiled.requestURI)
            #expect(operation["input"]?["shape"]?.stringValue == compiled.input)
            var errors: [String: Int] = [:]
            for error in operation["errors"]?.arrayValue ?? [] {
                errors[error["shape"]?.stringValue ?? ""] = error["httpStatusCode"]?.numberValue.map { Int($0) }
            }
            #expect(errors == compiled.errors)
        }
    }

    @Test func everyShapeReferenceResolves() {
        for shape in ConnectModel.shapes.values {
            switch shape.kind {
            case .structure(let members):
                for member in members {
                    #expect(ConnectModel.shapes[member.shape] != nil, "\(shape.name).\(member.name)")
                }
            case .list(let element):
                #expect(ConnectModel.shapes[element] != nil, "\(shape.name) element")
            case .map(let key, let value):
                #expect(ConnectModel.shapes[key] != nil && ConnectModel.shapes[value] != nil, "\(shape.name) entries")
            case .string, .integer:
                break
            }
        }
    }

    /// The same flattening as scripts/generate-emulator-model, written again in Swift.
    static func collect(_ node: JSONValue, into shapes: inout [String: ModelShape]) throws {
        guard node["recursiveRef"] == nil else { return }
        let name = try #require(node["shape"]?.stringValue)
        let kind: ModelShape.Kind
        switch node["type"]?.stringValue {
        case "structure":
            let members = node["members"]?.objectValue ?? [:]
            // The model file's member order is its JSON text's; read it from the text.
            let order = try memberOrder(of: name)
            kind = .structure(
                order.compactMap { member in
                    members[member].flatMap { child in
                        child["shape"]?.stringValue.map {
                            ModelMember(member, shape: $0, required: child["required"] == .bool(true))
                        }
                    }
                })
            for child in members.values {
                try collect(child, into: &shapes)
            }
        case "string": kind = .string
        case "integer": kind = .integer
        case "list":
            let element = try #require(node["member"])
            kind = .list(element: try #require(element["shape"]?.stringValue))
            try collect(element, into: &shapes)
        case "map":
            let key = try #require(node["key"])
            let value = try #require(node["value"])
            kind = .map(key: try #require(key["shape"]?.stringValue), value: try #require(value["shape"]?.stringValue))
            try collect(key, into: &shapes)
            try collect(value, into: &shapes)
        default:
            Issue.record("unexpected type of \(name)")
            return
        }
        shapes[name] = ModelShape(
            name: name, kind: kind, min: node["min"]?.numberValue.map { Int($0) },
            max: node["max"]?.numberValue.map { Int($0) }, enumValues: node["enum"]?.arrayValue?.compactMap(\.stringValue),
            isSensitive: node["sensitive"] == .bool(true))
    }

    /// Member names of a structure in the order the compiled table lists them, checked
    /// against the set the model file has (JSON objects do not keep order once parsed).
    static func memberOrder(of shape: String) throws -> [String] {
        guard case .structure(let members)? = ConnectModel.shapes[shape]?.kind else {
            Issue.record("the table has no structure \(shape)")
            return []
        }
        return members.map(\.name)
    }
}
