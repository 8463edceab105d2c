import ChatctlJSON
import ChatctlCore
import Testing

/// Parses JSON text written in a test; a typo in a test is a test failure, not a crash.
private func json(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

private func pointer(_ components: JSONPathComponent...) -> JSONPointer {
    JSONPointer(components)
}

/// A schema, an instance, and the one violation expected.
struct ViolationCase: Sendable, CustomTestStringConvertible {
    let id: String
    let schema: String
    let instance: String
    let message: String
    var keyword: String?
    var path: JSONPointer?
    var pointsAtKey = false

    var testDescription: String { id }
}

@Suite struct SchemaValidatorTests {
    // MARK: Messages

    static let messageCases: [ViolationCase] = [
        ViolationCase(id: "type string, number", schema: #"{"type": "string"}"#, instance: "1.5",
                      message: "must be a string, not a number", keyword: "type"),
        ViolationCase(id: "type string, integer", schema: #"{"type": "string"}"#, instance: "5",
                      message: "must be a string, not an integer"),
        ViolationCase(id: "type integer, string", schema: #"{"type": "integer"}"#, instance: #""x""#,
                      message: "must be an integer, not a string"),
        ViolationCase(id: "type integer, fraction", schema: #"{"type": "integer"}"#, instance: "1.5",
                      message: "must be an integer, not a number"),
        ViolationCase(id: "type list", schema: #"{"type": "array"}"#, instance: "{}",
                      message: "must be a list, not a mapping"),
        ViolationCase(id: "type mapping", schema: #"{"type": "object"}"#, instance: "[]",
                      message: "must be a mapping, not a list"),
        ViolationCase(id: "type boolean", schema: #"{"type": "boolean"}"#, instance: #""yes""#,
                      message: "must be true or false, not a string"),
        ViolationCase(id: "type null", schema: #"{"type": "null"}"#, instance: "true",
                      message: "must be null, not true or false"),
        ViolationCase(id: "type alternatives", schema: #"{"type": ["string", "integer", "null"]}"#, instance: "[]",
                      message: "must be a string, an integer or null, not a list"),
        ViolationCase(id: "minimum", schema: #"{"minimum": 60}"#, instance: "59",
                      message: "must be at least 60", keyword: "minimum"),
        ViolationCase(id: "maximum", schema: #"{"maximum": 10080}"#, instance: "10081",
                      message: "must be at most 10080", keyword: "maximum"),
        ViolationCase(id: "maximum written as a double", schema: #"{"maximum": 10080.0}"#, instance: "10080.5",
                      message: "must be at most 10080"),
        ViolationCase(id: "exclusiveMinimum", schema: #"{"exclusiveMinimum": 0}"#, instance: "0",
                      message: "must be greater than 0", keyword: "exclusiveMinimum"),
        ViolationCase(id: "exclusiveMaximum", schema: #"{"exclusiveMaximum": 2.5}"#, instance: "2.5",
                      message: "must be less than 2.5", keyword: "exclusiveMaximum"),
        ViolationCase(id: "multipleOf", schema: #"{"multipleOf": 5}"#, instance: "12",
                      message: "must be a multiple of 5", keyword: "multipleOf"),
        ViolationCase(id: "minLength 1", schema: #"{"minLength": 1}"#, instance: #""""#,
                      message: "must be at least 1 character long", keyword: "minLength"),
        ViolationCase(id: "minLength 3", schema: #"{"minLength": 3}"#, instance: #""ab""#,
                      message: "must be at least 3 characters long"),
        ViolationCase(id: "maxLength counts code points", schema: #"{"maxLength": 256}"#,
                      instance: "\"" + String(repeating: "é", count: 300) + "\"",
                      message: "must be at most 256 characters long (it has 300)", keyword: "maxLength"),
        ViolationCase(id: "pattern", schema: #"{"pattern": "^[a-z]+$"}"#, instance: #""Abc""#,
                      message: "must match the pattern ^[a-z]+$", keyword: "pattern"),
        ViolationCase(id: "enum", schema: #"{"enum": ["INCREMENTAL", "COMPLETE"]}"#, instance: #""PARTIAL""#,
                      message: "must be one of INCREMENTAL, COMPLETE", keyword: "enum"),
        ViolationCase(id: "enum of one", schema: #"{"enum": ["AGENT"]}"#, instance: #""CUSTOMER""#,
                      message: #"must be "AGENT""#),
        ViolationCase(id: "const", schema: #"{"const": "chatctl/v1"}"#, instance: #""chatctl/v2""#,
                      message: #"must be "chatctl/v1""#, keyword: "const"),
        ViolationCase(id: "required", schema: #"{"required": ["displayName"]}"#, instance: "{}",
                      message: #"is missing the required field "displayName""#, keyword: "required"),
        ViolationCase(id: "additionalProperties", schema: #"{"properties": {"duration": {}}, "additionalProperties": false}"#,
                      instance: #"{"durtion": 5}"#, message: #"unknown field "durtion""#, keyword: "additionalProperties",
                      path: pointer(.key("durtion")), pointsAtKey: true),
        ViolationCase(id: "contains const", schema: #"{"contains": {"const": "text/plain"}}"#, instance: #"["text/markdown"]"#,
                      message: #"must list "text/plain""#, keyword: "contains"),
        ViolationCase(id: "contains", schema: #"{"contains": {"type": "integer"}}"#, instance: #"["a"]"#,
                      message: "must contain at least 1 matching item", keyword: "contains"),
        ViolationCase(id: "minContains", schema: #"{"contains": {"type": "integer"}, "minContains": 2}"#, instance: "[1, \"a\"]",
                      message: "must contain at least 2 matching items"),
        ViolationCase(id: "maxContains", schema: #"{"contains": {"type": "integer"}, "maxContains": 1}"#, instance: "[1, 2]",
                      message: "must contain at most 1 matching item", keyword: "maxContains"),
        ViolationCase(id: "uniqueItems", schema: #"{"uniqueItems": true}"#, instance: #"["text/plain", "a", "text/plain"]"#,
                      message: #"must not repeat "text/plain""#, keyword: "uniqueItems", path: pointer(.index(2))),
        ViolationCase(id: "maxItems", schema: #"{"maxItems": 1}"#, instance: "[1, 2]",
                      message: "must have at most 1 item", keyword: "maxItems"),
        ViolationCase(id: "minItems", schema: #"{"minItems": 2}"#, instance: "[1]",
                      message: "must have at least 2 items", keyword: "minItems"),
        ViolationCase(id: "items false", schema: #"{"prefixItems": [{}], "items": false}"#, instance: "[1, 2]",
                      message: "must have at most 1 item", keyword: "items"),
        ViolationCase(id: "minProperties", schema: #"{"minProperties": 1}"#, instance: "{}",
                      message: "must have at least 1 field", keyword: "minProperties"),
        ViolationCase(id: "maxProperties", schema: #"{"maxProperties": 1}"#, instance: #"{"a": 1, "b": 2}"#,
                      message: "must have at most 1 field", keyword: "maxProperties"),
        ViolationCase(id: "dependentRequired", schema: #"{"dependentRequired": {"a": ["b"]}}"#, instance: #"{"a": 1}"#,
                      message: #"is missing the field "b", which is required when "a" is given"#, keyword: "dependentRequired"),
        ViolationCase(id: "not", schema: #"{"not": {"type": "string"}}"#, instance: #""x""#,
                      message: "must not match a string", keyword: "not"),
        ViolationCase(id: "not with title", schema: #"{"not": {"title": "an empty mapping", "maxProperties": 0}}"#, instance: "{}",
                      message: "must not match an empty mapping"),
        ViolationCase(id: "false schema", schema: #"{"properties": {"legacy": false}}"#, instance: #"{"legacy": 1}"#,
                      message: "is not allowed here", keyword: "false", path: pointer(.key("legacy"))),
        ViolationCase(id: "propertyNames", schema: #"{"propertyNames": {"pattern": "^[a-z]+$"}}"#, instance: #"{"Tier": 1}"#,
                      message: "name must match the pattern ^[a-z]+$", keyword: "pattern", path: pointer(.key("Tier")), pointsAtKey: true),
        ViolationCase(id: "propertyNames maxLength", schema: #"{"propertyNames": {"maxLength": 3}}"#, instance: #"{"abcd": 1}"#,
                      message: "name must be at most 3 characters long (it has 4)", path: pointer(.key("abcd")), pointsAtKey: true),
    ]

    @Test(arguments: messageCases)
    func reportsMessage(_ testCase: ViolationCase) throws {
        let validator = try SchemaValidator(schema: try json(testCase.schema))
        let violations = validator.validate(try json(testCase.instance))
        try #require(violations.count == 1, "\(violations)")
        #expect(violations[0].message == testCase.message)
        if let keyword = testCase.keyword { #expect(violations[0].keyword == keyword) }
        #expect(violations[0].instancePath == (testCase.path ?? JSONPointer()))
        #expect(violations[0].pointsAtKey == testCase.pointsAtKey)
        #expect(!validator.isValid(try json(testCase.instance)))
    }

    // MARK: Placement and kinds

    static let profileSchema = #"""
    {
      "type": "object",
      "required": ["apiVersion", "spec"],
      "properties": {
        "apiVersion": {"const": "chatctl/v1"},
        "spec": {
          "type": "object",
          "additionalProperties": false,
          "required": ["participant"],
          "properties": {
            "participant": {
              "type": "object",
              "required": ["displayName"],
              "properties": {"displayName": {"type": "string", "minLength": 1, "maxLength": 256}}
            },
            "duration": {"type": "integer", "minimum": 60, "maximum": 10080},
            "contentTypes": {"type": "array", "uniqueItems": true, "items": {"type": "string"}},
            "attributes": {
              "type": "object",
              "propertyNames": {"pattern": "^[A-Za-z0-9_-]+$"},
              "additionalProperties": {"type": "string"}
            },
            "persistence": {"type": "object", "dependentRequired": {"from": ["rehydration"]}}
          }
        }
      }
    }
    """#

    @Test func placesEachViolationWhereTheCLIPointsIt() throws {
        let validator = try SchemaValidator(schema: try json(Self.profileSchema))
        let instance = try json(#"""
        {
          "apiVersion": "chatctl/v1",
          "spec": {
            "participant": {},
            "duration": 30,
            "durtion": 5,
            "contentTypes": ["text/plain", "text/plain"],
            "attributes": {"tier level": "gold", "ok": 3},
            "persistence": {"from": "intake"}
          }
        }
        """#)
        let spec = JSONPathComponent.key("spec")
        let expected: [(JSONPointer, Bool, String, SchemaViolation.Kind)] = [
            (pointer(spec, .key("attributes"), .key("ok")), false, "type", .type(expected: ["string"], actual: "integer")),
            (pointer(spec, .key("attributes"), .key("tier level")), true, "pattern", .other),
            (pointer(spec, .key("contentTypes"), .index(1)), false, "uniqueItems", .other),
            (pointer(spec, .key("duration")), false, "minimum", .other),
            (pointer(spec, .key("durtion")), true, "additionalProperties",
             .unknownProperty(name: "durtion", allowed: ["attributes", "contentTypes", "duration", "participant", "persistence"])),
            (pointer(spec, .key("participant")), false, "required", .required(missing: "displayName")),
            (pointer(spec, .key("persistence")), false, "dependentRequired", .required(missing: "rehydration")),
        ]
        let violations = validator.validate(instance)
        #expect(violations.count == expected.count, "\(violations)")
        for (violation, (path, atKey, keyword, kind)) in zip(violations, expected) {
            #expect(violation.instancePath == path)
            #expect(violation.pointsAtKey == atKey)
            #expect(violation.keyword == keyword)
            #expect(violation.kind == kind)
        }
    }

    @Test func reportsOneViolationPerMissingRequiredName() throws {
        let validator = try SchemaValidator(schema: try json(Self.profileSchema))
        let violations = validator.validate(try json("{}"))
        #expect(violations.map(\.kind) == [.required(missing: "apiVersion"), .required(missing: "spec")])
        #expect(violations.allSatisfy { $0.instancePath == JSONPointer() && !$0.pointsAtKey })
    }

    /// `required` names, declared in `properties` or not, repeated or not, with few or many
    /// properties (found by search or by hash) and with or without `additionalProperties`
    /// (members visited one by one or properties looked up): the fast check (`isValid`)
    /// and the collecting one agree, and name each missing field once.
    @Test func requiredNamesHoldAlikeInBothModes() throws {
        let many = (0..<40).map { "\"p\($0)\": {\"type\": \"integer\"}" }.joined(separator: ", ")
        let shapes = [
            #"{"properties": {"a": {}, "b": {"type": "string"}}, "required": ["a", "a", "c"]}"#,
            #"{"properties": {"a": {}, "b": {"type": "string"}}, "required": ["a", "b"], "additionalProperties": false}"#,
            #"{"properties": {"a": {}, "b": {}}, "required": ["b"], "additionalProperties": {"type": "integer"}}"#,
            #"{"required": ["a", "c"]}"#,
            "{\"properties\": {\(many)}, \"required\": [\"p3\", \"p39\", \"a\"]}",
            "{\"properties\": {\(many)}, \"required\": [\"p0\", \"p39\"], \"additionalProperties\": false}",
            // A member written with KELVIN SIGN is the property `Key` to the dictionary's lookup.
            #"{"properties": {"Key": {}, "b": {}}, "required": ["Key"]}"#,
        ]
        let instances = [
            "{}", #"{"a": 1}"#, #"{"a": 1, "b": "x"}"#, #"{"a": 1, "c": 2}"#, #"{"a": 1, "b": "x", "c": 3}"#, #"{"b": "x", "c": 3}"#,
            #"{"a": 1, "b": 2, "c": 3}"#, #"{"p3": 1, "p39": 2, "a": 3}"#, #"{"p3": 1, "a": 3, "p0": 5}"#, #"{"p0": 1, "p39": 2}"#,
            #"{"p0": 1, "p39": 2, "x": 0}"#, #"{"p3": 1, "p39": "no", "a": 3}"#, "{\"\u{212A}ey\": 1}", "{\"\u{212A}ey\": 1, \"b\": 2}",
        ]
        var valid = 0
        for shape in shapes {
            let validator = try SchemaValidator(schema: try json(shape))
            for text in instances {
                let instance = try json(text)
                let violations = validator.validate(instance)
                #expect(validator.isValid(instance) == violations.isEmpty, "\(shape) on \(text)")
                // A fast verdict the collecting pass cannot explain shows as this keyword.
                #expect(!violations.contains { $0.keyword == "schema" }, "\(shape) on \(text)")
                if violations.isEmpty { valid += 1 }
                // Each missing required name is reported once, and only when it is missing.
                guard case .object(let members) = instance, case .object(let schema) = try json(shape),
                      case .array(let names)? = schema["required"] else { continue }
                let missing = Set(names.compactMap(\.stringValue).filter { members[$0] == nil })
                let reported = violations.compactMap { violation -> String? in
                    if case .required(let name) = violation.kind { name } else { nil }
                }
                #expect(reported.sorted() == missing.sorted(), "\(shape) on \(text)")
            }
        }
        #expect(valid > 5)
    }

    @Test func reportsTheKeywordLocationThroughReferences() throws {
        let schema = try json(#"""
        {"properties": {"spec": {"$ref": "#/$defs/spec"}},
         "$defs": {"spec": {"properties": {"duration": {"minimum": 60}}}}}
        """#)
        let violations = try SchemaValidator(schema: schema).validate(try json(#"{"spec": {"duration": 1}}"#))
        #expect(violations.map(\.schemaPath.rfc6901) == ["/properties/spec/$ref/properties/duration/minimum"])
        #expect(violations.map(\.instancePath.fieldPath) == ["spec.duration"])
    }

    @Test func reportsEnumAndConstAllowedValues() throws {
        let schema = try json(#"{"properties": {"mode": {"enum": ["A", "B"]}, "v": {"const": 1}}}"#)
        let violations = try SchemaValidator(schema: schema).validate(try json(#"{"mode": "C", "v": 2}"#))
        #expect(violations.map(\.kind) == [
            .enumMismatch(allowed: [.string("A"), .string("B")]),
            .enumMismatch(allowed: [.integer(1)]),
        ])
    }

    @Test func returnsViolationsInTheSameOrderEveryTime() throws {
        let schema = try json(#"{"additionalProperties": false, "properties": {"known": {}}}"#)
        let validator = try SchemaValidator(schema: schema)
        let instance = try json(#"{"zeta": 1, "alpha": 2, "mid": 3, "known": 4, "beta": 5}"#)
        let first = validator.validate(instance)
        #expect(first.map(\.instancePath.fieldPath) == ["alpha", "beta", "mid", "zeta"])
        for _ in 0..<5 { #expect(validator.validate(instance) == first) }
    }

    // MARK: Custom messages

    @Test func errorMessageReplacesTheMessagesOfItsOwnKeywords() throws {
        let schema = try json(#"""
        {"properties": {"duration": {
            "type": "string", "pattern": "^[0-9]+[mhd]$", "maxLength": 5,
            "errorMessage": "must be a duration such as 90m, 2h or 7d"}}}
        """#)
        let validator = try SchemaValidator(schema: schema)
        #expect(validator.validate(try json(#"{"duration": "soon"}"#)).map(\.message) == ["must be a duration such as 90m, 2h or 7d"])
        #expect(validator.validate(try json(#"{"duration": 5}"#)).map(\.message) == ["must be a duration such as 90m, 2h or 7d"])
        let both = validator.validate(try json(#"{"duration": "forever"}"#))
        #expect(both.map(\.keyword) == ["maxLength", "pattern"])
        #expect(both.allSatisfy { $0.message == "must be a duration such as 90m, 2h or 7d" })
    }

    @Test func errorMessageDoesNotReachIntoChildSchemas() throws {
        let schema = try json(#"""
        {"type": "object", "errorMessage": "must be a participant mapping",
         "properties": {"displayName": {"type": "string"}}}
        """#)
        let validator = try SchemaValidator(schema: schema)
        #expect(validator.validate(try json("[]")).map(\.message) == ["must be a participant mapping"])
        #expect(validator.validate(try json(#"{"displayName": 1}"#)).map(\.message) == ["must be a string, not an integer"])
    }

    @Test func patternErrorMessageReplacesOnlyThePatternMessage() throws {
        let schema = try json(#"""
        {"type": "string", "minLength": 2, "pattern": "^[a-z]+$",
         "patternErrorMessage": "must be lowercase letters"}
        """#)
        let violations = try SchemaValidator(schema: schema).validate(try json(#""A""#))
        #expect(violations.map(\.message) == ["must be at least 2 characters long", "must be lowercase letters"])
    }

    @Test func errorMessageReplacesNotMessage() throws {
        let schema = try json(#"{"not": {"required": ["persistence", "relatedContact"]}, "errorMessage": "cannot have both"}"#)
        let violations = try SchemaValidator(schema: schema).validate(try json(#"{"persistence": {}, "relatedContact": {}}"#))
        #expect(violations.map(\.message) == ["cannot have both"])
        #expect(violations.map(\.keyword) == ["not"])
    }

    // MARK: anyOf and oneOf

    static let durationSchema = #"""
    {"properties": {"duration": {"anyOf": [
        {"type": "string", "pattern": "^[0-9]+[mhd]$"},
        {"type": "integer", "minimum": 60, "maximum": 10080}
    ]}}}
    """#

    @Test func reportsTheOnlyBranchOfTheRightType() throws {
        let validator = try SchemaValidator(schema: try json(Self.durationSchema))
        let tooShort = validator.validate(try json(#"{"duration": 30}"#))
        #expect(tooShort.map(\.message) == ["must be at least 60"])
        #expect(tooShort.map(\.keyword) == ["minimum"])
        #expect(tooShort.map(\.schemaPath.rfc6901) == ["/properties/duration/anyOf/1/minimum"])
        let badText = validator.validate(try json(#"{"duration": "5x"}"#))
        #expect(badText.map(\.message) == ["must match the pattern ^[0-9]+[mhd]$"])
    }

    @Test func listsTheBranchesWhenNoneHasTheRightType() throws {
        let validator = try SchemaValidator(schema: try json(Self.durationSchema))
        let violations = validator.validate(try json(#"{"duration": true}"#))
        #expect(violations.count == 1)
        #expect(violations.first?.keyword == "anyOf")
        #expect(violations.first?.instancePath == pointer(.key("duration")))
        #expect(violations.first?.message == "must be one of: a string matching ^[0-9]+[mhd]$, an integer from 60 to 10080")
        #expect(violations.first?.kind == .type(expected: ["string", "integer"], actual: "boolean"))
    }

    @Test func describesBranchesByTitleAndErrorMessageOverridesAll() throws {
        let titled = try json(#"{"anyOf": [{"title": "a duration like 90m", "type": "string"}, {"type": "integer"}]}"#)
        #expect(try SchemaValidator(schema: titled).validate(.bool(true)).map(\.message)
            == ["must be one of: a duration like 90m, an integer"])
        let custom = try json(#"{"anyOf": [{"type": "string"}, {"type": "integer"}], "errorMessage": "must be a duration"}"#)
        #expect(try SchemaValidator(schema: custom).validate(.null).map(\.message) == ["must be a duration"])
    }

    @Test func listsConstBranchesAsAllowedValues() throws {
        let schema = try json(#"{"oneOf": [{"const": "on-change"}, {"const": "always"}, {"const": "never"}]}"#)
        let violations = try SchemaValidator(schema: schema).validate(.string("sometimes"))
        #expect(violations.map(\.message) == [#"must be one of: "on-change", "always", "never""#])
        #expect(violations.map(\.kind) == [.enumMismatch(allowed: [.string("on-change"), .string("always"), .string("never")])])
    }

    @Test func listsObjectBranchesWhenSeveralRemain() throws {
        let schema = try json(#"{"oneOf": [{"required": ["sourceContactId"]}, {"required": ["from"]}]}"#)
        let validator = try SchemaValidator(schema: schema)
        #expect(validator.validate(try json(#"{"rehydration": "X"}"#)).map(\.message)
            == [#"must be one of: a mapping with field "sourceContactId", a mapping with field "from""#])
        let both = validator.validate(try json(#"{"sourceContactId": "a", "from": "b"}"#))
        #expect(both.map(\.message)
            == [#"must match exactly one of: a mapping with field "sourceContactId", a mapping with field "from", but matches 2"#])
        #expect(both.map(\.keyword) == ["oneOf"])
    }

    @Test func reportsTheBranchThatSurvivesInsideNestedData() throws {
        // Segment attribute values: a plain string, or a mapping with one of the value keys.
        let schema = try json(#"""
        {"additionalProperties": {"anyOf": [
            {"type": "string", "maxLength": 4},
            {"type": "object", "additionalProperties": false,
             "properties": {"valueString": {"type": "string"}, "valueInteger": {"type": "integer"}}}
        ]}}
        """#)
        let violations = try SchemaValidator(schema: schema).validate(try json(#"{"custom:Tier": {"valueInt": 3}}"#))
        #expect(violations.map(\.instancePath) == [pointer(.key("custom:Tier"), .key("valueInt"))])
        #expect(violations.map(\.pointsAtKey) == [true])
        #expect(violations.map(\.kind) == [.unknownProperty(name: "valueInt", allowed: ["valueInteger", "valueString"])])
    }

    @Test func picksTheBestBranchForAMemberName() throws {
        let schema = try json(#"""
        {"propertyNames": {"anyOf": [{"const": "connect:Subtype"}, {"pattern": "^custom:"}]}}
        """#)
        let violations = try SchemaValidator(schema: schema).validate(try json(#"{"tier": 1}"#))
        #expect(violations.map(\.message) == ["name must match the pattern ^custom:"])
        #expect(violations.map(\.pointsAtKey) == [true])
        #expect(violations.map(\.instancePath) == [pointer(.key("tier"))])
    }

    // MARK: References

    @Test func followsReferencesIntoOtherResources() throws {
        let project = try json(#"""
        {"$id": "https://chatctl.dev/schemas/project.schema.json",
         "properties": {"defaults": {"$ref": "chat-launch-profile.schema.json#/$defs/spec"}}}
        """#)
        let profile = try json(#"""
        {"$defs": {"spec": {"properties": {"duration": {"$ref": "#/$defs/duration"}}},
                   "duration": {"type": "integer", "minimum": 60}}}
        """#)
        let validator = try SchemaValidator(
            schema: project, baseURI: "https://chatctl.dev/schemas/project.schema.json",
            resources: ["https://chatctl.dev/schemas/chat-launch-profile.schema.json": profile])
        let violations = validator.validate(try json(#"{"defaults": {"duration": 5}}"#))
        #expect(violations.map(\.message) == ["must be at least 60"])
        #expect(violations.map(\.instancePath.fieldPath) == ["defaults.duration"])
        #expect(violations.map(\.schemaPath.rfc6901) == ["/properties/defaults/$ref/properties/duration/$ref/minimum"])
        #expect(validator.isValid(try json(#"{"defaults": {"duration": 90}}"#)))
    }

    @Test func resolvesRelativeReferencesAgainstTheBaseURI() throws {
        // No $id: the retrieval URI is the base.
        let root = try json(#"{"$ref": "common.json#/$defs/name"}"#)
        let common = try json(#"{"$defs": {"name": {"type": "string"}}}"#)
        let validator = try SchemaValidator(
            schema: root, baseURI: "https://example.com/schemas/root.json",
            resources: ["https://example.com/schemas/common.json": common])
        #expect(validator.isValid(.string("x")))
        #expect(!validator.isValid(.integer(1)))
    }

    @Test func resolvesAnchorsAndEmbeddedResources() throws {
        let schema = try json(#"""
        {"$id": "https://example.com/root.json",
         "properties": {"a": {"$ref": "item.json"}, "b": {"$ref": "#short"}},
         "$defs": {"item": {"$id": "item.json", "type": "integer"},
                   "short": {"$anchor": "short", "maxLength": 2}}}
        """#)
        let validator = try SchemaValidator(schema: schema)
        #expect(validator.isValid(try json(#"{"a": 1, "b": "xy"}"#)))
        #expect(validator.validate(try json(#"{"a": "1", "b": "xyz"}"#)).map(\.keyword) == ["type", "maxLength"])
    }

    @Test func stopsReferenceLoopsThatNeverConsumeTheInstance() throws {
        let schema = try json(##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##)
        let validator = try SchemaValidator(schema: schema)
        #expect(!validator.isValid(.integer(1)))
        let violations = validator.validate(.integer(1))
        #expect(violations.count == 1)
        #expect(violations.first?.keyword == "$ref")
        #expect(violations.first?.message == "cannot be checked: the schema's $ref chain goes round in a loop")
    }

    @Test func stopsBranchingReferenceLoopsQuickly() throws {
        // Without stopping at the first loop this would take 2^64 steps.
        let schema = try json(##"{"anyOf": [{"$ref": "#"}, {"$ref": "#"}]}"##)
        let validator = try SchemaValidator(schema: schema)
        #expect(!validator.isValid(.integer(1)))
        #expect(validator.validate(.integer(1)).map(\.keyword) == ["$ref"])
    }

    @Test func followsRecursiveReferencesThatConsumeTheInstance() throws {
        let schema = try json(##"{"type": "object", "properties": {"child": {"$ref": "#"}, "value": {"type": "integer"}}}"##)
        var instance = JSONValue.object(["value": .integer(0)])
        for level in 1...200 { instance = .object(["child": instance, "value": .integer(level)]) }
        let validator = try SchemaValidator(schema: schema)
        #expect(validator.isValid(instance))
    }

    @Test func validatesTheDeepestDocumentTheParserAccepts() throws {
        let depth = JSONParser.maximumDepth
        let instance = try JSONParser.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let schema = try json(##"{"type": "array", "items": {"$ref": "#"}}"##)
        let validator = try SchemaValidator(schema: schema)
        #expect(validator.isValid(instance))
        let strict = try SchemaValidator(schema: try json(##"{"type": "array", "items": {"$ref": "#"}, "maxItems": 0}"##))
        // Every level but the innermost holds one item.
        let violations = strict.validate(instance)
        #expect(violations.count == depth - 1)
        #expect(violations.last?.instancePath.components.count == depth - 2)
    }

    // MARK: Compile errors

    struct CompileErrorCase: Sendable, CustomTestStringConvertible {
        let id: String
        let schema: String
        let kind: SchemaError.Kind
        let path: String
        var testDescription: String { id }
    }

    static let compileErrorCases: [CompileErrorCase] = [
        CompileErrorCase(id: "bad regex", schema: #"{"properties": {"a": {"pattern": "[a-"}}}"#,
                         kind: .invalidPattern("[a-"), path: "/properties/a/pattern"),
        CompileErrorCase(id: "bad patternProperties regex", schema: #"{"patternProperties": {"(": {}}}"#,
                         kind: .invalidPattern("("), path: "/patternProperties/("),
        CompileErrorCase(id: "dangling pointer", schema: ##"{"$ref": "#/$defs/nope"}"##,
                         kind: .unresolvedReference("#/$defs/nope"), path: "/$ref"),
        CompileErrorCase(id: "unknown document", schema: #"{"items": {"$ref": "other.json"}}"#,
                         kind: .unresolvedReference("other.json"), path: "/items/$ref"),
        CompileErrorCase(id: "unknown anchor", schema: ##"{"$ref": "#nowhere"}"##,
                         kind: .unresolvedReference("#nowhere"), path: "/$ref"),
        CompileErrorCase(id: "dangling reference in an unused definition", schema: ##"{"$defs": {"x": {"$ref": "#/nope"}}}"##,
                         kind: .unresolvedReference("#/nope"), path: "/$defs/x/$ref"),
        CompileErrorCase(id: "minLength as a string", schema: #"{"minLength": "3"}"#,
                         kind: .invalidKeywordValue(keyword: "minLength"), path: "/minLength"),
        CompileErrorCase(id: "negative maxItems", schema: #"{"maxItems": -1}"#,
                         kind: .invalidKeywordValue(keyword: "maxItems"), path: "/maxItems"),
        CompileErrorCase(id: "unknown type name", schema: #"{"type": "text"}"#,
                         kind: .invalidKeywordValue(keyword: "type"), path: "/type"),
        CompileErrorCase(id: "required not a list", schema: #"{"required": "name"}"#,
                         kind: .invalidKeywordValue(keyword: "required"), path: "/required"),
        CompileErrorCase(id: "multipleOf zero", schema: #"{"multipleOf": 0}"#,
                         kind: .invalidKeywordValue(keyword: "multipleOf"), path: "/multipleOf"),
        CompileErrorCase(id: "subschema of the wrong type", schema: #"{"items": 3}"#,
                         kind: .invalidKeywordValue(keyword: "items"), path: "/items"),
        CompileErrorCase(id: "empty allOf", schema: #"{"allOf": []}"#,
                         kind: .invalidKeywordValue(keyword: "allOf"), path: "/allOf"),
        CompileErrorCase(id: "unsupported keyword", schema: #"{"unevaluatedProperties": false}"#,
                         kind: .unsupportedKeyword("unevaluatedProperties"), path: "/unevaluatedProperties"),
        CompileErrorCase(id: "root of the wrong type", schema: "[]", kind: .invalidSchema, path: ""),
        CompileErrorCase(id: "duplicate $id", schema: #"{"$defs": {"a": {"$id": "x.json"}, "b": {"$id": "x.json"}}}"#,
                         kind: .duplicateIdentifier("urn:x.json"), path: "/$defs/b"),
    ]

    @Test(arguments: compileErrorCases)
    func refusesABadSchemaWithSchemaError(_ testCase: CompileErrorCase) throws {
        let schema = try json(testCase.schema)
        #expect {
            _ = try SchemaValidator(schema: schema)
        } throws: { error in
            guard let error = error as? SchemaError else { return false }
            return error.kind == testCase.kind && error.schemaPath.rfc6901 == testCase.path && !error.message.hasSuffix(".")
        }
    }

    // MARK: Patterns

    struct PatternCase: Sendable, CustomTestStringConvertible {
        let pattern: String
        let text: String
        let matches: Bool
        var testDescription: String { "\(pattern) ~ \(text.debugDescription)" }
    }

    static let patternCases: [PatternCase] = [
        PatternCase(pattern: "a+", text: "xxaayy", matches: true),
        PatternCase(pattern: "^a+", text: "xxaayy", matches: false),
        PatternCase(pattern: "^[A-Za-z0-9_-]+$", text: "tier_1-a", matches: true),
        PatternCase(pattern: "^[A-Za-z0-9_-]+$", text: "tier level", matches: false),
        PatternCase(pattern: "^[A-Za-z0-9_-]+$", text: "", matches: false),
        PatternCase(pattern: "^a$", text: "a\n", matches: false),
        PatternCase(pattern: "^.$", text: "\n", matches: false),
        PatternCase(pattern: "^\\d+$", text: "123", matches: true),
        PatternCase(pattern: "^\\d+$", text: "\u{661}\u{662}", matches: false),
        PatternCase(pattern: "^\\w+$", text: "é", matches: false),
        PatternCase(pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", text: "vip-greeting", matches: true),
        PatternCase(pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", text: "vip-", matches: false),
        PatternCase(pattern: "^([0-9]+|([0-9]+d)?([0-9]+h)?([0-9]+m)?)$", text: "1d12h", matches: true),
        PatternCase(pattern: "^([0-9]+|([0-9]+d)?([0-9]+h)?([0-9]+m)?)$", text: "12h1d", matches: false),
        PatternCase(pattern: "^arn:aws[a-z-]*:connect:[a-z0-9-]+:[0-9]{12}:instance/[A-Za-z0-9-]+$",
                    text: "arn:aws:connect:us-west-2:123456789012:instance/abc-1", matches: true),
        PatternCase(pattern: "^[0-9]{12}$", text: "12345678901", matches: false),
        PatternCase(pattern: "^(ab|cd){2,3}$", text: "abcdab", matches: true),
        PatternCase(pattern: "^(ab|cd){2,3}$", text: "ab", matches: false),
        PatternCase(pattern: "^[^:]+:[^:]+$", text: "connect:Guide", matches: true),
        PatternCase(pattern: "^[\\u00e9\\u{1F600}-\\u{1F602}]+$", text: "é😁", matches: true),
        PatternCase(pattern: "^\\p{Letter}+$", text: "π", matches: true),
        PatternCase(pattern: "^(?=.*[0-9]).+$", text: "abc", matches: false),
        PatternCase(pattern: "^(?=.*[0-9]).+$", text: "ab1", matches: true),
        PatternCase(pattern: "^(a*)*$", text: String(repeating: "a", count: 40) + "b", matches: false),
        PatternCase(pattern: "^text/(plain|markdown)$", text: "text/plain", matches: true),
        PatternCase(pattern: "\\.json$", text: "a.json", matches: true),
        PatternCase(pattern: "\\.json$", text: "ajson", matches: false),
    ]

    @Test(arguments: patternCases)
    func matchesPatternsWithECMAScriptSemantics(_ testCase: PatternCase) throws {
        let validator = try SchemaValidator(schema: .object(["pattern": .string(testCase.pattern)]))
        #expect(validator.isValid(.string(testCase.text)) == testCase.matches)
    }
}
