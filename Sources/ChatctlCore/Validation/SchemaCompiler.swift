import ChatctlJSON
/// Turns schema documents into an array of ``SchemaNode``s.
///
/// Compiling has two passes. The first walks every document through the keywords that
/// hold subschemas, works out the base URI at each subschema (`$id` resolved against
/// the nearest enclosing base, RFC 3986) and records every resource (`$id`) and anchor
/// (`$anchor`). The second compiles subschemas from a work list, starting at the root
/// (and every subschema of the root document, so that a mistake in an unused `$defs`
/// entry is still found); a `$ref` resolves to a location and reserves a node index for
/// it, so cycles need no recursion. Nothing recurses over the schema's depth.
struct SchemaCompiler {
    struct Document {
        let uri: String
        let root: JSONValue
    }

    private(set) var documents: [Document] = []
    /// Absolute URIs (without fragment) of resources, to the subschema each names.
    private var resources: [String: SchemaLocation] = [:]
    /// `absolute-uri#name` to the subschema that declares the anchor.
    private var anchors: [String: SchemaLocation] = [:]
    /// The base URI in effect at each subschema the first pass reached (after its own `$id`).
    private var bases: [SchemaLocation: URIReference] = [:]
    private var slots: [SchemaNode?] = []
    private var indexByLocation: [SchemaLocation: Int] = [:]
    private var work: [(location: SchemaLocation, index: Int)] = []

    /// Keywords whose value is one subschema.
    static let singleSubschemaKeywords = [
        "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    /// Keywords whose value is an object of subschemas.
    static let subschemaMapKeywords = ["$defs", "properties", "patternProperties", "dependentSchemas"]
    /// Keywords whose value is an array of subschemas.
    static let subschemaArrayKeywords = ["prefixItems", "allOf", "anyOf", "oneOf"]
    /// Keywords this validator does not implement; a schema that uses them is refused
    /// rather than half-checked.
    static let unsupportedKeywords = ["unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef"]

    /// Compiles `schema` and the documents it may reach.
    ///
    /// - Returns: The nodes and the index of the root node.
    static func compile(
        schema: JSONValue, baseURI: String, resources: [String: JSONValue]
    ) throws(SchemaError) -> (nodes: [SchemaNode], root: Int) {
        var compiler = SchemaCompiler()
        compiler.documents.append(Document(uri: URIReference(baseURI).withoutFragment.text, root: schema))
        for uri in resources.keys.sorted() {
            if let document = resources[uri] {
                compiler.documents.append(Document(uri: URIReference(uri).withoutFragment.text, root: document))
            }
        }
        for document in compiler.documents.indices {
            try compiler.indexDocument(document)
        }
        let root = compiler.nodeIndex(for: SchemaLocation(document: 0, tokens: []))
        let rootDocumentSchemas = compiler.bases.keys
            .filter { $0.document == 0 }
            .sorted { $0.tokens.lexicographicallyPrecedes($1.tokens) }
        for location in rootDocumentSchemas {
            _ = compiler.nodeIndex(for: location)
        }
        while let next = compiler.work.popLast() {
            compiler.slots[next.index] = try compiler.build(next.location)
        }
        let nodes = compiler.slots.compactMap { $0 }
        guard nodes.count == compiler.slots.count else {
            throw compiler.error(.invalidSchema, at: SchemaLocation(document: 0, tokens: []), "the schema could not be compiled")
        }
        return (nodes, root)
    }

    // MARK: First pass: resources, anchors, base URIs

    private mutating func indexDocument(_ document: Int) throws(SchemaError) {
        let rootLocation = SchemaLocation(document: document, tokens: [])
        let retrievalURI = URIReference(documents[document].uri)
        try register(resource: retrievalURI.text, at: rootLocation)
        var stack: [(location: SchemaLocation, value: JSONValue, base: URIReference)] = [
            (rootLocation, documents[document].root, retrievalURI),
        ]
        while let (location, value, parentBase) = stack.popLast() {
            guard case .object(let members) = value else {
                if case .bool = value { bases[location] = parentBase }
                continue
            }
            var base = parentBase
            if let idValue = members["$id"] {
                guard case .string(let id) = idValue else {
                    throw error(.invalidKeywordValue(keyword: "$id"), at: location.appending("$id"), "$id must be a string")
                }
                let resolved = URIReference(id).resolved(against: parentBase)
                if let fragment = resolved.fragment, !fragment.isEmpty {
                    throw error(
                        .invalidKeywordValue(keyword: "$id"), at: location.appending("$id"),
                        "$id must not have a fragment (use $anchor for a name)")
                }
                base = resolved.withoutFragment
                try register(resource: base.text, at: location)
            }
            bases[location] = base
            for keyword in ["$anchor", "$dynamicAnchor"] {
                guard let anchorValue = members[keyword] else { continue }
                guard case .string(let name) = anchorValue, Self.isAnchorName(name) else {
                    throw error(
                        .invalidKeywordValue(keyword: keyword), at: location.appending(keyword),
                        "\(keyword) must be a name of letters, digits, '-', '_' and '.' that starts with a letter or '_'")
                }
                let key = base.text + "#" + name
                if let existing = anchors[key], existing != location {
                    throw error(.duplicateIdentifier(key), at: location.appending(keyword), "the anchor \(key) is declared twice")
                }
                anchors[key] = location
            }
            for (tokens, child) in Self.subschemas(of: members).reversed() {
                stack.append((SchemaLocation(document: location.document, tokens: location.tokens + tokens), child, base))
            }
        }
    }

    private mutating func register(resource uri: String, at location: SchemaLocation) throws(SchemaError) {
        if let existing = resources[uri], existing != location {
            throw error(.duplicateIdentifier(uri), at: location, "two schemas have the URI \(uri)")
        }
        resources[uri] = location
    }

    /// The subschemas directly inside a schema object, with the tokens that lead to each.
    static func subschemas(of members: [String: JSONValue]) -> [(tokens: [String], value: JSONValue)] {
        var result: [(tokens: [String], value: JSONValue)] = []
        for keyword in singleSubschemaKeywords {
            if let value = members[keyword] { result.append(([keyword], value)) }
        }
        for keyword in subschemaMapKeywords {
            guard case .object(let map)? = members[keyword] else { continue }
            for name in map.keys.sorted() {
                if let value = map[name] { result.append(([keyword, name], value)) }
            }
        }
        for keyword in subschemaArrayKeywords {
            guard case .array(let list)? = members[keyword] else { continue }
            for (position, value) in list.enumerated() { result.append(([keyword, String(position)], value)) }
        }
        return result
    }

    private static func isAnchorName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
              ("A"..."Z").contains(first) || ("a"..."z").contains(first) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == "."
        }
    }

    // MARK: Locations

    /// The value at `location`, or `nil` when the pointer leads nowhere.
    func value(at location: SchemaLocation) -> JSONValue? {
        var current = documents[location.document].root
        for token in location.tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let position = Self.arrayIndex(token), position < elements.count else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    private static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              token == "0" || !token.hasPrefix("0") else { return nil }
        return Int(token)
    }

    /// `location` as a ``JSONPointer``, with array positions as indices.
    func pointer(for location: SchemaLocation) -> JSONPointer {
        var components: [JSONPathComponent] = []
        var current: JSONValue? = documents[location.document].root
        for token in location.tokens {
            if case .array(let elements)? = current, let position = Self.arrayIndex(token) {
                components.append(.index(position))
                current = position < elements.count ? elements[position] : nil
            } else {
                components.append(.key(token))
                current = current?[token]
            }
        }
        return JSONPointer(components)
    }

    /// The base URI that applies inside the subschema at `location`.
    private func base(for location: SchemaLocation, members: [String: JSONValue]) -> URIReference {
        if let known = bases[location] { return known }
        // A subschema the first pass did not reach (a `$ref` into an unknown keyword):
        // the nearest enclosing base, then its own `$id`.
        var tokens = location.tokens
        var base = URIReference(documents[location.document].uri)
        while !tokens.isEmpty {
            tokens.removeLast()
            if let known = bases[SchemaLocation(document: location.document, tokens: tokens)] {
                base = known
                break
            }
        }
        if case .string(let id)? = members["$id"] {
            base = URIReference(id).resolved(against: base).withoutFragment
        }
        return base
    }

    /// The location a `$ref` value points at.
    func resolve(_ reference: String, base: URIReference, from location: SchemaLocation) throws(SchemaError) -> SchemaLocation {
        let target = URIReference(reference).resolved(against: base)
        let resourceURI = target.withoutFragment.text
        let refLocation = location.appending("$ref")
        guard let resourceRoot = resources[resourceURI] else {
            throw error(
                .unresolvedReference(reference), at: refLocation,
                "$ref \(JSONPointer.quoted(reference)) points at \(resourceURI), which is not a known schema")
        }
        let fragment = URIReference.percentDecoded(target.fragment ?? "")
        if fragment.isEmpty { return resourceRoot }
        if fragment.hasPrefix("/") {
            let tokens = fragment.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
                .map { Self.unescapePointerToken(String(decoding: $0, as: UTF8.self)) }
            let found = SchemaLocation(document: resourceRoot.document, tokens: resourceRoot.tokens + tokens)
            guard value(at: found) != nil else {
                throw error(
                    .unresolvedReference(reference), at: refLocation,
                    "$ref \(JSONPointer.quoted(reference)) points at nothing: \(resourceURI) has no #\(fragment)")
            }
            return found
        }
        guard let anchored = anchors[resourceURI + "#" + fragment] else {
            throw error(
                .unresolvedReference(reference), at: refLocation,
                "$ref \(JSONPointer.quoted(reference)) names the anchor \(fragment), which \(resourceURI) does not declare")
        }
        return anchored
    }

    /// RFC 6901: `~1` is `/`, `~0` is `~` (in that order).
    private static func unescapePointerToken(_ token: String) -> String {
        guard token.contains("~") else { return token }
        var result = ""
        var iterator = token.makeIterator()
        while let character = iterator.next() {
            if character == "~" {
                switch iterator.next() {
                case "0": result.append("~")
                case "1": result.append("/")
                case let other?: result.append("~"); result.append(other)
                case nil: result.append("~")
                }
            } else {
                result.append(character)
            }
        }
        return result
    }

    // MARK: Second pass: nodes

    /// The index of the node for `location`, reserving one (and queueing the location)
    /// the first time.
    mutating func nodeIndex(for location: SchemaLocation) -> Int {
        if let known = indexByLocation[location] { return known }
        let index = slots.count
        slots.append(nil)
        indexByLocation[location] = index
        work.append((location, index))
        return index
    }

    private mutating func build(_ location: SchemaLocation) throws(SchemaError) -> SchemaNode {
        guard let value = value(at: location) else {
            throw error(.invalidSchema, at: location, "there is no schema here")
        }
        let members: [String: JSONValue]
        switch value {
        case .bool(let flag):
            return SchemaNode(location: location, boolean: flag)
        case .object(let object):
            members = object
        default:
            throw error(.invalidSchema, at: location, "a schema must be an object or a boolean, not \(value.schemaTypeName)")
        }
        for keyword in Self.unsupportedKeywords where members[keyword] != nil {
            throw error(.unsupportedKeyword(keyword), at: location.appending(keyword), "\(keyword) is not supported")
        }
        let base = base(for: location, members: members)
        let reference = try compileReference(members, at: location, base: base)
        return SchemaNode(
            location: location,
            title: members["title"]?.stringValue,
            errorMessage: members["errorMessage"]?.stringValue,
            patternErrorMessage: members["patternErrorMessage"]?.stringValue,
            types: try compileTypeKeywords(members, at: location),
            numeric: try compileNumericKeywords(members, at: location),
            string: try compileStringKeywords(members, at: location),
            object: try compileObjectKeywords(members, at: location),
            array: try compileArrayKeywords(members, at: location),
            applicators: try compileApplicators(members, at: location),
            reference: reference)
    }

    // MARK: Reading keyword values

    func error(_ kind: SchemaError.Kind, at location: SchemaLocation, _ message: String) -> SchemaError {
        SchemaError(kind: kind, documentURI: documents[location.document].uri, schemaPath: pointer(for: location), message: message)
    }

    private func invalid(_ keyword: String, at location: SchemaLocation, _ requirement: String) -> SchemaError {
        error(.invalidKeywordValue(keyword: keyword), at: location.appending(keyword), "\(keyword) must be \(requirement)")
    }

    /// A keyword whose value must be a non-negative integer (`2.0` counts).
    func nonNegativeInteger(_ members: [String: JSONValue], _ keyword: String, at location: SchemaLocation) throws(SchemaError) -> Int? {
        guard let value = members[keyword] else { return nil }
        switch value {
        case .integer(let number) where number >= 0:
            return number
        case .double(let number) where number >= 0 && number.rounded(.towardZero) == number && number < 9.0e18:
            return Int(number)
        default:
            throw invalid(keyword, at: location, "a non-negative integer")
        }
    }

    /// A keyword whose value must be a number.
    func number(_ members: [String: JSONValue], _ keyword: String, at location: SchemaLocation) throws(SchemaError) -> SchemaNumber? {
        guard let value = members[keyword] else { return nil }
        guard let number = SchemaNumber(value) else { throw invalid(keyword, at: location, "a number") }
        return number
    }

    /// A keyword whose value must be a boolean.
    func boolean(_ members: [String: JSONValue], _ keyword: String, at location: SchemaLocation) throws(SchemaError) -> Bool? {
        guard let value = members[keyword] else { return nil }
        guard case .bool(let flag) = value else { throw invalid(keyword, at: location, "true or false") }
        return flag
    }

    /// A keyword whose value must be an array of strings.
    func strings(_ members: [String: JSONValue], _ keyword: String, at location: SchemaLocation) throws(SchemaError) -> [String]? {
        guard let value = members[keyword] else { return nil }
        guard case .array(let elements) = value else { throw invalid(keyword, at: location, "an array of strings") }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw invalid(keyword, at: location, "an array of strings") }
            result.append(text)
        }
        return result
    }

    /// A keyword whose value is one subschema.
    mutating func subschema(_ members: [String: JSONValue], _ keyword: String, at location: SchemaLocation) throws(SchemaError) -> Int? {
        guard let value = members[keyword] else { return nil }
        guard Self.isSchema(value) else { throw invalid(keyword, at: location, "a schema (an object or a boolean)") }
        return nodeIndex(for: location.appending(keyword))
    }

    /// A keyword whose value is a non-empty array of subschemas.
    mutating func subschemaArray(_ members: [String: JSONValue], _ keyword: String, at location: SchemaLocation) throws(SchemaError) -> [Int]? {
        guard let value = members[keyword] else { return nil }
        guard case .array(let elements) = value, !elements.isEmpty, elements.allSatisfy(Self.isSchema) else {
            throw invalid(keyword, at: location, "a non-empty array of schemas")
        }
        return elements.indices.map { nodeIndex(for: location.appending(keyword, String($0))) }
    }

    /// A keyword whose value is an object of subschemas, sorted by name (UTF-8 order).
    mutating func subschemaMap(
        _ members: [String: JSONValue], _ keyword: String, at location: SchemaLocation
    ) throws(SchemaError) -> [(name: String, node: Int)]? {
        guard let value = members[keyword] else { return nil }
        guard case .object(let map) = value, map.values.allSatisfy(Self.isSchema) else {
            throw invalid(keyword, at: location, "an object whose values are schemas")
        }
        return JSONWriter.sortedKeys(map).map { (name: $0, node: nodeIndex(for: location.appending(keyword, $0))) }
    }

    /// Whether the subschema at `location.keyword` is the literal `false`.
    func isFalseSchema(_ members: [String: JSONValue], _ keyword: String) -> Bool {
        members[keyword] == .bool(false)
    }

    static func isSchema(_ value: JSONValue) -> Bool {
        switch value {
        case .bool, .object: true
        default: false
        }
    }
}
