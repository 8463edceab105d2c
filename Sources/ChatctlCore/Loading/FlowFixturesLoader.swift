public import ChatctlJSON

/// Reads the emulator's flow fixtures file (kind `FlowFixtures`,
/// schemas/flow-fixtures.schema.json) with the profile machinery: the same YAML reading,
/// limits and schema checks, so its problems come with file:line:column. The emulator turns
/// the JSON into its `FlowFixtures` (ChatctlCore knows nothing of the emulator).
public struct FlowFixturesLoader: Sendable {
    /// The URI the fixtures schema is known by.
    static let schemaURI = "file:///chatctl/schemas/flow-fixtures.schema.json"

    /// What reading the file produced.
    public struct Loaded: Sendable {
        /// The document as JSON, when it is valid.
        public var document: JSONValue?
        /// Every problem, sorted by position.
        public var diagnostics: [Diagnostic]
    }

    private let loader: ProfileLoader
    private let schema: SchemaValidator

    /// Creates a loader.
    ///
    /// - Throws: ``EmbeddedSchemaError`` if the embedded schema does not parse or compile.
    public init(limits: YAMLLimits = YAMLLimits()) throws(EmbeddedSchemaError) {
        loader = ProfileLoader(limits: limits)
        do {
            schema = try SchemaValidator(schema: try JSONParser.parse(EmbeddedSchemas.flowFixtures), baseURI: Self.schemaURI)
        } catch {
            throw EmbeddedSchemaError(schema: "flow-fixtures", reason: "\(error)")
        }
    }

    /// Reads and checks one fixtures file.
    ///
    /// - Parameter file: The file's path, as diagnostics show it.
    /// - Returns: The document when it has no problem, and every problem.
    public func load(file: String) -> Loaded {
        var input = LoadedInput(project: nil, profiles: [], files: [file], diagnostics: [])
        let documents = loader.read(file, into: &input)
        var diagnostics = input.diagnostics
        guard diagnostics.isEmpty else { return Loaded(document: nil, diagnostics: diagnostics) }
        guard documents.count == 1, let root = documents.first?.root else {
            let location = documents.dropFirst().first?.location ?? SourceLocation(file: file, line: 1, column: 1)
            return Loaded(document: nil, diagnostics: [Diagnostic(
                location: location, code: "fixtures.documents",
                message: "a fixtures file holds exactly one document, not \(documents.count)")])
        }
        diagnostics = schema.validate(root.jsonValue).map { $0.diagnostic(in: root) }
        return Loaded(document: diagnostics.isEmpty ? root.jsonValue : nil, diagnostics: Diagnostic.sortedAndUnique(diagnostics))
    }
}
