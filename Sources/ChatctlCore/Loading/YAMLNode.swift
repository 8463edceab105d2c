public import ChatctlJSON
/// A YAML node with its position: every scalar, sequence, mapping and key knows the
/// line and column it starts at, so any problem found later can be reported there.
public struct YAMLNode: Sendable {
    /// A scalar as written, before resolution.
    public struct Scalar: Sendable, Hashable {
        public var text: String
        /// Plain scalars are resolved by the YAML 1.2 core schema; quoted, block and
        /// `!!str`-tagged scalars are always strings.
        public var isPlain: Bool
    }

    /// One `key: value` pair of a mapping.
    public struct Entry: Sendable {
        /// The key's text (keys are always strings; others are rejected while loading).
        public var key: String
        public var keyLocation: SourceLocation
        public var value: YAMLNode
    }

    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([YAMLNode])
        case mapping([Entry])
    }

    public var content: Content
    /// Where the node starts (for a block mapping, its first key).
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }
}

extension YAMLNode {
    /// The mapping's entries, when this is a mapping.
    public var entries: [Entry]? {
        if case .mapping(let entries) = content { entries } else { nil }
    }

    /// The entry named `key`, when this is a mapping that has it.
    public func entry(_ key: String) -> Entry? {
        entries?.first { $0.key == key }
    }

    /// The value of `key`, when this is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        entry(key)?.value
    }

    /// The scalar, when this is one.
    public var scalar: Scalar? {
        if case .scalar(let scalar) = content { scalar } else { nil }
    }

    /// True for a plain scalar with no text (`duration:`), which YAML reads as null.
    public var isEmptyValue: Bool {
        if let scalar, scalar.isPlain, scalar.text.isEmpty { true } else { false }
    }

    /// The location a pointer leads to: the value at `pointer`, or its key when
    /// `atKey` is set. Where the pointer leaves the tree (a member that is absent),
    /// the deepest node reached stands in, so every problem still gets a position.
    public func location(of pointer: JSONPointer, atKey: Bool = false) -> SourceLocation {
        var node = self
        for (offset, component) in pointer.components.enumerated() {
            let isLast = offset == pointer.components.count - 1
            switch (component, node.content) {
            case (.key(let key), .mapping(let entries)):
                guard let entry = entries.first(where: { $0.key == key }) else { return node.location }
                if isLast && atKey { return entry.keyLocation }
                node = entry.value
            case (.index(let index), .sequence(let items)) where items.indices.contains(index):
                node = items[index]
            default:
                return node.location
            }
        }
        return node.location
    }

    /// The node at `pointer`, if the tree has one there.
    public func node(at pointer: JSONPointer) -> YAMLNode? {
        var node = self
        for component in pointer.components {
            switch (component, node.content) {
            case (.key(let key), .mapping):
                guard let next = node[key] else { return nil }
                node = next
            case (.index(let index), .sequence(let items)) where items.indices.contains(index):
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }
}
