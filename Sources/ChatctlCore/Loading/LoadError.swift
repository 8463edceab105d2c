import ChatctlJSON
/// Problems found while reading files and YAML, before any schema is applied.
///
/// Each factory builds the diagnostic for one problem; the codes are documented in
/// docs/validation.md.
public struct LoadError: DiagnosticConvertible, Sendable {
    public var diagnostic: Diagnostic

    init(_ code: String, at location: SourceLocation?, _ message: String, hint: String? = nil,
         severity: Diagnostic.Severity = .error) {
        diagnostic = Diagnostic(severity: severity, location: location, code: code, message: message, hint: hint)
    }

    // MARK: Files

    static func notFound(_ path: String) -> LoadError {
        LoadError("file.not-found", at: nil, "\(path): no such file or folder")
    }

    static func unreadable(_ path: String, reason: String) -> LoadError {
        LoadError("file.unreadable", at: nil, "\(path): cannot be read: \(reason)")
    }

    static func notRegular(_ path: String) -> LoadError {
        LoadError("file.not-regular", at: nil, "\(path): is not a regular file (a FIFO, socket or device); it is not read",
                  hint: "profiles are read from regular files only; remove it or rename it so it does not end in .yaml")
    }

    static func danglingLink(_ path: String) -> LoadError {
        LoadError("file.dangling-link", at: nil, "\(path): is a symlink to a file that does not exist",
                  hint: "fix the link or remove it")
    }

    static func symlinkLoop(_ path: String, target: String) -> LoadError {
        LoadError("file.symlink-loop", at: nil,
                  "\(path): is a symlink to \(target), a folder that contains it; it is not followed",
                  hint: "a folder symlink that leads back up the tree would read the same files again and again; remove it")
    }

    static func symlinkOutside(_ path: String, target: String, root: String) -> LoadError {
        LoadError("file.symlink-outside", at: nil,
                  "\(path): is a symlink to \(target), outside \(root); it is not followed",
                  hint: "name that folder on the command line (or in spec.profiles) to read it")
    }

    static func undecodableName(_ shown: String) -> LoadError {
        LoadError("file.name-encoding", at: nil,
                  "\(shown): the name is not valid UTF-8 (shown with \\u{FFFD} for the bytes that are not); it is not read",
                  hint: "rename it with a UTF-8 name")
    }

    static func tooLarge(_ path: String, bytes: Int, limit: Int) -> LoadError {
        LoadError("file.too-large", at: SourceLocation(file: path, line: 1, column: 1),
                  "the file has \(bytes) bytes, more than the limit of \(limit) bytes (\(limit / 1_048_576) MiB)",
                  hint: "split the profiles over several files")
    }

    static func noProfilesInFile(_ path: String) -> LoadError {
        LoadError("file.no-profiles", at: SourceLocation(file: path, line: 1, column: 1),
                  "the file holds no profile", severity: .warning)
    }

    static func noProfiles(searched paths: [String]) -> LoadError {
        LoadError("input.no-profiles", at: nil,
                  "no profile found in \(paths.joined(separator: ", "))",
                  hint: "profiles are YAML documents of kind ChatLaunchProfile in *.yaml or *.yml files")
    }

    // MARK: Text and YAML

    static func encoding(_ problem: SourceText.EncodingProblem, file: String) -> LoadError {
        LoadError("yaml.encoding", at: SourceLocation(file: file, line: problem.line, column: problem.column),
                  problem.message)
    }

    static func syntax(_ error: YAMLSyntaxError, file: String, lines: SourceLines) -> LoadError {
        let location = SourceLocation(file: file, line: error.mark.line, column: error.mark.column)
        var message = "invalid YAML: \(error.problem)"
        if let context = error.context { message += " (\(context))" }
        let hint: String?
        if lines.character(line: error.mark.line, column: error.mark.column) == "\t"
            || lines.hasTabIndentation(line: error.mark.line) {
            hint = "YAML does not allow tabs for indentation; indent with spaces"
        } else if error.problem.contains("mapping values are not allowed") {
            hint = "a value that contains \": \" must be quoted"
        } else if error.problem.contains("control characters are not allowed") {
            hint = "remove the control character (or NUL byte) from the file"
        } else {
            hint = nil
        }
        return LoadError("yaml.syntax", at: location, message, hint: hint)
    }

    static func duplicateKey(_ key: String, at location: SourceLocation, first: SourceLocation?) -> LoadError {
        let earlier = first.map { " (first at line \($0.line), column \($0.column))" } ?? ""
        // Never a key that may hold a customer id in its own text (`customerId:4111…`).
        let shown = SensitiveValues.mayHoldValue(key: key) ? SensitiveValues.redactedKey : key
        return LoadError("yaml.duplicate-key", at: location,
                         "duplicate key \(JSONPointer.quoted(shown))\(earlier)",
                         hint: "a key may appear once in a mapping; remove or rename one of them")
    }

    static func unsupportedTag(_ tag: String, at location: SourceLocation) -> LoadError {
        LoadError("yaml.tag", at: location, "the tag \(displayTag(tag)) is not supported",
                  hint: "only !!str is allowed; remove the tag")
    }

    static func mergeKey(at location: SourceLocation) -> LoadError {
        LoadError("yaml.merge-key", at: location, "merge keys (<<) are not supported",
                  hint: "put shared settings in the project file's spec.defaults (chatctl.yaml)")
    }

    static func nonStringKey(_ text: String, at location: SourceLocation) -> LoadError {
        LoadError("yaml.non-string-key", at: location, "the key \(text.isEmpty ? "(empty)" : text) is not a string",
                  hint: "keys must be strings; quote it: \(JSONPointer.quoted(text))")
    }

    static func complexKey(at location: SourceLocation) -> LoadError {
        LoadError("yaml.non-string-key", at: location, "a key must be a string, not a list or mapping")
    }

    static func unknownAnchor(_ anchor: String, at location: SourceLocation) -> LoadError {
        LoadError("yaml.alias", at: location, "the alias *\(anchor) names no anchor defined before it")
    }

    static func aliasLimit(_ limit: Int, at location: SourceLocation) -> LoadError {
        LoadError("yaml.alias-limit", at: location,
                  "aliases in this document expand to more than \(limit) nodes",
                  hint: "this looks like an alias bomb; write the values out or use the project defaults")
    }

    static func depthLimit(_ limit: Int, at location: SourceLocation) -> LoadError {
        LoadError("yaml.depth-limit", at: location, "nesting is deeper than \(limit) levels")
    }

    static func tooManyKeys(_ limit: Int, at location: SourceLocation) -> LoadError {
        LoadError("yaml.too-many-keys", at: location, "a mapping has more than \(limit) keys")
    }

    static func outOfMemory(file: String) -> LoadError {
        LoadError("yaml.syntax", at: SourceLocation(file: file, line: 1, column: 1),
                  "the YAML parser could not allocate memory")
    }

    // MARK: Documents

    static func notMapping(at location: SourceLocation) -> LoadError {
        LoadError("document.not-mapping", at: location,
                  "a document must be a mapping with apiVersion, kind, metadata and spec")
    }

    static func missingKind(at location: SourceLocation) -> LoadError {
        var error = LoadError("document.kind", at: location, "the document has no kind",
                              hint: "add `kind: ChatLaunchProfile` (or `kind: Project` in chatctl.yaml)")
        error.diagnostic.path = "kind"
        return error
    }

    /// - Parameter expected: what this file may hold (`Project` in chatctl.yaml).
    static func unknownKind(_ kind: String, at location: SourceLocation, expected: String, suggestion: String?) -> LoadError {
        var error = LoadError("document.kind", at: location,
                              "unknown kind \(JSONPointer.quoted(kind)); expected \(expected)",
                              hint: suggestion.map { "did you mean \($0)?" })
        error.diagnostic.path = "kind"
        return error
    }

    static func misplacedProject(at location: SourceLocation) -> LoadError {
        LoadError("document.project-misplaced", at: location,
                  "a document of kind Project belongs in chatctl.yaml, not among the profiles",
                  hint: "move it to chatctl.yaml at the root of the profile repository")
    }

    static func secondProject(at location: SourceLocation, first: String) -> LoadError {
        LoadError("document.project-misplaced", at: location,
                  "only one project file is used per run; \(first) is already the project file")
    }

    private static func displayTag(_ tag: String) -> String {
        let core = "tag:yaml.org,2002:"
        return tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : tag
    }
}
