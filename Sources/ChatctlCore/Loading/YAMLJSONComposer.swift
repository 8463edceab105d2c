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
        /// ``ProfileLoader/cleanProfiles(in:file:defaults:findingFieldsFromDefaults:)`` as it merges them.
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
        /// Whether a key taken so far has a byte outside ASCII (``hasKey(_:)``).
        var hasNonASCIIKey = false
        /// Which watched pointers can start inside this collection, decided once when it
        /// starts (not from the path of every value, which cost 2.5% of
        /// `chatctl validate`'s instructions).
        var watch: Watch = .none

        /// Whether the mapping has a key equal to `key` as the tree path compares keys
        /// (`String`'s `==`, canonical equivalence: `café` written precomposed and
        /// decomposed, `K` and KELVIN SIGN, are one key, which the JSON object could hold
        /// only once). Notes whether `key` is ASCII, for the keys after it.
        ///
        /// `mutating`: called on `stack.frames[top]`, a mutating method works on the frame
        /// in place, where a non-mutating one was given a copy of the whole frame (its
        /// arrays and set retained and released) for every key.
        mutating func hasKey(_ key: String) -> Bool {
            let keyIsASCII = key.isASCII
            defer { if !keyIsASCII { hasNonASCIIKey = true } }
            guard keys.isEmpty else { return keys.contains(key) }
            guard keyIsASCII && !hasNonASCIIKey else { return entries.contains { $0.key == key } }
            // Lengths first: most keys of a mapping differ in length, and comparing two
            // counts is far cheaper than the string comparison (1.3% of validate's CPU).
            // Exact between ASCII keys only (``Swift/String/isASCII``).
            let length = key.utf8.count
            return entries.contains { $0.key.utf8.count == length && $0.key == key }
        }

        /// The mapping's object, built at its final size.
        var members: [String: JSONValue] {
            var members = [String: JSONValue](minimumCapacity: entries.count)
            for entry in entries { members[entry.key] = entry.value }
            return members
        }

        /// Makes a finished frame the start of a new collection.
        mutating func reuse(isMapping: Bool, watch: Watch) {
            self.isMapping = isMapping
            self.watch = watch
            pendingKey = nil
        }

        /// The finished collection's value. The frame is left empty: it hands its items
        /// over and empties its entries in place, so that ``reuse(isMapping:watch:)`` finds
        /// their capacity.
        mutating func finish() -> JSONValue {
            guard isMapping else {
                let value = JSONValue.array(items)
                items = []
                return value
            }
            let value = JSONValue.object(members)
            entries.removeAll(keepingCapacity: true)
            if !keys.isEmpty { keys = [] }
            hasNonASCIIKey = false
            return value
        }
    }

    /// The collections being built, innermost last. A frame stays when its collection ends
    /// and the next collection at its depth starts in it: a mapping's entries then grow into
    /// the capacity an earlier one left (every mapping growing its own from empty was 2% of
    /// `chatctl validate`'s instructions).
    private struct Stack {
        /// Frames `0..<count` are open; any beyond wait to be reused.
        var frames: [Frame] = []
        private(set) var count = 0

        var isEmpty: Bool { count == 0 }
        /// The innermost open frame's index.
        var top: Int? { count > 0 ? count - 1 : nil }

        mutating func push(isMapping: Bool, watch: Watch) {
            if count < frames.count {
                frames[count].reuse(isMapping: isMapping, watch: watch)
            } else {
                frames.append(Frame(isMapping: isMapping, watch: watch))
            }
            count += 1
        }

        /// Ends the innermost collection: its value, or `nil` when none is open.
        mutating func pop() -> JSONValue? {
            guard let top else { return nil }
            count = top
            return frames[top].finish()
        }
    }

    /// The non-empty documents of `utf8` as JSON, or `nil` when the file needs ``YAMLComposer``.
    func compose(utf8: [UInt8]) -> [Document]? {
        guard let parser = YAMLParser(utf8: utf8) else { return nil }
        var documents: [Document] = []
        var stack = Stack()
        var documentStart = SourceLocation(file: file, line: 1, column: 1)
        var positions: [JSONPointer: SourceLocation] = [:]
        var root: JSONValue?
        var rootIsEmptyPlain = false
        do {
            while let event = try parser.next() {
                var isMapping = false
                if case .mappingStart = event { isMapping = true }
                // Consumed: the scalar's text moves into the value instead of being copied
                // out of an event that is then destroyed.
                switch consume event {
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
                    if let top = stack.top, stack.frames[top].isMapping, stack.frames[top].pendingKey == nil {
                        // A key: the checks YAMLComposer reports on give up here.
                        if isPlain && (text == "<<" || YAMLScalarResolver.isNonString(plain: text)) { return nil }
                        if stack.frames[top].hasKey(text) || stack.frames[top].entries.count >= limits.maxKeysPerMapping {
                            return nil
                        }
                        stack.frames[top].pendingKey = text
                        continue
                    }
                    record(mark, in: stack, positions: &positions)
                    let value = isPlain ? YAMLScalarResolver.resolve(plain: text) : JSONValue.string(text)
                    if stack.isEmpty { rootIsEmptyPlain = isPlain && text.isEmpty }
                    add(value, to: &stack, root: &root)
                case .sequenceStart(let anchor, let tag, let mark), .mappingStart(let anchor, let tag, let mark):
                    guard anchor == nil, tag == nil || tag == "!", stack.count < limits.maxDepth else { return nil }
                    // The parent is read in place (a copy of a frame retains its arrays).
                    var watch = Watch.root
                    if let top = stack.top {
                        if stack.frames[top].isMapping && stack.frames[top].pendingKey == nil { return nil }
                        watch = Self.watch(under: stack.frames[top].watch, key: stack.frames[top].pendingKey)
                    }
                    record(mark, in: stack, positions: &positions)
                    stack.push(isMapping: isMapping, watch: watch)
                case .sequenceEnd, .mappingEnd:
                    guard let value = stack.pop() else { break }
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

    /// What a collection holds of the ``watched`` pointers, by where it sits.
    enum Watch {
        case none
        /// A document's root.
        case root
        /// `metadata` (its `name` is watched).
        case metadata
        /// `spec`.
        case spec
        /// `spec/dependsOn` (its items are watched).
        case dependsOn
        /// `spec/persistence` or `spec/relatedContact` (its `from` is watched).
        case persistence, relatedContact
    }

    /// The watch of a collection starting as the next value of a collection watched as
    /// `parent`, under `key` when that is a mapping (`nil` for a sequence).
    private static func watch(under parent: Watch, key: String?) -> Watch {
        guard let key else { return .none }
        switch (parent, key) {
        case (.root, "metadata"): return .metadata
        case (.root, "spec"): return .spec
        case (.spec, "dependsOn"): return .dependsOn
        case (.spec, "persistence"): return .persistence
        case (.spec, "relatedContact"): return .relatedContact
        default: return .none
        }
    }

    /// Keeps the position of the value starting at `mark` when its pointer is watched.
    private func record(_ mark: YAMLMark, in stack: Stack, positions: inout [JSONPointer: SourceLocation]) {
        // The frame's fields are read in place: copying the frame (its arrays, set and
        // key) for every value cost more than the rest of this function.
        guard let top = stack.top else { return }
        let path: [JSONPathComponent]
        let watch = stack.frames[top].watch
        switch watch {
        case .none, .root, .spec:
            return
        case .metadata:
            guard stack.frames[top].isMapping, stack.frames[top].pendingKey == "name" else { return }
            path = [.key("metadata"), .key("name")]
        case .dependsOn:
            guard !stack.frames[top].isMapping else { return }
            path = [.key("spec"), .key("dependsOn"), .index(stack.frames[top].items.count)]
        case .persistence, .relatedContact:
            guard stack.frames[top].isMapping, stack.frames[top].pendingKey == "from" else { return }
            path = [.key("spec"), .key(watch == .persistence ? "persistence" : "relatedContact"), .key("from")]
        }
        if Self.watched(path) { positions[JSONPointer(path)] = location(mark) }
    }

    private func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// Adds a finished value to the innermost collection, or makes it the root.
    private func add(_ value: JSONValue, to stack: inout Stack, root: inout JSONValue?) {
        guard let top = stack.top else {
            root = value
            return
        }
        if stack.frames[top].isMapping {
            if let key = stack.frames[top].pendingKey {
                stack.frames[top].entries.append((key, value))
                if !stack.frames[top].keys.isEmpty {
                    stack.frames[top].keys.insert(key)
                } else if stack.frames[top].entries.count >= YAMLComposer.indexedKeyCount {
                    stack.frames[top].keys = Set(stack.frames[top].entries.map(\.key))
                }
            }
            stack.frames[top].pendingKey = nil
        } else {
            stack.frames[top].items.append(value)
        }
    }

    /// `value` merged over `base` as ``ProfileLoader/merge(_:over:)`` merges nodes: objects
    /// deeply, any other value replaces the base. In place: each object is changed where
    /// it is (a merged member through `values[index]`), so no dictionary is copied and
    /// each name is hashed once or twice (copying the profile's `spec` to merge into it
    /// showed in `chatctl validate`'s profile).
    static func merge(_ value: inout JSONValue, over base: JSONValue) {
        guard case .object(let inherited) = base, case .object(var own) = value else { return }
        // The enum lets go of the dictionary, so `own` is its only holder and changes in place.
        value = .null
        for (key, inheritedValue) in inherited {
            if let index = own.index(forKey: key) {
                merge(&own.values[index], over: inheritedValue)
            } else {
                own[key] = inheritedValue
            }
        }
        value = .object(own)
    }
}
