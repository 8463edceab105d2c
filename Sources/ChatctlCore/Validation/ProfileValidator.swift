import ChatctlJSON
/// The validation stage: checks every loaded document against the embedded JSON
/// Schemas, then the rules a schema cannot express, and returns the valid profiles with
/// every problem found (docs/profiles.md, docs/validation.md).
public struct ProfileValidator: Sendable {
    private let profileSchema: SchemaValidator
    private let projectSchema: SchemaValidator
    /// Whether a file is first checked in the one pass from libyaml's events to JSON
    /// (``ProfileLoader/cleanProfiles(in:file:defaults:findingFieldsFromDefaults:)``); tests turn it off to compare
    /// with the tree path, which every file then takes.
    var takesOnePass = true

    /// The URIs the embedded schemas are known by, so the project schema's relative
    /// `$ref` to the profile schema resolves as it does in an editor.
    static let profileSchemaURI = "file:///chatctl/schemas/chat-launch-profile.schema.json"
    static let projectSchemaURI = "file:///chatctl/schemas/project.schema.json"

    /// Compiles the embedded schemas.
    /// - Throws: ``EmbeddedSchemaError`` if an embedded schema does not parse or compile,
    ///   which the test suite rules out for every build.
    public init() throws(EmbeddedSchemaError) {
        let profile = try Self.parse(EmbeddedSchemas.profile, name: "profile")
        let project = try Self.parse(EmbeddedSchemas.project, name: "project")
        do {
            profileSchema = try SchemaValidator(schema: profile, baseURI: Self.profileSchemaURI)
            projectSchema = try SchemaValidator(
                schema: project, baseURI: Self.projectSchemaURI, resources: [Self.profileSchemaURI: profile])
        } catch {
            throw EmbeddedSchemaError(schema: "profile/project", reason: "\(error)")
        }
    }

    private static func parse(_ text: String, name: String) throws(EmbeddedSchemaError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw EmbeddedSchemaError(schema: name, reason: "\(error)")
        }
    }

    /// Validates everything `input` holds.
    public func validate(_ input: LoadedInput) -> ValidationResult {
        let schema = profileSchema
        let shared = SharedProfileValues()
        // Each profile is checked on its own, on all cores; the rules across profiles follow.
        let checked = Array(input.profiles.enumerated()).parallelMap { index, loaded in
            Self.check(loaded, schema: schema, shared: shared.shard(index))
        }
        var collected = Collected()
        for check in checked { collected.add(check) }
        return combine(
            project: input.project, files: input.files, diagnostics: input.diagnostics, collected: collected,
            profileCount: input.profiles.count)
    }

    /// Loads and validates the files and folders `paths` name, as `validate(loader.load(paths:))`
    /// would, but each file is read and checked by one worker so its YAML tree is freed as
    /// soon as it has been checked: memory stays proportional to the results, not the input.
    ///
    /// - Parameter retainingProfiles: when false, ``ValidationResult/profiles`` stays empty
    ///   (counts and diagnostics are complete): what `chatctl validate` needs, at a fraction
    ///   of the memory.
    public func validate(paths: [String], loader: ProfileLoader = ProfileLoader(), retainingProfiles: Bool = true)
        -> ValidationResult
    {
        validate(loader.discover(paths: paths), searched: paths, loader: loader, retainingProfiles: retainingProfiles)
    }

    /// Files checked per round of ``validate(_:searched:loader:retainingProfiles:)``: enough
    /// to keep every core busy, few enough that the rounds' results, folded into compact
    /// records after each round, never add up to the input.
    static let filesPerRound = 1024

    /// What validation keeps of each valid profile.
    public enum Retention: Sendable {
        /// Nothing: counts and diagnostics only (`chatctl validate`).
        case nothing
        /// The full profiles, in ``ValidationResult/profiles``.
        case profiles
        /// Each profile's ``ProfileSummary``, its digest with the project's region (its
        /// `spec.region`), in ``ValidationResult/summaries``, made by the worker that
        /// validated it; the full profiles are loaded again through
        /// ``ValidationResult/reloader`` for the calls that need them (`plan`'s text output).
        /// A profile for which `keepingWhole` says true (one whose call will need it, as far
        /// as the worker can tell) is kept whole as well, and the reloader gives it without
        /// reading its file again: a plan whose profiles mostly change reads each file once.
        case summaries(keepingWhole: @Sendable (ProfileSummary) -> Bool)

        /// Summaries only: every profile a plan needs is loaded again.
        public static var summaries: Retention { .summaries(keepingWhole: { _ in false }) }
    }

    /// Validates the files `discovery` found (or a saved plan recorded), as
    /// ``validate(paths:loader:retainingProfiles:)`` does.
    /// - Parameter searched: the paths named, for the message when no profile is found.
    public func validate(
        _ discovery: ProfileLoader.Discovery, searched: [String], loader: ProfileLoader = ProfileLoader(),
        retainingProfiles: Bool = true
    ) -> ValidationResult {
        validate(discovery, searched: searched, loader: loader, keeping: retainingProfiles ? .profiles : .nothing)
    }

    /// Validates the files `discovery` found, keeping of each valid profile what `keeping` says.
    public func validate(
        _ discovery: ProfileLoader.Discovery, searched: [String], loader: ProfileLoader = ProfileLoader(),
        keeping retention: Retention
    ) -> ValidationResult {
        let schema = profileSchema
        let project = discovery.project
        // The project's defaults as JSON once for the run, not once per file.
        let defaults = ProfileLoader.defaultsJSON(of: project)
        let onePass = takesOnePass
        let (retainingProfiles, keepingWhole): (Bool, (@Sendable (ProfileSummary) -> Bool)?) = switch retention {
        case .nothing: (false, nil)
        case .profiles: (true, nil)
        case .summaries(let keepingWhole): (true, keepingWhole)
        }
        let summarising = keepingWhole != nil
        // The few profiles a summarising plan keeps whole are not worth sharing for.
        let shared = SharedProfileValues(summarising ? .labels : .all)
        let projectRegion = project?.region
        var collected = Collected()
        var summaries: [ProfileLoader.LoadedFile.Summary] = []
        summaries.reserveCapacity(discovery.profileFiles.count)
        var loadDiagnostics = discovery.diagnostics
        var profileCount = 0
        // Files are checked on all cores a round at a time; each round's results are folded
        // into `collected` before the next starts, so the per-file results of a million
        // profiles are never all alive at once.
        var start = 0
        while start < discovery.profileFiles.count {
            let round = Array(discovery.profileFiles[start..<min(start + Self.filesPerRound, discovery.profileFiles.count)])
            start += round.count
            let perFile = Array(round.enumerated()).parallelMap { index, path in
                var file = Self.checkFile(
                    path, project: project, defaults: defaults, loader: loader, schema: schema, building: retainingProfiles,
                    onePass: onePass, summarising: keepingWhole.map { Summarising(projectRegion: projectRegion, keepingWhole: $0) },
                    shared: shared.shard(index))
                // Summarised here, on the worker's core, and the profile dropped at once:
                // the round's profiles are never all alive together. The one pass made its
                // profiles' summaries already (without a whole profile but for those kept).
                if let keepingWhole {
                    var previous: ProfileSummary?
                    for index in file.checks.indices {
                        if let summary = file.checks[index].summary {
                            previous = summary
                            continue
                        }
                        guard let profile = file.checks[index].profile else { continue }
                        let summary = ProfileSummary(profile, projectRegion: projectRegion, after: previous)
                        previous = summary
                        file.checks[index].summary = summary
                        if !keepingWhole(summary) { file.checks[index].profile = nil }
                    }
                }
                return file
            }
            for file in perFile {
                loadDiagnostics += file.diagnostics
                summaries.append(file.summary)
                profileCount += file.summary.profileCount
                for check in file.checks { collected.add(check) }
            }
            if start == round.count, start < discovery.profileFiles.count {
                // After the first round, the records' final size is foreseeable.
                let scale = Double(discovery.profileFiles.count) / Double(start) * 1.05
                let counts = collected.rules.counts
                collected.rules.reserveCapacity(
                    profiles: Int(Double(counts.profiles) * scale), references: Int(Double(counts.references) * scale))
                // Summaries are kept for the plan: a doubling array would hold a third more
                // than they need, and half again while it grows.
                if summarising { collected.summaries.reserveCapacity(Int(Double(collected.summaries.count) * scale)) }
            }
        }
        loadDiagnostics += ProfileLoader.emptinessDiagnostics(paths: searched, files: summaries)
        // Freed before the rules across profiles build their graph: at 1,000,000 profiles
        // (100,001 files) the summaries are 3 MB of the peak the 150 MB goal bounds.
        summaries = []
        var result = combine(
            project: project, files: discovery.files + discovery.profileFiles, diagnostics: loadDiagnostics,
            collected: collected, profileCount: profileCount)
        if summarising {
            result.summaries = collected.summaries
            result.summaryProjectRegion = projectRegion
            result.reloader = ProfileReloader(
                kept: collected.keptWhole, project: project, defaults: defaults, loader: loader, schema: schema,
                onePass: onePass)
        }
        return result
    }

    /// Loads profiles again from their files, as the validation that summarised them did:
    /// the calls of a plan made from summaries that send or show a request take their full
    /// profile from here.
    public struct ProfileReloader: Sendable {
        /// The profiles validation kept whole, by name: given as they are.
        let kept: [String: ChatLaunchProfile]
        let project: LoadedProject?
        let defaults: JSONValue?
        let loader: ProfileLoader
        let schema: SchemaValidator
        let onePass: Bool

        /// The valid profiles named by `summaries`, by name: those kept whole, and the others
        /// with each of their files read and checked again once, on all cores. A profile that
        /// is gone or no longer valid is absent; the planner compares each one's summary
        /// with the one it decided on.
        public func profiles(_ summaries: [ProfileSummary]) -> [String: ChatLaunchProfile] {
            var found: [String: ChatLaunchProfile] = [:]
            found.reserveCapacity(summaries.count)
            // Files by their path's bytes (two paths canonically equivalent as `String`s
            // are two files, ``ProfileLoader/distinct(_:besides:)``).
            var names: [[UInt8]: (path: String, names: Set<String>)] = [:]
            for summary in summaries {
                if let profile = kept[summary.name] {
                    found[summary.name] = profile
                } else {
                    let path = summary.location.file
                    names[Array(path.utf8), default: (path, [])].names.insert(summary.name)
                }
            }
            guard !names.isEmpty else { return found }
            let files = names.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            let (project, defaults, loader, schema, onePass) = (project, defaults, loader, schema, onePass)
            let shared = SharedProfileValues()
            let perFile = Array(files.enumerated()).parallelMap { index, file in
                let (path, wanted) = file
                return ProfileValidator.checkFile(
                    path, project: project, defaults: defaults, loader: loader, schema: schema, building: true,
                    onePass: onePass, summarising: nil, shared: shared.shard(index)
                ).checks.compactMap { check in check.profile.flatMap { wanted.contains($0.name) ? $0 : nil } }
            }
            for loaded in perFile {
                // A name twice in the files is a validation error, which the first pass
                // reported; the first one found stands (and its summary is compared).
                for profile in loaded where found[profile.name] == nil { found[profile.name] = profile }
            }
            return found
        }
    }

    /// What checking one file found: its load problems, its summary and each profile's check.
    private struct FileCheck: Sendable {
        var summary: ProfileLoader.LoadedFile.Summary
        var diagnostics: [Diagnostic]
        var checks: [ProfileCheck]
    }

    /// Reads and checks one profile file; independent of every other file.
    /// - Parameter defaults: the project's defaults as JSON (``ProfileLoader/defaultsJSON(of:)``).
    /// - Parameter shared: the values repeated across the load's profiles, kept once.
    /// - Parameter summarising: how to summarise the profiles the one pass builds (`nil`:
    ///   build them whole); the tree path builds them whole either way.
    private static func checkFile(
        _ path: String, project: LoadedProject?, defaults: JSONValue?, loader: ProfileLoader, schema: SchemaValidator,
        building: Bool, onePass: Bool, summarising: Summarising?, shared: SharedProfileValues
    ) -> FileCheck {
        var readDiagnostics: [Diagnostic] = []
        let bytes = loader.readBytes(path, into: &readDiagnostics)
        // A file is first checked in one pass from libyaml's events to JSON (and its
        // profiles built from that JSON); only a file with something to report (or anything
        // that pass does not model) is loaded again as a YAML tree, and everything it
        // reports, at whatever position, comes from that path alone.
        if onePass, let bytes,
           let documents = loader.cleanProfiles(in: bytes, file: path, defaults: defaults, findingFieldsFromDefaults: building)
        {
            var checks: [ProfileCheck] = []
            checks.reserveCapacity(documents.count)
            var previous: ProfileSummary?
            for document in documents {
                guard let check = cleanCheck(
                    document, file: path, schema: schema, building: building, summarising: summarising, after: previous,
                    shared: shared)
                else { break }
                previous = check.summary
                checks.append(check)
            }
            if checks.count == documents.count {
                return FileCheck(
                    summary: .init(profileCount: documents.count, failed: false, file: path), diagnostics: [],
                    checks: checks)
            }
        }
        let file = loader.loadFile(path, bytes: bytes, readDiagnostics: readDiagnostics, project: project)
        return FileCheck(
            summary: file.summary, diagnostics: file.diagnostics,
            checks: file.profiles.map { check($0, schema: schema, building: building, shared: shared) })
    }

    /// The check of a profile composed in one pass, when it has nothing to report: no
    /// schema violation, no rule broken, and a position for its name and each reference.
    /// `nil` otherwise: the file then goes through ``check(_:schema:building:)``.
    /// - Parameter building: whether to build the ``ChatLaunchProfile`` (as the tree path
    ///   builds it: a clean profile has no error, so it is always valid).
    /// - Parameter summarising: when set, the profile's summary is made from its parts (the
    ///   summary of the one before it in the file, `previous`, sharing its origin) and the
    ///   profile is built whole only when `keepingWhole` says so.
    private static func cleanCheck(
        _ document: YAMLJSONComposer.Document, file: String, schema: SchemaValidator, building: Bool,
        summarising: Summarising?, after previous: ProfileSummary?, shared: SharedProfileValues
    ) -> ProfileCheck? {
        let json = withDefaults(document.value)
        guard schema.validate(json).isEmpty else { return nil }
        let spec = json["spec"] ?? .null
        // The rules only need a node to place what they report, and any report sends the
        // file to the tree path: a bare node at the document's start answers here.
        let placeholder = YAMLNode(.mapping([]), at: document.location)
        let rules = ProfileRules(document: placeholder, spec: spec, violations: []).checked()
        guard rules.diagnostics.isEmpty,
              let name = json["metadata"]?["name"]?.stringValue,
              let nameLocation = document.positions[JSONPointer([.key("metadata"), .key("name")])],
              let references = references(in: spec, locate: { document.positions[$0] })
        else { return nil }
        guard building else {
            return ProfileCheck(
                name: name, nameLocation: nameLocation, references: references, profile: nil, summary: nil, diagnostics: [])
        }
        let parts = ProfileParts(
            name: name, json: json, spec: spec, references: references, file: file, location: document.location,
            arns: rules.arns, shared: shared)
        var summary: ProfileSummary?
        var valid: ChatLaunchProfile?
        if let summarising {
            let made = parts.summary(projectRegion: summarising.projectRegion, after: previous)
            summary = made
            if summarising.keepingWhole(made) { valid = parts.profile(spec: spec, fromDefaults: document.fromDefaults, shared: shared) }
        } else {
            valid = parts.profile(spec: spec, fromDefaults: document.fromDefaults, shared: shared)
        }
        return ProfileCheck(
            name: name, nameLocation: nameLocation, references: references, profile: valid, summary: summary, diagnostics: [])
    }

    /// How the one pass summarises the profiles it builds (``Retention/summaries(keepingWhole:)``).
    struct Summarising {
        let projectRegion: String?
        let keepingWhole: @Sendable (ProfileSummary) -> Bool
    }

    /// The results of single profiles, folded as they arrive: the compact records of
    /// the rules across profiles, the valid profiles and the diagnostics.
    private struct Collected {
        var rules = ReferenceRules()
        var profiles: [ChatLaunchProfile] = []
        var summaries: [ProfileSummary] = []
        /// With summaries: the profiles kept whole as well, by name (the first of a name).
        var keptWhole: [String: ChatLaunchProfile] = [:]
        var diagnostics: [Diagnostic] = []

        mutating func add(_ check: ProfileCheck) {
            rules.append(name: check.name, nameLocation: check.nameLocation, references: check.references)
            if let summary = check.summary {
                summaries.append(summary)
                if let profile = check.profile, keptWhole[profile.name] == nil { keptWhole[profile.name] = profile }
            } else if let profile = check.profile {
                profiles.append(profile)
            }
            diagnostics += check.diagnostics
        }
    }

    /// The checks of single profiles, the project file's schema and the rules across profiles.
    private func combine(
        project: LoadedProject?, files: [String], diagnostics loadDiagnostics: [Diagnostic],
        collected: Collected, profileCount: Int
    ) -> ValidationResult {
        var diagnostics = loadDiagnostics
        if let project {
            let root = project.document.root
            // The loader has reported a wrong kind already (and still took the document as the project).
            diagnostics += projectSchema.validate(root.jsonValue)
                .filter { $0.instancePath != JSONPointer([.key("kind")]) }
                .diagnostics(in: root)
        }
        diagnostics += Self.renamingDefaults(collected.diagnostics, projectFile: project?.file)
        diagnostics += collected.rules.check()
        return ValidationResult(
            profiles: collected.profiles, project: project, files: files,
            diagnostics: Self.attributingDefaults(diagnostics, projectFile: project?.file),
            profileCount: profileCount)
    }

    /// What checking one profile found.
    private struct ProfileCheck: Sendable {
        var name: String?
        var nameLocation: SourceLocation?
        var references: [ChatLaunchProfile.Reference]
        var profile: ChatLaunchProfile?
        /// The profile's summary, in its place, when validation keeps summaries.
        var summary: ProfileSummary?
        var diagnostics: [Diagnostic]
    }

    /// The schema, then the rules within the profile.
    /// - Parameter building: whether to build the ``ChatLaunchProfile`` of a valid profile.
    /// - Parameter shared: the values repeated across the load's profiles, kept once.
    private static func check(
        _ loaded: LoadedProfile, schema: SchemaValidator, building: Bool = true, shared: SharedProfileValues
    ) -> ProfileCheck {
        let json = withDefaults(loaded.merged.jsonValue)
        let violations = schema.validate(json).filter { !ProfileRules.supersedes($0, in: json) }
        let spec = json["spec"] ?? .null
        var own = violations.diagnostics(in: loaded.merged)
        let rules = ProfileRules(document: loaded.merged, spec: spec, violations: violations).checked()
        own += rules.diagnostics
        let references = references(in: spec, document: loaded.merged)
        let name = json["metadata"]?["name"]?.stringValue
        let nameLocation = loaded.merged.location(of: JSONPointer([.key("metadata"), .key("name")]))
        var valid: ChatLaunchProfile?
        if building, let name, !own.contains(where: { $0.severity == .error }) {
            valid = ProfileParts(
                name: name, json: json, spec: spec, references: references, file: loaded.file,
                location: loaded.document.location, arns: rules.arns, shared: shared
            ).profile(
                spec: spec, fromDefaults: ChatLaunchProfile.fieldsFromDefaults(loaded.merged, file: loaded.document.location.file),
                shared: shared)
        }
        return ProfileCheck(
            name: name, nameLocation: nameLocation, references: references, profile: valid, summary: nil, diagnostics: own)
    }

    /// A profile's problem that lies in the project file lies in a default merged into
    /// it: its path is written as in the project file (`spec.defaults.duration`). Only
    /// diagnostics of profiles are renamed; the project file's own (`spec.lokfile`) keep
    /// their path.
    private static func renamingDefaults(_ diagnostics: [Diagnostic], projectFile: String?) -> [Diagnostic] {
        guard let projectFile else { return diagnostics }
        return diagnostics.map { diagnostic in
            guard diagnostic.location?.file == projectFile, let path = diagnostic.path, path.hasPrefix("spec.")
            else { return diagnostic }
            var renamed = diagnostic
            renamed.path = "spec.defaults." + path.dropFirst("spec.".count)
            return renamed
        }
    }

    /// A bad project default is found once in the project file itself and again in
    /// every profile it is merged into. Keeps one report per place and code.
    private static func attributingDefaults(_ diagnostics: [Diagnostic], projectFile: String?) -> [Diagnostic] {
        guard let projectFile else { return Diagnostic.sortedAndUnique(diagnostics) }
        var seen = Set<String>()
        var kept: [Diagnostic] = []
        for diagnostic in diagnostics {
            if let location = diagnostic.location, location.file == projectFile {
                guard seen.insert("\(location)|\(diagnostic.code)|\(diagnostic.path ?? "")").inserted else { continue }
            }
            kept.append(diagnostic)
        }
        return Diagnostic.sortedAndUnique(kept)
    }

    /// The document with the built-in defaults filled in where neither the profile nor
    /// the project set them: `contentTypes: [text/plain]` (docs/profiles.md, "defaults and how they merge"), so the rules that
    /// read the list (the connect:Guide rule, the initial message's type) see what
    /// Amazon Connect will be sent.
    static func withDefaults(_ document: JSONValue) -> JSONValue {
        guard case .object(var members) = document, case .object(var spec)? = members["spec"],
              spec["contentTypes"] == nil else { return document }
        spec["contentTypes"] = .array([.string("text/plain")])
        members["spec"] = .object(spec)
        return .object(members)
    }

    /// The references a spec makes, read leniently (the schema reports wrong shapes).
    static func references(in spec: JSONValue, document: YAMLNode) -> [ChatLaunchProfile.Reference] {
        references(in: spec, locate: { document.location(of: $0) }) ?? []
    }

    /// The references a spec makes, each placed by `locate`; `nil` when `locate` has no
    /// position for one of them.
    static func references(in spec: JSONValue, locate: (JSONPointer) -> SourceLocation?) -> [ChatLaunchProfile.Reference]? {
        var references: [ChatLaunchProfile.Reference] = []
        let specPointer = JSONPointer([.key("spec")])
        if let items = spec["dependsOn"]?.arrayValue {
            for (index, item) in items.enumerated() {
                guard let target = item.stringValue else { continue }
                let at = specPointer.appending(key: "dependsOn").appending(index: index)
                guard let location = locate(at) else { return nil }
                references.append(.init(kind: .dependsOn, target: target, location: location))
            }
        }
        for (key, kind) in [("persistence", ChatLaunchProfile.Reference.Kind.persistence), ("relatedContact", .relatedContact)] {
            if let target = spec[key]?["from"]?.stringValue {
                let at = specPointer.appending(key: key).appending(key: "from")
                guard let location = locate(at) else { return nil }
                references.append(.init(kind: kind, target: target, location: location))
            }
        }
        return references
    }

    /// What a valid profile is built from, read from its merged JSON once: enough for its
    /// summary (a plan of unchanged profiles needs nothing more of most of them) and, with
    /// its `spec` and the fields from the defaults, for the whole profile.
    struct ProfileParts {
        let name: String
        /// Kept once per distinct set in the load's shared values.
        let labels: [String: String]
        let file: String
        let location: SourceLocation
        let durationMinutes: Int?
        let contentTypes: [String]
        let references: [ChatLaunchProfile.Reference]
        let relaunch: ChatLaunchProfile.RelaunchPolicy
        let launch: LaunchRequest.Facts

        init(
            name: String, json: JSONValue, spec: JSONValue, references: [ChatLaunchProfile.Reference], file: String,
            location: SourceLocation, arns: ProfileRules.ParsedARNs, shared: SharedProfileValues
        ) {
            let labelValues = json["metadata"]?["labels"]?.objectValue ?? [:]
            // Built at its final size (inserting into an empty dictionary grows it step by step).
            var labels = [String: String](minimumCapacity: labelValues.count)
            for (key, value) in labelValues {
                if let text = value.stringValue { labels[key] = text }
            }
            let duration: Int? = switch spec["duration"] {
            case .integer(let minutes)?: minutes
            case .double(let minutes)?: Int(exactly: minutes)
            case .string(let text)?: ChatDuration.minutes(text)
            default: nil
            }
            let contentTypes = shared.list(spec["contentTypes"]?.arrayValue?.compactMap(\.stringValue) ?? ["text/plain"])
            self.name = name
            self.labels = shared.labels(labels)
            self.file = file
            self.location = location
            durationMinutes = duration
            self.contentTypes = contentTypes
            self.references = references
            relaunch = spec["relaunch"]?.stringValue.flatMap(ChatLaunchProfile.RelaunchPolicy.init(rawValue:)) ?? .onChange
            launch = LaunchRequest.Facts(
                spec: spec, durationMinutes: duration, contentTypes: contentTypes, arns: arns, shared: shared)
        }

        /// The profile whole. - Parameter spec: the merged `spec` the parts were read from.
        func profile(spec: JSONValue, fromDefaults: Set<[String]>, shared: SharedProfileValues) -> ChatLaunchProfile {
            ChatLaunchProfile(
                name: name, labels: labels, file: file, location: location, fromDefaults: fromDefaults, launch: launch,
                durationMinutes: durationMinutes, contentTypes: contentTypes, references: references, relaunch: relaunch,
                verify: Conversation(spec: spec), shared: shared)
        }

        /// The summary ``ProfileSummary/init(_:projectRegion:after:)`` makes of the profile
        /// whole, made without it.
        func summary(projectRegion: String?, after previous: ProfileSummary?) -> ProfileSummary {
            ProfileSummary(
                name: name, labels: labels, location: location, region: launch.ownRegion ?? projectRegion,
                references: references, relaunch: relaunch, clientToken: launch.clientToken, request: launch.request,
                after: previous)
        }
    }
}

/// An embedded schema failed to parse or compile: a defect of the build, not of the input.
public struct EmbeddedSchemaError: Error, Sendable, CustomStringConvertible {
    public var schema: String
    public var reason: String
    public var description: String { "the embedded \(schema) schema is broken: \(reason)" }
}
