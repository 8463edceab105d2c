import ChatctlJSON
import Foundation

/// Finds profile files, reads them as YAML and sorts their documents by kind
/// (docs/profiles.md, "Profile documents" and "Project file"): the loading stage of the pipeline.
///
/// `load` never throws: every problem becomes a diagnostic and the rest of the input
/// is still read, so one run reports everything.
public struct ProfileLoader: Sendable {
    /// The project file's name inside a folder.
    public static let projectFileName = "chatctl.yaml"

    public var limits: YAMLLimits
    /// The file system read; tests replace single answers of it.
    public var fileSystem: InputFileSystem

    public init(limits: YAMLLimits = YAMLLimits(), fileSystem: InputFileSystem = .local) {
        self.limits = limits
        self.fileSystem = fileSystem
    }

    /// Reads the files and folders named by `paths` (the current folder when empty).
    public func load(paths: [String]) -> LoadedInput {
        let discovery = discover(paths: paths)
        // Files are read and parsed on all cores; their documents are then kept in order.
        let loader = self
        let files = discovery.profileFiles.parallelMap { file in loader.loadFile(file, project: discovery.project) }
        var input = LoadedInput(
            project: discovery.project, profiles: [], files: discovery.files, diagnostics: discovery.diagnostics)
        for file in files {
            input.files.append(file.file)
            input.diagnostics += file.diagnostics
            input.profiles += file.profiles
        }
        input.diagnostics += Self.emptinessDiagnostics(paths: paths, files: files.map(\.summary))
        return input
    }

    /// The first half of loading, done once before any profile file is read: the
    /// project file (whose defaults every profile needs) and the profile files to read.
    public struct Discovery: Sendable {
        public var project: LoadedProject?
        /// Files read so far: the project file, when there is one.
        public var files: [String]
        /// The profile files to read, sorted, each once.
        public var profileFiles: [String]
        public var diagnostics: [Diagnostic]
    }

    /// Finds the project file and the profile files `paths` name (the current folder when empty).
    public func discover(paths: [String]) -> Discovery {
        var input = LoadedInput(project: nil, profiles: [], files: [], diagnostics: [])
        var profileFiles: [String] = []
        for path in paths.isEmpty ? ["."] : paths {
            profileFiles += discover(path, into: &input)
        }
        // A project file is never also a profile file, even when its kind is wrong.
        let files = Self.distinct(profileFiles, besides: input.files)
        return Discovery(project: input.project, files: input.files, profileFiles: files, diagnostics: input.diagnostics)
    }

    /// `files` sorted, each path once and none of `besides`. Paths are told apart by their
    /// bytes: a `String`'s `==` holds `café` written precomposed and decomposed equal, but
    /// they name two files, and each one's profiles must be read.
    static func distinct(_ files: [String], besides: [String]) -> [String] {
        var seen = Set(besides.map { Array($0.utf8) })
        return files.filter { seen.insert(Array($0.utf8)).inserted }.sorted(by: Self.pathOrder)
    }

    /// The order files are read in: by their text, and two canonically equivalent paths
    /// by their bytes, so the order never depends on the folder's own (a plan's order and
    /// inputs digest follow it).
    static func pathOrder(_ left: String, _ right: String) -> Bool {
        if left < right { return true }
        if right < left { return false }
        return left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// The project file and profile files a saved plan recorded, read as they are: no
    /// folder is walked and the project's `spec.profiles` is not expanded again.
    public func discover(projectFile: String?, profileFiles: [String]) -> Discovery {
        var input = LoadedInput(project: nil, profiles: [], files: [], diagnostics: [])
        if let projectFile {
            _ = readProject(file: projectFile, directory: (projectFile as NSString).deletingLastPathComponent, into: &input)
        }
        let files = Self.distinct(profileFiles, besides: input.files)
        return Discovery(project: input.project, files: input.files, profileFiles: files, diagnostics: input.diagnostics)
    }

    /// One profile file read: its profile documents, with the project's defaults merged.
    public struct LoadedFile: Sendable {
        public var file: String
        public var profiles: [LoadedProfile]
        public var diagnostics: [Diagnostic]
        /// What the checks across files need once the documents are gone.
        public var summary: Summary

        public struct Summary: Sendable {
            public var profileCount: Int
            /// The file had an error of its own (unreadable, bad YAML, …).
            public var failed: Bool
            public var file: String
        }
    }

    /// Reads one profile file; independent of every other file, so files can be read in parallel.
    public func loadFile(_ file: String, project: LoadedProject?) -> LoadedFile {
        var diagnostics: [Diagnostic] = []
        let bytes = readBytes(file, into: &diagnostics)
        return loadFile(file, bytes: bytes, readDiagnostics: diagnostics, project: project)
    }

    /// ``loadFile(_:project:)`` of bytes read already by ``readBytes(_:into:)`` (`nil`, with
    /// `readDiagnostics`, when they could not be read).
    func loadFile(_ file: String, bytes: [UInt8]?, readDiagnostics: [Diagnostic], project: LoadedProject?) -> LoadedFile {
        var local = LoadedInput(project: project, profiles: [], files: [], diagnostics: readDiagnostics)
        let documents = bytes.map { self.documents(in: $0, file: file, diagnostics: &local.diagnostics) } ?? []
        let count = sortByKind(documents, file: file, into: &local)
        // A file whose documents all have a wrong kind has said what is wrong with it:
        // no "holds no profile" warning, no "no profile found" error on top.
        let failed = local.diagnostics.contains { $0.severity == .error }
        return LoadedFile(
            file: file, profiles: local.profiles, diagnostics: local.diagnostics,
            summary: .init(profileCount: count, failed: failed, file: file))
    }

    /// "No profiles found" for the whole run, or for each readable file without a profile.
    public static func emptinessDiagnostics(paths: [String], files: [LoadedFile.Summary]) -> [Diagnostic] {
        if files.allSatisfy({ $0.profileCount == 0 }) {
            guard files.allSatisfy({ !$0.failed }) else { return [] }
            return [LoadError.noProfiles(searched: paths.isEmpty ? ["."] : paths).diagnostic]
        }
        return files.filter { $0.profileCount == 0 && !$0.failed }.map { LoadError.noProfilesInFile($0.file).diagnostic }
    }

    // MARK: Finding files

    /// The profile files `path` stands for; a project file found on the way is loaded.
    private func discover(_ path: String, into input: inout LoadedInput) -> [String] {
        switch fileSystem.targetKind(path) {
        case .missing:
            input.diagnostics.append(LoadError.notFound(path).diagnostic)
            return []
        case .directory:
            let projectFile = Self.join(path, Self.projectFileName)
            if fileSystem.targetKind(projectFile) != .missing {
                return discoverProject(file: projectFile, directory: path, into: &input)
            }
            return yamlFiles(under: path, into: &input.diagnostics)
        case .regular, .special, .symlink:
            // A FIFO or device named on the command line is refused when it is read.
            guard (path as NSString).lastPathComponent == Self.projectFileName else { return [path] }
            return discoverProject(file: path, directory: (path as NSString).deletingLastPathComponent, into: &input)
        }
    }

    /// Loads the project file and returns the profile files its `spec.profiles` names
    /// (every YAML file of its folder when it names none).
    private func discoverProject(file: String, directory: String, into input: inout LoadedInput) -> [String] {
        let dir = readProject(file: file, directory: directory, into: &input)
        guard let listed = input.project?.document.root["spec"]?["profiles"], case .sequence(let items) = listed.content
        else { return yamlFiles(under: dir, into: &input.diagnostics) }
        var files: [String] = []
        for item in items {
            // Entries that are not strings are reported by the project schema.
            guard let relative = item.scalar?.text, !relative.isEmpty else { continue }
            let path = Self.join(dir, relative)
            switch fileSystem.targetKind(path) {
            case .missing:
                input.diagnostics.append(Diagnostic(
                    location: item.location, code: "file.not-found", path: "spec.profiles",
                    message: "\(path): no such file or folder"))
            case .directory:
                files += yamlFiles(under: path, into: &input.diagnostics)
            case .regular, .special, .symlink:
                files.append(path)
            }
        }
        return files
    }

    /// Reads the project file into `input.project`; returns the folder its relative
    /// paths start from.
    ///
    /// A document with a misspelt kind in chatctl.yaml is reported once and still used
    /// as the project, so its defaults reach the profiles and one typo does not cascade
    /// into an error per profile.
    private func readProject(file: String, directory: String, into input: inout LoadedInput) -> String {
        let documents = read(file, into: &input)
        input.files.append(file)
        for document in documents {
            guard let kind = kindOf(document, file: file, into: &input) else { continue }
            if kind != "Project" {
                let suggestion = Suggestions.closest(to: kind, among: ["Project"])
                input.diagnostics.append(LoadError.unknownKind(
                    kind, at: document.root["kind"]?.location ?? document.location, expected: "Project",
                    suggestion: suggestion).diagnostic)
                guard suggestion != nil, input.project == nil else { continue }
            }
            if let first = input.project {
                input.diagnostics.append(LoadError.secondProject(at: document.location, first: first.file).diagnostic)
            } else {
                input.project = LoadedProject(file: file, document: document, directory: directory)
            }
        }
        return directory.isEmpty ? "." : directory
    }

    /// Every `*.yaml` / `*.yml` file below `directory`, sorted, skipping dot folders.
    ///
    /// Only regular files are taken. Symlinked folders are not followed when they lead
    /// back to a folder being walked (a loop), are followed nowhere when they lead
    /// elsewhere inside `directory` (those files are read where they are), and are
    /// reported when they lead outside it. Whatever cannot be read is reported with its
    /// path, never skipped in silence.
    private func yamlFiles(under directory: String, into diagnostics: inout [Diagnostic]) -> [String] {
        let root = fileSystem.realPath(directory)
        var files: [String] = []
        var folders = [directory]
        // Iterative walk: a deep tree must not exhaust the stack.
        while let folder = folders.popLast() {
            let names: [String]
            do {
                names = try fileSystem.contentsOfDirectory(folder)
            } catch {
                diagnostics.append(LoadError.unreadable(folder, reason: Self.reason(error)).diagnostic)
                continue
            }
            for name in names where !name.hasPrefix(".") {
                let path = Self.join(folder, name)
                let isYAML = name.hasSuffix(".yaml") || name.hasSuffix(".yml")
                switch fileSystem.kind(path) {
                case .directory:
                    folders.append(path)
                case .regular:
                    if isYAML { files.append(path) }
                case .special:
                    if isYAML { diagnostics.append(LoadError.notRegular(path).diagnostic) }
                case .missing:
                    // Listed but not there under the name Foundation decoded: a name that is not UTF-8.
                    if let shown = InputFileSystem.undecodableName(path) {
                        diagnostics.append(LoadError.undecodableName(shown).diagnostic)
                    }
                case .symlink:
                    switch fileSystem.targetKind(path) {
                    case .missing:
                        if isYAML { diagnostics.append(LoadError.danglingLink(path).diagnostic) }
                    case .regular:
                        if isYAML { files.append(path) }
                    case .special, .symlink:
                        if isYAML { diagnostics.append(LoadError.notRegular(path).diagnostic) }
                    case .directory:
                        let target = fileSystem.realPath(path)
                        if Self.isInside(fileSystem.realPath(folder), target) {
                            diagnostics.append(LoadError.symlinkLoop(path, target: target).diagnostic)
                        } else if !Self.isInside(target, root) {
                            diagnostics.append(LoadError.symlinkOutside(path, target: target, root: directory).diagnostic)
                        }
                    }
                }
            }
        }
        return files.sorted(by: Self.pathOrder)
    }

    /// True when `path` is `folder` or inside it (both absolute, resolved).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// A short reason for a failed read.
    static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError {
            switch error.code {
            case .fileReadNoPermission: return "permission denied"
            case .fileReadNoSuchFile: return "no such file or folder"
            default: break
            }
        }
        return error.localizedDescription
    }

    /// `directory/name`, without a leading `./`.
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty || directory == "." { return name }
        if name.hasPrefix("/") { return name }
        var relative = Substring(name)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        if relative.isEmpty || relative == "." { return directory }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    // MARK: Reading

    /// The non-empty documents of `file`; problems go to `input.diagnostics`.
    func read(_ file: String, into input: inout LoadedInput) -> [YAMLDocument] {
        guard let bytes = readBytes(file, into: &input.diagnostics) else { return [] }
        return documents(in: bytes, file: file, diagnostics: &input.diagnostics)
    }

    /// The bytes of `file`, or `nil` with the reason in `diagnostics`.
    func readBytes(_ file: String, into diagnostics: inout [Diagnostic]) -> [UInt8]? {
        // The type first: opening a FIFO would block until someone writes to it.
        switch fileSystem.targetKind(file) {
        case .regular:
            break
        case .missing:
            let error = fileSystem.kind(file) == .symlink ? LoadError.danglingLink(file) : LoadError.notFound(file)
            diagnostics.append(error.diagnostic)
            return nil
        case .directory:
            diagnostics.append(LoadError.unreadable(file, reason: "it is a folder").diagnostic)
            return nil
        case .special, .symlink:
            diagnostics.append(LoadError.notRegular(file).diagnostic)
            return nil
        }
        switch InputFileSystem.contents(of: file, limit: limits.maxFileBytes) {
        case .bytes(let bytes):
            return bytes
        case .unopenable:
            diagnostics.append(LoadError.unreadable(file, reason: "permission denied").diagnostic)
        case .failed(let reason):
            diagnostics.append(LoadError.unreadable(file, reason: reason).diagnostic)
        case .tooLarge(let size):
            diagnostics.append(LoadError.tooLarge(file, bytes: size, limit: limits.maxFileBytes).diagnostic)
        }
        return nil
    }

    /// Parses `bytes` as a YAML stream.
    public func documents(in bytes: [UInt8], file: String, diagnostics: inout [Diagnostic]) -> [YAMLDocument] {
        switch SourceText.utf8(from: bytes) {
        case .failure(let problem):
            diagnostics.append(LoadError.encoding(problem, file: file).diagnostic)
            return []
        case .success(let utf8):
            var composer = YAMLComposer(file: file, utf8: utf8, limits: limits)
            let documents = composer.compose(utf8: utf8)
            diagnostics += composer.diagnostics
            return documents
        }
    }

    /// The profile documents of a file read by ``readBytes(_:into:)`` as JSON values with
    /// the project's defaults merged, composed in one pass from libyaml's events
    /// (``YAMLJSONComposer``); `nil` when the file has anything to report or anything the
    /// one pass does not model: then ``loadFile(_:bytes:readDiagnostics:project:)`` says what.
    /// - Parameter defaults: the project's `spec.defaults` as JSON, when it is a mapping.
    /// - Parameter findingFieldsFromDefaults: whether to set each document's `fromDefaults`
    ///   (for the profiles a plan builds; `validate` needs only the merged value).
    func cleanProfiles(
        in bytes: [UInt8], file: String, defaults: JSONValue?, findingFieldsFromDefaults: Bool = true
    ) -> [YAMLJSONComposer.Document]? {
        guard case .success(let utf8) = SourceText.utf8(from: bytes),
              var documents = YAMLJSONComposer(file: file, limits: limits).compose(utf8: utf8)
        else { return nil }
        // The fields from the defaults by the shape of the profile's own spec: a file's
        // profiles nearly always set the same fields, and the set costs six times the shape.
        var fieldsByShape: [UInt64: Set<[String]>] = [:]
        let defaultMembers = defaults?.objectValue ?? [:]
        for index in documents.indices {
            // The value is moved out of the array first, so that the dictionaries below
            // are changed in place, not copied.
            var value = JSONValue.null
            swap(&value, &documents[index].value)
            // Only profile documents pass; any other kind (or none) has something to report.
            guard case .object(var members) = value, members["kind"] == .string("ChatLaunchProfile") else { return nil }
            value = .null
            if let defaults, let spec = members.index(forKey: "spec"), case .object = members.values[spec] {
                // Which fields the defaults supply is read from the profile's own spec before
                // the merge, in a scope of its own: the merge below then changes the only
                // reference to that dictionary, in place.
                if findingFieldsFromDefaults, case .object(let own) = members.values[spec] {
                    let shape = ChatLaunchProfile.defaultsShape(ownSpec: own, defaults: defaultMembers)
                    if let shape, let known = fieldsByShape[shape] {
                        documents[index].fromDefaults = known
                    } else {
                        let fields = ChatLaunchProfile.fieldsFromDefaults(ownSpec: own, defaults: defaultMembers)
                        if let shape { fieldsByShape[shape] = fields }
                        documents[index].fromDefaults = fields
                    }
                }
                YAMLJSONComposer.merge(&members.values[spec], over: defaults)
            }
            documents[index].value = .object(members)
        }
        return documents
    }

    /// The project's `spec.defaults` as JSON, when it is a mapping (what ``merged(_:project:)`` merges).
    static func defaultsJSON(of project: LoadedProject?) -> JSONValue? {
        guard let defaults = project?.document.root["spec"]?["defaults"], defaults.entries != nil else { return nil }
        return defaults.jsonValue
    }

    // MARK: Kinds

    /// Keeps the profile documents of a profile file; returns how many it had.
    private func sortByKind(_ documents: [YAMLDocument], file: String, into input: inout LoadedInput) -> Int {
        var count = 0
        for document in documents {
            guard let kind = kindOf(document, file: file, into: &input) else { continue }
            switch kind {
            case "ChatLaunchProfile":
                input.profiles.append(LoadedProfile(
                    file: file, document: document, merged: merged(document.root, project: input.project)))
                count += 1
            case "Project":
                input.diagnostics.append(LoadError.misplacedProject(at: document.root["kind"]?.location ?? document.location).diagnostic)
            default:
                let suggestion = Suggestions.closest(to: kind, among: ["ChatLaunchProfile", "Project"])
                input.diagnostics.append(LoadError.unknownKind(
                    kind, at: document.root["kind"]?.location ?? document.location, expected: "ChatLaunchProfile or Project",
                    suggestion: suggestion).diagnostic)
            }
        }
        return count
    }

    /// The document's kind, or `nil` (with a diagnostic) when it has none.
    private func kindOf(_ document: YAMLDocument, file: String, into input: inout LoadedInput) -> String? {
        guard document.root.entries != nil else {
            input.diagnostics.append(LoadError.notMapping(at: document.root.location).diagnostic)
            return nil
        }
        guard let kind = document.root["kind"], let text = kind.scalar?.text, !kind.isEmptyValue else {
            input.diagnostics.append(LoadError.missingKind(at: document.root.location).diagnostic)
            return nil
        }
        return text
    }

    /// The profile with the project's `spec.defaults` merged under its `spec`.
    private func merged(_ root: YAMLNode, project: LoadedProject?) -> YAMLNode {
        guard let defaults = project?.document.root["spec"]?["defaults"], defaults.entries != nil,
              case .mapping(var entries) = root.content,
              let specIndex = entries.firstIndex(where: { $0.key == "spec" }),
              entries[specIndex].value.entries != nil
        else { return root }
        entries[specIndex].value = Self.merge(entries[specIndex].value, over: defaults)
        return YAMLNode(.mapping(entries), at: root.location)
    }

    /// `node` merged over `base`: mappings deeply, any other value replaces the base.
    static func merge(_ node: YAMLNode, over base: YAMLNode) -> YAMLNode {
        guard case .mapping(let own) = node.content, case .mapping(let inherited) = base.content else { return node }
        var result = own
        var index: [String: Int] = [:]
        for (offset, entry) in own.enumerated() { index[entry.key] = offset }
        for entry in inherited {
            if let offset = index[entry.key] {
                result[offset].value = merge(result[offset].value, over: entry.value)
            } else {
                result.append(entry)
            }
        }
        return YAMLNode(.mapping(result), at: node.location)
    }
}
