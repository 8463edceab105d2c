import ChatctlJSON

/// Composes a file's documents from libyaml's events straight into JSON values, with no
/// ``YAMLNode`` tree and no second copy (issue 15, item 3): the path of a file that has
/// nothing to report, which is nearly every file of a large repository.
///
/// It never reports anything itself. At the first event ``YAMLComposer`` would report or
/// treat specially (a tag other than `!` and `!!str`, an anchor or alias, a merge key `<<`,
/// a key that is not a string, a duplicate key, a collection as a key, the depth or key
/// limits of ``YAMLLimits``, a syntax error) it gives up and returns `nil`; the caller then
/// composes the file again with ``YAMLComposer``, so every diagnostic and every position
/// a diagnostic shows still comes from that one place.
///
/// Positions are kept in a side table only for the pointers ``watched`` names: what the
/// results of a valid profile carry (its name, its references).
struct YAMLJSONComposer {
    /// One document of the file, as JSON.
    struct Document {
        var value: JSONValue
        /// Where the document starts (``YAMLDocument/location``).
        var location: SourceLocation
        /// The positions of the values at the watched pointers that the document has, as
        /// ``YAMLNode/location(of:atKey:)`` would find them.
        var positions: [JSONPointer: SourceLocation]
        /// The `spec` fields the project's defaults supply, set by
        /// ``ProfileLoader/cleanProfiles(in:file:defaults:)`` as it merges them.
        var fromDefaults: Set<[String]> = []
    }

    private let file: String
    private let limits: YAMLLimits

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    private static let stringTag = "tag:yaml.org,2002:str"

    /// A collection being built.
    private struct Frame {
        var isMapping: Bool
        var items: [JSONValue] = []
        /// For mappings: the entries in order; the object is built once at the end, at its size.
        var entries: [(key: String, value: JSONValue)] = []
        /// The keys, once the mapping has ``YAMLComposer/indexedKeyCount`` entries (a linear
        /// search of a few keys is cheaper than hashing them, and the set keeps a large mapping linear).
        var keys: Set<String> = []
        /// For mappings: the key waiting for its value.
        var pendingKey: String?
        /// Where this collection sits in its parent (`nil` for a document's root).
        var component: JSONPathComponent?

        func hasKey(_ key: String) -> Bool {
            keys.isEmpty ? entries.contains { $0.key == key } : keys.contains(key)
        }

        /// The mapping's object, built at its final size.
        var members: [String: JSONValue] {
            var members = [String: JSONValue](minimumCapacity: entries.count)
            for entry in entries { members[entry.key] = entry.value }
            return members
        }
    }

    /// The non-empty documents of `utf8` as JSON, or `nil` when the file needs ``YAMLComposer``.
    func compose(utf8: [UInt8]) -> [Document]? {
        guard let parser = YAMLParser(utf8: utf8) else { return nil }
        var documents: [Document] = []
        var stack: [Frame] = []
        var documentStart = SourceLocation(file: file, line: 1, column: 1)
        var positions: [JSONPointer: SourceLocation] = [:]
        var root: JSONValue?
        var rootIsEmptyPlain = false
        do {
            while let event = try parser.next() {
                switch event {
                case .streamStart, .streamEnd:
                    break
                case .documentStart(let mark):
                    documentStart = location(mark)
                    positions = [:]
                    root = nil
                    rootIsEmptyPlain = false
                case .documentEnd:
                    // An empty document (a plain scalar with no text as its root) is skipped, as YAMLComposer does.
                    if let root, !rootIsEmptyPlain {
                        documents.append(Document(value: root, location: documentStart, positions: positions))
                    }
                case .alias:
                    return nil
                case .scalar(let text, let anchor, let tag, let style, let mark):
                    guard anchor == nil else { return nil }
                    var isPlain = style == .plain
                    if let tag, tag != "!" {
                        guard tag == Self.stringTag else { return nil }
                        isPlain = false
                    }
                    if let top = stack.indices.last, stack[top].isMapping, stack[top].pendingKey == nil {
                        // A key: the checks YAMLComposer reports on give up here.
                        if isPlain && (text == "<<" || YAMLScalarResolver.isNonString(plain: text)) { return nil }
                        if stack[top].hasKey(text) || stack[top].entries.count >= limits.maxKeysPerMapping { return nil }
                        stack[top].pendingKey = text
                        continue
                    }
                    record(mark, in: stack, positions: &positions)
                    let value = isPlain ? YAMLScalarResolver.resolve(plain: text) : JSONValue.string(text)
                    if stack.isEmpty { rootIsEmptyPlain = isPlain && text.isEmpty }
                    add(value, to: &stack, root: &root)
                case .sequenceStart(let anchor, let tag, let mark), .mappingStart(let anchor, let tag, let mark):
                    guard anchor == nil, tag == nil || tag == "!", stack.count < limits.maxDepth else { return nil }
                    if let top = stack.last, top.isMapping, top.pendingKey == nil { return nil }
                    record(mark, in: stack, positions: &positions)
                    var isMapping = false
                    if case .mappingStart = event { isMapping = true }
                    stack.append(Frame(isMapping: isMapping, component: Self.nextComponent(of: stack.last)))
                case .sequenceEnd, .mappingEnd:
                    guard let frame = stack.popLast() else { break }
                    let value: JSONValue = frame.isMapping ? .object(frame.members) : .array(frame.items)
                    if stack.isEmpty { rootIsEmptyPlain = false }
                    add(value, to: &stack, root: &root)
                }
            }
        } catch {
            return nil
        }
        return documents
    }

    /// The pointers whose positions the side table keeps: a profile's name and its references.
    static func watched(_ path: [JSONPathComponent]) -> Bool {
        switch path.count {
        case 2: return path[0] == .key("metadata") && path[1] == .key("name")
        case 3:
            guard path[0] == .key("spec") else { return false }
            if path[1] == .key("dependsOn"), case .index = path[2] { return true }
            return (path[1] == .key("persistence") || path[1] == .key("relatedContact")) && path[2] == .key("from")
        default: return false
        }
    }

    /// The component the next value added to `frame` sits under.
    private static func nextComponent(of frame: Frame?) -> JSONPathComponent? {
        guard let frame else { return nil }
        if frame.isMapping { return frame.pendingKey.map(JSONPathComponent.key) }
        return .index(frame.items.count)
    }

    /// Keeps the position of the value starting at `mark` when its pointer is watched.
    private func record(_ mark: YAMLMark, in stack: [Frame], positions: inout [JSONPointer: SourceLocation]) {
        // Watched pointers are `metadata/name` and three deep under `spec`: nearly every
        // value is ruled out by its depth and the keys above it, before any path is built.
        guard stack.count == 2 || stack.count == 3, case .key(let first)? = stack[1].component else { return }
        if stack.count == 2 {
            guard first == "metadata", stack[1].isMapping, stack[1].pendingKey == "name" else { return }
        } else {
            guard first == "spec", case .key(let second)? = stack[2].component,
                  second == "dependsOn" || second == "persistence" || second == "relatedContact" else { return }
        }
        guard let last = Self.nextComponent(of: stack.last) else { return }
        var path: [JSONPathComponent] = []
        for frame in stack.dropFirst() {
            guard let component = frame.component else { return }
            path.append(component)
        }
        path.append(last)
        if Self.watched(path) { positions[JSONPointer(path)] = location(mark) }
    }

    private func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// Adds a finished value to the innermost collection, or makes it the root.
    private func add(_ value: JSONValue, to stack: inout [Frame], root: inout JSONValue?) {
        guard let top = stack.indices.last else {
            root = value
            return
        }
        if stack[top].isMapping {
            if let key = stack[top].pendingKey {
                stack[top].entries.append((key, value))
                if !stack[top].keys.isEmpty {
                    stack[top].keys.insert(key)
                } else if stack[top].entries.count >= YAMLComposer.indexedKeyCount {
                    stack[top].keys = Set(stack[top].entries.map(\.key))
                }
            }
            stack[top].pendingKey = nil
        } else {
            stack[top].items.append(value)
        }
    }

    /// `value` merged over `base` as ``ProfileLoader/merge(_:over:)`` merges nodes: objects
    /// deeply, any other value replaces the base.
    static func merge(_ value: JSONValue, over base: JSONValue) -> JSONValue {
        guard case .object(var own) = value, case .object(let inherited) = base else { return value }
        for (key, inheritedValue) in inherited {
            if let ownValue = own[key] {
                own[key] = merge(ownValue, over: inheritedValue)
            } else {
                own[key] = inheritedValue
            }
        }
        return .object(own)
    }
}
