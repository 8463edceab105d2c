import ChatctlJSON
import ChatctlCore
import Foundation
import Testing

/// One case of the JSON Schema Test Suite: a schema and the instances checked against it.
struct SchemaSuiteCase: Sendable, CustomTestStringConvertible {
    struct Instance: Sendable {
        let description: String
        let data: JSONValue
        let valid: Bool
    }

    let file: String
    /// 0-based position in the file's top-level array.
    let index: Int
    let description: String
    let schema: JSONValue
    let instances: [Instance]
    /// Why the case is not run, for the few that need what this validator leaves out.
    let skipReason: String?

    var testDescription: String {
        "\(file)[\(index)] \(description)" + (skipReason.map { " (skipped: \($0))" } ?? "")
    }

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/json-schema-test-suite")

    /// The cases that are skipped, by file and case index, with the reason. Each is listed
    /// in `draft2020-12-notes.json`; `skipListComesFromTheNotes` checks that.
    static let skipped: [String: String] = [
        "ref.json#6": "needs the draft 2020-12 meta-schema, which is not bundled",
        "defs.json#0": "needs the draft 2020-12 meta-schema, which is not bundled",
        "not.json#8": "uses unevaluatedProperties, which is not supported",
        "ref.json#13": "uses unevaluatedProperties, which is not supported",
    ]

    static func all() throws -> [SchemaSuiteCase] {
        let folder = Self.folder.appendingPathComponent("draft2020-12")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
        var cases: [SchemaSuiteCase] = []
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            guard case .array(let entries) = try JSONParser.parse(bytes) else {
                throw SuiteFormatError(file: file)
            }
            for (index, entry) in entries.enumerated() {
                guard let description = entry["description"]?.stringValue, let schema = entry["schema"],
                      let tests = entry["tests"]?.arrayValue else { throw SuiteFormatError(file: file) }
                var instances: [Instance] = []
                for test in tests {
                    guard let name = test["description"]?.stringValue, let data = test["data"],
                          case .bool(let valid)? = test["valid"] else { throw SuiteFormatError(file: file) }
                    instances.append(Instance(description: name, data: data, valid: valid))
                }
                cases.append(SchemaSuiteCase(
                    file: file, index: index, description: description, schema: schema, instances: instances,
                    skipReason: skipped["\(file)#\(index)"]))
            }
        }
        return cases
    }
}

struct SuiteFormatError: Error {
    let file: String
}

@Suite struct JSONSchemaTestSuiteTests {
    @Test(arguments: try SchemaSuiteCase.all().filter { $0.skipReason == nil })
    func passesSuiteCase(_ suiteCase: SchemaSuiteCase) throws {
        let validator = try SchemaValidator(schema: suiteCase.schema)
        for instance in suiteCase.instances {
            let violations = validator.validate(instance.data)
            #expect(validator.isValid(instance.data) == instance.valid, "isValid: \(instance.description)")
            #expect(violations.isEmpty == instance.valid, "validate: \(instance.description): \(violations)")
        }
    }

    /// The skipped cases are not run against their instances; what they need must be
    /// refused with a ``SchemaError`` (never a crash, never a half check).
    @Test(arguments: try SchemaSuiteCase.all().filter { $0.skipReason != nil })
    func refusesSkippedCaseWithSchemaError(_ suiteCase: SchemaSuiteCase) {
        #expect(throws: SchemaError.self) { try SchemaValidator(schema: suiteCase.schema) }
    }

    @Test func runsEveryCaseOfTheCopiedSuite() throws {
        let cases = try SchemaSuiteCase.all()
        #expect(cases.count == 244)
        #expect(cases.reduce(0) { $0 + $1.instances.count } == 858)
        #expect(cases.filter { $0.skipReason != nil }.count == SchemaSuiteCase.skipped.count)
    }

    @Test func skipListComesFromTheNotes() throws {
        let bytes = try [UInt8](Data(contentsOf: SchemaSuiteCase.folder.appendingPathComponent("draft2020-12-notes.json")))
        let notes = try JSONParser.parse(bytes)
        var listed = Set<String>()
        for list in ["needsDraft2020_12MetaSchema", "needsUnevaluatedProperties"] {
            for entry in notes[list]?.arrayValue ?? [] {
                if let file = entry["file"]?.stringValue, case .integer(let index)? = entry["caseIndex"] {
                    listed.insert("\(file)#\(index)")
                }
            }
        }
        #expect(Set(SchemaSuiteCase.skipped.keys) == listed)
    }
}
