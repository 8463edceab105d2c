/// A parsed shared config file (`~/.aws/config`) or shared credentials file
/// (`~/.aws/credentials`), following the AWS SDKs' rules
/// ([Shared config and credentials files](https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html)):
///
/// - Sections: in the config file `[default]`, `[profile NAME]` and `[services NAME]`
///   (`[profile default]` is the default profile too, and wins over `[default]`; other
///   headers such as `[NAME]` or `[sso-session NAME]` are ignored). In the credentials
///   file every `[NAME]` is a profile, with no `profile` prefix.
/// - Properties: `key = value`, keys case-insensitive, surrounding spaces trimmed. A
///   later duplicate key, or a repeated section, overrides or extends the earlier one.
/// - Comments: whole lines starting with `#` or `;`; on a property line, a `#` or `;`
///   preceded by a space or tab starts a comment; on a section line, anything after `]`.
/// - Continuations: an indented line after a property continues its value (joined with
///   `\n`); after a property with an empty value (`connect =`), indented `key = value`
///   lines are its sub-properties.
public struct SharedConfigFile: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// Which of the two files the text comes from; it decides how headers are read.
    public enum Kind: Sendable, Equatable {
        /// `~/.aws/config`: `[default]`, `[profile NAME]`, `[services NAME]`.
        case config
        /// `~/.aws/credentials`: `[NAME]`.
        case credentials
    }

    /// The profiles by name.
    public var profiles: [String: SharedConfigSection]
    /// The `[services NAME]` sections by name (config file only).
    public var services: [String: SharedConfigSection]

    /// Creates a file from its sections.
    public init(profiles: [String: SharedConfigSection] = [:], services: [String: SharedConfigSection] = [:]) {
        self.profiles = profiles
        self.services = services
    }

    /// Parses the text of a file.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - kind: whether it is the config or the credentials file.
    ///   - path: the file as shown in errors, for example `~/.aws/config`.
    /// - Returns: the profiles and services sections.
    /// - Throws: ``SharedConfigFileError`` with the 1-based line of the first syntax error.
    public static func parse(_ text: String, kind: Kind, path: String) throws(SharedConfigFileError) -> SharedConfigFile {
        var parser = Parser(kind: kind, path: path)
        var lineNumber = 0
        // Split on every line break; "\r\n" is one `Character`, so it ends one line.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            var line = rawLine
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            try parser.consume(line, number: lineNumber)
        }
        return parser.finish()
    }

    /// The profile names and services names; values are never shown.
    public var description: String {
        "SharedConfigFile(profiles: \(profiles.keys.sorted()), services: \(services.keys.sorted()))"
    }

    /// A mirror of the sections, each of which redacts itself.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "profiles": profiles.keys.sorted().compactMap { profiles[$0]?.description },
                "services": services.keys.sorted().compactMap { services[$0]?.description },
            ], displayStyle: .struct)
    }

    /// The state of a parse: the section being filled and its last property.
    private struct Parser {
        enum Target {
            case profile(String, explicitPrefix: Bool)
            case services(String)
            case ignored
        }

        let kind: Kind
        let path: String
        var target: Target?
        var lastKey: String?
        /// Whether the last property had an empty value, so indented lines are sub-properties.
        var lastKeyOpensBlock = false
        var profiles: [String: SharedConfigSection] = [:]
        /// `[profile default]` sections, laid over `[default]` at the end.
        var prefixedDefault: SharedConfigSection?
        var services: [String: SharedConfigSection] = [:]

        init(kind: Kind, path: String) {
            self.kind = kind
            self.path = path
        }

        mutating func consume(_ line: Substring, number: Int) throws(SharedConfigFileError) {
            let trimmed = line.trimmingASCIIWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
                return
            }
            let indented = line.first == " " || line.first == "\t"
            if trimmed.hasPrefix("[") {
                try header(trimmed, number: number)
            } else if indented, let key = lastKey, target != nil {
                try continuation(trimmed, of: key, number: number)
            } else {
                try property(trimmed, number: number)
            }
        }

        private mutating func header(_ text: String, number: Int) throws(SharedConfigFileError) {
            guard let close = text.firstIndex(of: "]") else {
                throw .unterminatedSection(path: path, line: number)
            }
            let inside = text[text.index(after: text.startIndex)..<close].trimmingASCIIWhitespace()
            lastKey = nil
            lastKeyOpensBlock = false
            target = Self.target(of: inside, kind: kind)
            switch target {
            case .profile(let name, let explicitPrefix):
                if explicitPrefix, name == "default" {
                    prefixedDefault = prefixedDefault ?? SharedConfigSection(name: name)
                } else if profiles[name] == nil {
                    profiles[name] = SharedConfigSection(name: name)
                }
            case .services(let name):
                if services[name] == nil { services[name] = SharedConfigSection(name: name) }
            case .ignored, nil:
                break
            }
        }

        /// What a header's text (between the brackets) names.
        private static func target(of inside: String, kind: Kind) -> Target {
            guard !inside.isEmpty else { return .ignored }
            switch kind {
            case .credentials:
                return inside.contains(where: { $0 == " " || $0 == "\t" }) ? .ignored : .profile(inside, explicitPrefix: false)
            case .config:
                if inside == "default" { return .profile("default", explicitPrefix: false) }
                let words = inside.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard words.count == 2 else { return .ignored }
                switch words[0] {
                case "profile": return .profile(String(words[1]), explicitPrefix: true)
                case "services": return .services(String(words[1]))
                default: return .ignored
                }
            }
        }

        private mutating func property(_ text: String, number: Int) throws(SharedConfigFileError) {
            guard let target else {
                throw .propertyOutsideSection(path: path, line: number)
            }
            guard let (key, value) = Self.keyValue(text) else {
                throw .expectedProperty(path: path, line: number)
            }
            lastKey = key
            lastKeyOpensBlock = value.isEmpty
            update(target) { section in
                section.properties[key] = value
                if value.isEmpty { section.subProperties[key] = [:] }
            }
        }

        private mutating func continuation(_ text: String, of key: String, number: Int) throws(SharedConfigFileError) {
            guard let target else { return }
            if lastKeyOpensBlock {
                guard let (subKey, value) = Self.keyValue(text) else {
                    throw .expectedProperty(path: path, line: number)
                }
                update(target) { $0.subProperties[key, default: [:]][subKey] = value }
            } else {
                let extra = Self.strippingComment(text)
                update(target) { section in
                    let existing = section.properties[key] ?? ""
                    section.properties[key] = existing.isEmpty ? extra : existing + "\n" + extra
                }
            }
        }

        private mutating func update(_ target: Target, _ change: (inout SharedConfigSection) -> Void) {
            switch target {
            case .profile(let name, let explicitPrefix):
                if explicitPrefix, name == "default" {
                    var section = prefixedDefault ?? SharedConfigSection(name: name)
                    change(&section)
                    prefixedDefault = section
                } else {
                    var section = profiles[name] ?? SharedConfigSection(name: name)
                    change(&section)
                    profiles[name] = section
                }
            case .services(let name):
                var section = services[name] ?? SharedConfigSection(name: name)
                change(&section)
                services[name] = section
            case .ignored:
                break
            }
        }

        /// `key = value` split at the first `=`, the key lower-cased, the value without its
        /// inline comment; `nil` when there is no `=` or the key is empty.
        private static func keyValue(_ text: String) -> (String, String)? {
            guard let equals = text.firstIndex(of: "=") else { return nil }
            let key = text[..<equals].trimmingASCIIWhitespace().lowercased()
            guard !key.isEmpty else { return nil }
            return (key, strippingComment(String(text[text.index(after: equals)...])))
        }

        /// The text before a `#` or `;` that follows a space or tab, trimmed.
        private static func strippingComment(_ text: String) -> String {
            var previous: Character = "="
            var end = text.endIndex
            var index = text.startIndex
            while index < text.endIndex {
                let character = text[index]
                if (character == "#" || character == ";") && (previous == " " || previous == "\t") {
                    end = index
                    break
                }
                previous = character
                index = text.index(after: index)
            }
            return text[..<end].trimmingASCIIWhitespace()
        }

        func finish() -> SharedConfigFile {
            var profiles = self.profiles
            if let prefixedDefault {
                profiles["default"] = prefixedDefault
            }
            return SharedConfigFile(profiles: profiles, services: services)
        }
    }
}
