/// A profile document as read, with the project's defaults merged under its `spec`.
public struct LoadedProfile: Sendable {
    public var file: String
    public var document: YAMLDocument
    /// The document root with `spec.defaults` of the project merged under `spec`
    /// (mappings merged deeply, everything else replaced). Nodes keep their own
    /// locations, so a bad default is reported in chatctl.yaml.
    public var merged: YAMLNode
}

/// The project file (`chatctl.yaml`, kind Project), when the run has one.
public struct LoadedProject: Sendable {
    public var file: String
    public var document: YAMLDocument
    /// The folder the project's relative paths are resolved against.
    public var directory: String

    /// `spec.region`: the region a profile's digest and calls take when it declares none.
    public var region: String? { document.root.jsonValue["spec"]?["region"]?.stringValue }
}

/// What the loading stage hands to validation: every document read, and every
/// problem found on the way (all of them, not only the first).
public struct LoadedInput: Sendable {
    public var project: LoadedProject?
    public var profiles: [LoadedProfile]
    /// Every file read, in the order read (sorted paths).
    public var files: [String]
    public var diagnostics: [Diagnostic]
}
