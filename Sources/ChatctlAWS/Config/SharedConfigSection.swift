/// One section of a shared config or credentials file: a profile, or a `[services NAME]`
/// section.
///
/// Keys are stored in lower case (the files' keys are case-insensitive). A key written
/// with an empty value and followed by indented `key = value` lines, such as
/// `connect =` in a services section or `s3 =` in a profile, keeps those lines as
/// sub-properties. Printing a section never shows a secret: the values of
/// ``redactedKeys`` are redacted in ``description``, ``debugDescription`` and ``customMirror``.
public struct SharedConfigSection: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The profile or services name, for example `default` or `dev`.
    public var name: String
    /// The settings by lower-case key; a value continued over several lines holds `\n`.
    public var properties: [String: String]
    /// Nested settings by lower-case parent key, then lower-case key.
    public var subProperties: [String: [String: String]]

    /// Keys whose values are secrets and are never printed.
    public static let secretKeys: Set<String> = ["aws_secret_access_key", "aws_session_token", "aws_security_token"]
    /// Keys whose values are never printed: the ``secretKeys``, and `credential_process`,
    /// whose arguments may hold a password or token.
    public static let redactedKeys: Set<String> = secretKeys.union(["credential_process"])

    /// Creates a section.
    ///
    /// - Parameters:
    ///   - name: the profile or services name.
    ///   - properties: the settings; keys are lower-cased.
    ///   - subProperties: the nested settings; keys are lower-cased.
    public init(name: String, properties: [String: String] = [:], subProperties: [String: [String: String]] = [:]) {
        self.name = name
        self.properties = Dictionary(properties.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.subProperties = Dictionary(
            subProperties.map { entry in
                (entry.key.lowercased(), Dictionary(entry.value.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 }))
            }, uniquingKeysWith: { $1 })
    }

    /// The value of `key` (any case), or `nil` when it is absent or blank.
    public subscript(key: String) -> String? {
        guard let value = properties[key.lowercased()], !value.trimmingASCIIWhitespace().isEmpty else { return nil }
        return value
    }

    /// The nested value `parent` → `key` (any case), or `nil` when absent or blank.
    public func subProperty(_ parent: String, _ key: String) -> String? {
        guard let value = subProperties[parent.lowercased()]?[key.lowercased()],
            !value.trimmingASCIIWhitespace().isEmpty
        else { return nil }
        return value
    }

    /// This section with `other`'s settings laid over it: a key in both takes `other`'s value.
    public func merging(_ other: SharedConfigSection) -> SharedConfigSection {
        var merged = self
        merged.properties.merge(other.properties) { $1 }
        for (parent, values) in other.subProperties {
            merged.subProperties[parent, default: [:]].merge(values) { $1 }
        }
        return merged
    }

    /// The settings with secret values replaced by `(redacted)`, sorted by key.
    public var description: String {
        let shown = properties.keys.sorted().map { key in
            "\(key) = \(Self.redactedKeys.contains(key) ? "(redacted)" : properties[key] ?? "")"
        }
        let nested = subProperties.keys.sorted().map { parent in
            let values = subProperties[parent] ?? [:]
            let inner = values.keys.sorted().map { key in
                "\(key) = \(Self.redactedKeys.contains(key) ? "(redacted)" : values[key] ?? "")"
            }
            return "\(parent) = {\(inner.joined(separator: ", "))}"
        }
        return "SharedConfigSection(\(name): \((shown + nested).joined(separator: ", ")))"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror with the secret values redacted.
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "properties": description], displayStyle: .struct)
    }
}
