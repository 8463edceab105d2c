/// One document of a YAML stream (`---` separated), with its root node.
public struct YAMLDocument: Sendable {
    /// 0-based position of the document in its file.
    public var index: Int
    /// Where the document starts.
    public var location: SourceLocation
    public var root: YAMLNode
}

/// The limits that keep loading bounded in time and memory whatever the input (docs/profiles.md, "YAML and typing").
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file read, in bytes.
    public var maxFileBytes: Int = 32 * 1024 * 1024
    /// Deepest nesting of sequences and mappings, checked while events stream in.
    public var maxDepth: Int = 64
    /// Nodes reached through aliases in one document (alias-bomb guard).
    public var maxAliasNodes: Int = 10_000
    /// Keys in one mapping.
    public var maxKeysPerMapping: Int = 100_000

    public init() {}
}
