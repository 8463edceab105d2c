import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

/// schemas/ is the single source of truth; the binary carries a copy compiled in by
/// scripts/embed-schemas. These tests fail the build the moment the two differ.
@Suite struct EmbeddedSchemasTests {
    static let schemasFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas")

    @Test(arguments: [
        (EmbeddedSchemas.profileFileName, EmbeddedSchemas.profile),
        (EmbeddedSchemas.projectFileName, EmbeddedSchemas.project),
        (EmbeddedSchemas.lockfileFileName, EmbeddedSchemas.lockfile),
        (EmbeddedSchemas.flowFixturesFileName, EmbeddedSchemas.flowFixtures),
    ])
    func embeddedCopyEqualsTheFileByteForByte(file: String, embedded: String) throws {
        let onDisk = try Data(contentsOf: Self.schemasFolder.appendingPathComponent(file))
        #expect(Array(embedded.utf8) == Array(onDisk), "run scripts/embed-schemas after editing schemas/\(file)")
    }

    @Test(arguments: [EmbeddedSchemas.profile, EmbeddedSchemas.project, EmbeddedSchemas.lockfile, EmbeddedSchemas.flowFixtures])
    func everyEmbeddedSchemaParsesAndCompiles(text: String) throws {
        let schema = try JSONParser.parse(text)
        _ = try SchemaValidator(schema: schema, baseURI: "file:///chatctl/schemas/x.schema.json", resources: [
            ProfileValidator.profileSchemaURI: try JSONParser.parse(EmbeddedSchemas.profile),
        ])
    }

    @Test func theValidatorCompilesTheEmbeddedSchemas() throws {
        _ = try ProfileValidator()
    }
}
