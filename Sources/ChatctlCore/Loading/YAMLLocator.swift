public import ChatctlJSON

/// Resolves many JSON pointers against one YAML tree in linear time overall.
///
/// ``YAMLNode/location(of:atKey:)`` finds a key by a linear search of its mapping,
/// which is right for one lookup; a document with 100,000 unknown keys gets 100,000
/// violations, each looked up in the same large mapping. The locator indexes a large
/// mapping's keys the first time it is searched, so every later lookup is a hash probe
/// (docs/robustness.md, "Hostile inputs": checks are linear).
public final class YAMLLocator {
    public let root: YAMLNode
    /// Key → entry offset, for each large mapping searched so far, by its pointer.
    private var indexes: [JSONPointer: [String: Int]] = [:]
    /// Mappings with fewer entries are searched linearly: cheaper than hashing.
    private static let indexedEntryCount = 16

    public init(_ root: YAMLNode) {
        self.root = root
    }

    /// The location `pointer` leads to, as ``YAMLNode/location(of:atKey:)`` finds it.
    public func location(of pointer: JSONPointer, atKey: Bool = false) -> SourceLocation {
        let walk = self.walk(pointer)
        if walk.complete, atKey, let keyLocation = walk.keyLocation { return keyLocation }
        return walk.node.location
    }

    /// The node at `pointer`, if the tree has one there.
    public func node(at pointer: JSONPointer) -> YAMLNode? {
        let walk = self.walk(pointer)
        return walk.complete ? walk.node : nil
    }

    /// Follows `pointer` as far as the tree goes: the deepest node reached, whether it is
    /// the node at the pointer, and the key location of the last step when it was a key.
    private func walk(_ pointer: JSONPointer) -> (node: YAMLNode, complete: Bool, keyLocation: SourceLocation?) {
        var node = root
        var keyLocation: SourceLocation?
        for (depth, component) in pointer.components.enumerated() {
            switch (component, node.content) {
            case (.key(let key), .mapping(let entries)):
                guard let offset = offset(of: key, in: entries, at: pointer, depth: depth) else {
                    return (node, false, nil)
                }
                keyLocation = entries[offset].keyLocation
                node = entries[offset].value
            case (.index(let index), .sequence(let items)) where items.indices.contains(index):
                keyLocation = nil
                node = items[index]
            default:
                return (node, false, nil)
            }
        }
        return (node, true, keyLocation)
    }

    private func offset(of key: String, in entries: [YAMLNode.Entry], at pointer: JSONPointer, depth: Int) -> Int? {
        guard entries.count >= Self.indexedEntryCount else { return entries.firstIndex { $0.key == key } }
        let mapping = JSONPointer(Array(pointer.components.prefix(depth)))
        if let index = indexes[mapping] { return index[key] }
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        // The first of a repeated key wins, as in a linear search (repeats are reported while loading).
        for (offset, entry) in entries.enumerated() where index[entry.key] == nil { index[entry.key] = offset }
        indexes[mapping] = index
        return index[key]
    }
}
