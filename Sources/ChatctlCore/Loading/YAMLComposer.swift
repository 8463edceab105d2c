/// Builds ``YAMLDocument``s from libyaml's event stream, enforcing the loading rules
/// and limits of docs/profiles.md ("YAML and typing") as the events arrive (never after the fact, so a
/// hostile file is stopped before it costs time or memory).
///
/// Recoverable problems (a duplicate key, a custom tag, a non-string key, a merge key)
/// are reported and loading goes on, so one run shows them all; problems that leave no
/// usable tree (syntax errors, limits) stop the file with the documents read so far.
struct YAMLComposer {
    private let file: String
    private let limits: YAMLLimits
    private let lines: SourceLines
    private(set) var diagnostics: [Diagnostic] = []

    private static let stringTag = "tag:yaml.org,2002:str"
    /// Mappings with this many entries find duplicate keys through a set.
    static let indexedKeyCount = 16

    /// A collection being built.
    private struct Frame {
        enum Kind {
            case sequence([YAMLNode])
            /// `keys` stays empty until the mapping has ``YAMLComposer/indexedKeyCount`` entries:
            /// a linear search of a few keys is cheaper than hashing every key of every
            /// small mapping, and the set keeps a 100,000-key mapping linear.
            case mapping(entries: [YAMLNode.Entry], keys: Set<String>)
        }
        var kind: Kind
        var location: SourceLocation
        var anchor: String?
        /// Nodes inside this one, counted for alias-expansion accounting.
        var nodeCount = 1
        /// For mappings: the key waiting for its value (`nil` before a key is read).
        var pendingKey: PendingKey?
    }

    private enum PendingKey {
        case key(String, SourceLocation)
        /// A rejected key: its value is read and dropped.
        case discarded
    }

    private struct Anchored {
        var node: YAMLNode
        var nodeCount: Int
    }

    init(file: String, utf8: [UInt8], limits: YAMLLimits) {
        self.file = file
        self.limits = limits
        self.lines = SourceLines(utf8: utf8)
    }

    /// Reads every document of `utf8`; problems are in ``diagnostics`` afterwards.
    mutating func compose(utf8: [UInt8]) -> [YAMLDocument] {
        guard let parser = YAMLParser(utf8: utf8) else {
            diagnostics.append(LoadError.outOfMemory(file: file).diagnostic)
            return []
        }
        var documents: [YAMLDocument] = []
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var aliasNodes = 0
        var documentStart = SourceLocation(file: file, line: 1, column: 1)
        var documentIndex = 0
        var root: YAMLNode?

        do {
            while let event = try parser.next() {
                switch event {
                case .streamStart, .streamEnd:
                    break
                case .documentStart(let mark):
                    documentStart = location(mark)
                    anchors.removeAll(keepingCapacity: true)
                    aliasNodes = 0
                    root = nil
                case .documentEnd:
                    if let root, !root.isEmptyValue {
                        documents.append(YAMLDocument(index: documentIndex, location: documentStart, root: root))
                    }
                    documentIndex += 1
                case .scalar(let value, let anchor, let tag, let style, let mark):
                    let at = location(mark)
                    var isPlain = style == .plain
                    if let tag, tag != "!" {
                        if tag == Self.stringTag {
                            isPlain = false
                        } else {
                            diagnostics.append(LoadError.unsupportedTag(tag, at: at).diagnostic)
                        }
                    }
                    let node = YAMLNode(.scalar(.init(text: value, isPlain: isPlain)), at: at)
                    if let anchor { anchors[anchor] = Anchored(node: node, nodeCount: 1) }
                    if try !acceptKey(scalar: node, in: &stack) {
                        try add(node, nodeCount: 1, to: &stack, root: &root)
                    }
                case .alias(let anchor, let mark):
                    let at = location(mark)
                    guard let anchored = anchors[anchor] else {
                        throw Stop(LoadError.unknownAnchor(anchor, at: at))
                    }
                    aliasNodes += anchored.nodeCount
                    if aliasNodes > limits.maxAliasNodes {
                        throw Stop(LoadError.aliasLimit(limits.maxAliasNodes, at: at))
                    }
                    if expectsKey(stack) {
                        // An aliased key must be a scalar like any other key.
                        guard anchored.node.scalar != nil else { throw Stop(LoadError.complexKey(at: at)) }
                        _ = try acceptKey(scalar: YAMLNode(anchored.node.content, at: at), in: &stack)
                    } else {
                        try add(anchored.node, nodeCount: anchored.nodeCount, to: &stack, root: &root)
                    }
                case .sequenceStart(let anchor, let tag, let mark), .mappingStart(let anchor, let tag, let mark):
                    let at = location(mark)
                    if expectsKey(stack) { throw Stop(LoadError.complexKey(at: at)) }
                    if stack.count >= limits.maxDepth { throw Stop(LoadError.depthLimit(limits.maxDepth, at: at)) }
                    if let tag, tag != "!" { diagnostics.append(LoadError.unsupportedTag(tag, at: at).diagnostic) }
                    let kind: Frame.Kind
                    if case .sequenceStart = event { kind = .sequence([]) } else { kind = .mapping(entries: [], keys: []) }
                    stack.append(Frame(kind: kind, location: at, anchor: anchor))
                case .sequenceEnd, .mappingEnd:
                    guard let frame = stack.popLast() else { break }
                    let node: YAMLNode
                    switch frame.kind {
                    case .sequence(let items): node = YAMLNode(.sequence(items), at: frame.location)
                    case .mapping(let entries, _): node = YAMLNode(.mapping(entries), at: frame.location)
                    }
                    if let anchor = frame.anchor { anchors[anchor] = Anchored(node: node, nodeCount: frame.nodeCount) }
                    try add(node, nodeCount: frame.nodeCount, to: &stack, root: &root)
                }
            }
        } catch let error as YAMLSyntaxError {
            diagnostics.append(LoadError.syntax(error, file: file, lines: lines).diagnostic)
        } catch let stop as Stop {
            diagnostics.append(stop.error.diagnostic)
        } catch {
            diagnostics.append(LoadError.outOfMemory(file: file).diagnostic)
        }
        return documents
    }

    /// Stops composing the file with one diagnostic.
    private struct Stop: Error {
        var error: LoadError
        init(_ error: LoadError) { self.error = error }
    }

    private func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    private func expectsKey(_ stack: [Frame]) -> Bool {
        guard let top = stack.last, case .mapping = top.kind else { return false }
        return top.pendingKey == nil
    }

    /// When the innermost collection is a mapping waiting for a key, takes `scalar` as
    /// that key (checking it) and returns true; otherwise returns false.
    private mutating func acceptKey(scalar: YAMLNode, in stack: inout [Frame]) throws -> Bool {
        guard expectsKey(stack), let top = stack.indices.last,
              case .mapping(let entries, var keys) = stack[top].kind,
              let key = scalar.scalar
        else { return false }
        // Release the frame's copy of the key set, so inserting below does not copy it
        // (a copy per key would make a large mapping quadratic).
        stack[top].kind = .mapping(entries: entries, keys: [])
        defer { stack[top].kind = .mapping(entries: entries, keys: keys) }
        if key.isPlain && key.text == "<<" {
            diagnostics.append(LoadError.mergeKey(at: scalar.location).diagnostic)
            stack[top].pendingKey = .discarded
        } else if key.isPlain && YAMLScalarResolver.isNonString(plain: key.text) {
            diagnostics.append(LoadError.nonStringKey(key.text, at: scalar.location).diagnostic)
            stack[top].pendingKey = .discarded
        } else if keys.isEmpty ? entries.contains(where: { $0.key == key.text }) : keys.contains(key.text) {
            let first = entries.first { $0.key == key.text }?.keyLocation
            diagnostics.append(LoadError.duplicateKey(key.text, at: scalar.location, first: first).diagnostic)
            stack[top].pendingKey = .discarded
        } else {
            if entries.count >= limits.maxKeysPerMapping {
                throw Stop(LoadError.tooManyKeys(limits.maxKeysPerMapping, at: scalar.location))
            }
            if !keys.isEmpty {
                keys.insert(key.text)
            } else if entries.count + 1 >= Self.indexedKeyCount {
                keys = Set(entries.map(\.key))
                keys.insert(key.text)
            }
            stack[top].pendingKey = .key(key.text, scalar.location)
        }
        return true
    }

    /// Adds a finished node to the innermost collection, or makes it the root.
    private func add(_ node: YAMLNode, nodeCount: Int, to stack: inout [Frame], root: inout YAMLNode?) throws {
        guard let top = stack.indices.last else {
            root = node
            return
        }
        stack[top].nodeCount += nodeCount
        switch stack[top].kind {
        case .sequence(var items):
            // Release the frame's copy first so appending does not copy the array.
            stack[top].kind = .sequence([])
            items.append(node)
            stack[top].kind = .sequence(items)
        case .mapping(var entries, let keys):
            switch stack[top].pendingKey {
            case .key(let key, let keyLocation)?:
                stack[top].kind = .mapping(entries: [], keys: [])
                entries.append(YAMLNode.Entry(key: key, keyLocation: keyLocation, value: node))
                stack[top].kind = .mapping(entries: entries, keys: keys)
            case .discarded?, nil:
                break
            }
            stack[top].pendingKey = nil
        }
    }
}

/// The lines of a source text, for error messages that look at the offending character.
struct SourceLines {
    private let utf8: [UInt8]

    init(utf8: [UInt8]) { self.utf8 = utf8 }

    /// The text of 1-based `line`, without its line break; `nil` past the end.
    func line(_ number: Int) -> String? {
        var current = 1
        var start = 0
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\n") {
                if current == number { return String(decoding: utf8[start..<index], as: UTF8.self) }
                current += 1
                start = index + 1
            }
            index += 1
        }
        return current == number ? String(decoding: utf8[start...], as: UTF8.self) : nil
    }

    /// The character at 1-based `line` and `column` (in Unicode scalars).
    func character(line: Int, column: Int) -> Unicode.Scalar? {
        guard let text = self.line(line) else { return nil }
        let scalars = Array(text.unicodeScalars)
        return scalars.indices.contains(column - 1) ? scalars[column - 1] : nil
    }

    /// True when the line has a tab in its leading white space.
    func hasTabIndentation(line: Int) -> Bool {
        guard let text = self.line(line) else { return false }
        return text.prefix { $0 == " " || $0 == "\t" }.contains("\t")
    }
}
