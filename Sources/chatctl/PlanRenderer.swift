import ChatctlAWS
import ChatctlCore
import ChatctlJSON
import Foundation

/// Renders a plan for people (text, Markdown) and machines (JSON, docs/plan-and-apply.md, "Plan JSON").
struct PlanRenderer {
    let plan: Plan
    let lockfilePath: String
    var useColor = false
    /// Also list unchanged profiles (text).
    var showUnchanged = false
    /// `--quiet`: one line per change, no header, request bodies or summary, and nothing
    /// at all when there are no changes.
    var quiet = false

    // MARK: Text

    func text() -> String {
        let changes = plan.changes
        if quiet {
            return changes.map { call in
                "\(call.action.symbol) \(call.action.rawValue) \(call.profile)  (\(Self.reason(call)))"
                    + (call.waitingFor.map { "; waiting: \($0)" } ?? "") + "\n"
            }.joined()
        }
        guard !changes.isEmpty else {
            return "No changes. \(counted(plan.calls.count, "profile")) up to date with \(lockfilePath).\n"
        }
        var text = "chatctl will perform these actions (lockfile \(lockfilePath), serial \(plan.lockfileSerial)):\n\n"
        // The changes are made once; every call only when the unchanged ones are shown.
        if showUnchanged {
            for call in plan.calls { text += line(for: call) }
        } else {
            for call in changes { text += line(for: call) }
        }
        return text + "\n" + summaryLine(waiting: changes.filter { $0.waitingFor != nil }.count) + "\n"
    }

    private func line(for call: PlannedCall) -> String {
        let head = paint("\(call.action.symbol) \(call.action.rawValue)", color(for: call.action))
        var text = "  \(head) \(call.profile)  (\(Self.reason(call)))\n"
        if let waiting = call.waitingFor {
            text += "      " + paint("waiting: \(waiting)", "33") + "\n"
        }
        for reference in call.knownAfterApply {
            text += "      \(reference) (known after apply)\n"
        }
        if let contact = call.stopContactID {
            text += "      StopContact \(contact)\(call.action == .relaunch ? " after the new chat starts (prune)" : "")\n"
        }
        if let body = requestJSON(call), call.action == .launch || call.action == .relaunch || call.action == .resume {
            let rendered = JSONWriter.pretty.string(body).split(separator: "\n", omittingEmptySubsequences: false)
            text += "      PUT /contact/chat\(call.region.map { " (\($0))" } ?? "")\n"
            for line in rendered where !line.isEmpty { text += "      \(line)\n" }
        }
        return text
    }

    /// The reason with the members that changed: `ChatDurationInMinutes 1500 → 90,
    /// Attributes.tier changed` in place of "definition changed", after any other reason.
    static func reason(_ call: PlannedCall) -> String {
        guard !call.changes.isEmpty else { return call.reason }
        let changes = call.changes.map(\.summary).joined(separator: ", ")
        return call.reason == "definition changed" ? changes : "\(call.reason): \(changes)"
    }

    /// `Plan: 3 to launch, 1 to relaunch, 0 to stop.` plus the other actions when present.
    var summaryLine: String {
        // Only a change waits (an unchanged call has no launch).
        summaryLine(waiting: plan.changes.filter { $0.waitingFor != nil }.count)
    }

    /// ``summaryLine`` with the count of calls that wait, when it is known.
    private func summaryLine(waiting: Int) -> String {
        let summary = plan.summary
        var parts = ["\(summary[.launch] ?? 0) to launch", "\(summary[.relaunch] ?? 0) to relaunch"]
        if let resume = summary[.resume], resume > 0 { parts.append("\(resume) to resume") }
        parts.append("\(summary[.stop] ?? 0) to stop")
        if let forget = summary[.forget], forget > 0 { parts.append("\(forget) to forget") }
        var line = "Plan: " + parts.joined(separator: ", ") + "."
        if waiting > 0 { line += " \(waiting) waiting." }
        if let unchanged = summary[.unchanged], unchanged > 0 { line += " \(unchanged) unchanged." }
        return line
    }

    /// The request body with sensitive members masked and references not known yet
    /// shown as such; the ClientToken that will be sent is included.
    func requestJSON(_ call: PlannedCall) -> JSONValue? {
        guard var request = call.request else { return nil }
        request.clientToken = call.clientToken
        guard var body = try? JSONParser.parse(request.redactedJSONBody()) else { return nil }
        if call.persistenceFrom != nil, case .object(var members) = body, case .object(var chat)? = members["PersistentChat"] {
            chat["SourceContactId"] = .string("(known after apply)")
            members["PersistentChat"] = .object(chat)
            body = .object(members)
        }
        if call.relatedContactFrom != nil, case .object(var members) = body {
            members["RelatedContactId"] = .string("(known after apply)")
            body = .object(members)
        }
        return body
    }

    private func color(for action: PlannedCall.Action) -> String {
        switch action {
        case .launch: "32"
        case .relaunch: "33"
        case .resume: "36"
        case .stop, .forget: "31"
        case .unchanged: "2"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    // MARK: JSON

    /// Bytes handed on at a time by ``writeJSON(saved:pieceSize:to:)``.
    static let jsonPieceSize = 1 << 20

    /// The plan document of docs/plan-and-apply.md ("Plan JSON"), as `JSONWriter.pretty`
    /// writes it, handed to `emit` a piece of about `pieceSize` bytes at a time; `saved` adds
    /// what `apply plan.json` needs to re-plan and refuse a stale plan.
    ///
    /// Issue 15: the document was built whole as a JSON value, then whole as text, before a
    /// byte was written: some 700 MB for a plan of 100,000 profiles, whose JSON is 140 MB.
    /// Each action is now made and written in turn, the same bytes.
    func writeJSON<Failure: Error>(
        saved: SavedPlanInputs? = nil, pieceSize: Int = jsonPieceSize, to emit: ([UInt8]) throws(Failure) -> Void
    ) throws(Failure) {
        var summary: [String: JSONValue] = [:]
        for (action, count) in plan.summary { summary[action.rawValue] = .integer(count) }
        var document: [String: JSONValue] = [
            "formatVersion": .integer(Plan.formatVersion),
            "lockfileSerial": .integer(plan.lockfileSerial),
            "inputsDigest": .string(plan.inputsDigest),
            "lockfile": .string(lockfilePath),
            "summary": .object(summary),
        ]
        if let saved { document["inputs"] = saved.json }
        let actionsKey = "actions"
        // The members in the writer's order (by their names' bytes), the actions among them.
        let keys = (Array(document.keys) + [actionsKey]).sorted(by: JSONWriter.utf8Precedes)
        var output: [UInt8] = []
        output.reserveCapacity(pieceSize + pieceSize / 4)
        output.append(UInt8(ascii: "{"))
        for (position, key) in keys.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: "\n  ".utf8)
            JSONWriter.appendString(key, to: &output)
            output.append(contentsOf: ": ".utf8)
            guard key == actionsKey else {
                if let value = document[key] { JSONWriter.pretty.append(value, to: &output, depth: 1) }
                continue
            }
            guard !plan.calls.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                continue
            }
            output.append(UInt8(ascii: "["))
            for (index, call) in plan.calls.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: "\n    ".utf8)
                JSONWriter.pretty.append(actionJSON(call), to: &output, depth: 2)
                if output.count >= pieceSize {
                    try emit(output)
                    output.removeAll(keepingCapacity: true)
                }
            }
            output.append(contentsOf: "\n  ]".utf8)
        }
        output.append(contentsOf: "\n}\n".utf8)
        try emit(output)
    }

    private func actionJSON(_ call: PlannedCall) -> JSONValue {
        var members: [String: JSONValue] = [
            "profile": .string(call.profile),
            "action": .string(call.action.rawValue),
            "reason": .string(call.reason),
            "dependsOn": .array(call.dependsOn.map(JSONValue.string)),
        ]
        if let digest = call.digest { members["digest"] = .string(digest) }
        if let generation = call.generation { members["generation"] = .integer(generation) }
        if let token = call.clientToken, call.action != .unchanged { members["clientToken"] = .string(token) }
        if let waiting = call.waitingFor { members["waitingFor"] = .string(waiting) }
        if !call.knownAfterApply.isEmpty { members["knownAfterApply"] = .array(call.knownAfterApply.map(JSONValue.string)) }
        if let contact = call.stopContactID { members["stopContactId"] = .string(contact) }
        if let region = call.region { members["region"] = .string(region) }
        if let request = requestJSON(call) { members["request"] = request }
        if !call.changes.isEmpty { members["changes"] = .array(call.changes.map(Self.changeJSON)) }
        if let location = call.location {
            members["file"] = .string(location.file)
            members["line"] = .integer(location.line)
        }
        return .object(members)
    }

    /// `{member, before?, after?, sensitive, change, viaDefaults}`: a sensitive member has
    /// neither value, not even a digest.
    private static func changeJSON(_ change: MemberChange) -> JSONValue {
        var members: [String: JSONValue] = [
            "member": .string(change.member), "sensitive": .bool(change.sensitive),
            "change": .string(change.kind.rawValue), "viaDefaults": .bool(change.viaDefaults),
        ]
        if let before = change.before { members["before"] = before }
        if let after = change.after { members["after"] = after }
        return .object(members)
    }

    // MARK: Markdown

    /// The Markdown plan at one level of compaction (see ``markdown(limit:)``).
    func markdown(_ compaction: MarkdownCompaction) -> String {
        var text = "### chatctl plan\n\n**\(summaryLine)**\n"
        let changes = plan.calls.filter { $0.action.isChange }
        if changes.isEmpty { return text + "\nNo changes.\n" }
        if compaction != .none { text += Self.compactionNote(compaction) }
        text += "\n| | profile | action | reason |\n| --- | --- | --- | --- |\n"
        text += compaction.groupsRows ? Self.groupedActionRows(changes) : changes.map(Self.actionRow).joined()
        text += compaction.groupsRows ? Self.groupedChangesTable(changes) : Self.changesTable(changes)
        if compaction.showsGraph, plan.calls.contains(where: { !$0.dependsOn.isEmpty }) {
            text += "\n```mermaid\n" + GraphRenderer.mermaid(plan.calls.map { ($0.profile, $0.dependsOn, $0.action) }) + "```\n"
        }
        guard compaction == .none else { return text }
        for call in changes {
            guard let body = requestJSON(call) else { continue }
            text += "\n<details><summary><code>\(call.profile)</code> request</summary>\n\n```json\n"
            text += JSONWriter.pretty.string(body) + "```\n\n</details>\n"
        }
        return text
    }
}

/// What a saved plan records so `apply plan.json` can make the same plan again, from
/// any folder: the flags, and the absolute paths of exactly the files that were read
/// and of the lockfile (so apply reads those and walks no folder).
struct SavedPlanInputs {
    var paths: [String]
    var targets: [String]
    var replace: [String]
    var selector: String?
    var prune: Bool
    /// The project file read, absolute; `nil` when there was none.
    var projectFile: String?
    /// The profile files read, absolute; `nil` in plans saved before they were recorded.
    var profileFiles: [String]?
    /// The lockfile planned against, absolute.
    var lockfile: String?
    /// The set of inputs, relative to the lockfile's folder (so the saved plan names the
    /// same set from any folder); `nil` in plans saved before it was recorded.
    var roots: [String]?
    /// `--adopt-inputs`: apply records these inputs in a lockfile that records others.
    var adoptInputs = false

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "paths": .array(paths.map(JSONValue.string)),
            "targets": .array(targets.map(JSONValue.string)),
            "replace": .array(replace.map(JSONValue.string)),
            "prune": .bool(prune),
        ]
        if let selector { members["selector"] = .string(selector) }
        if let projectFile { members["projectFile"] = .string(projectFile) }
        if let profileFiles { members["profileFiles"] = .array(profileFiles.map(JSONValue.string)) }
        if let lockfile { members["lockfile"] = .string(lockfile) }
        if let roots { members["roots"] = .array(roots.map(JSONValue.string)) }
        if adoptInputs { members["adoptInputs"] = .bool(true) }
        return .object(members)
    }

    init(
        paths: [String], targets: [String], replace: [String], selector: String?, prune: Bool,
        projectFile: String? = nil, profileFiles: [String]? = nil, lockfile: String? = nil, roots: [String]? = nil,
        adoptInputs: Bool = false
    ) {
        self.paths = paths
        self.targets = targets
        self.replace = replace
        self.selector = selector
        self.prune = prune
        self.projectFile = projectFile
        self.profileFiles = profileFiles
        self.lockfile = lockfile
        self.roots = roots
        self.adoptInputs = adoptInputs
    }

    init?(json: JSONValue) {
        guard let paths = json["paths"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
        self.paths = paths
        targets = json["targets"]?.arrayValue?.compactMap(\.stringValue) ?? []
        replace = json["replace"]?.arrayValue?.compactMap(\.stringValue) ?? []
        selector = json["selector"]?.stringValue
        if case .bool(let prune)? = json["prune"] { self.prune = prune } else { prune = false }
        projectFile = json["projectFile"]?.stringValue
        profileFiles = json["profileFiles"]?.arrayValue?.compactMap(\.stringValue)
        lockfile = json["lockfile"]?.stringValue
        roots = json["roots"]?.arrayValue?.compactMap(\.stringValue)
        if case .bool(true)? = json["adoptInputs"] { adoptInputs = true }
    }

    /// The `chatctl plan` command that makes this plan again, for hints.
    func planCommand(out: String) -> String {
        var words = ["chatctl", "plan"] + paths
        if let selector { words += ["--selector", selector] }
        for target in targets { words += ["--target", target] }
        for name in replace { words += ["--replace", name] }
        words.append(prune ? "--prune" : "--no-prune")
        if adoptInputs { words.append("--adopt-inputs") }
        words += ["--out", out]
        return words.map(Self.shellWord).joined(separator: " ")
    }

    /// `word`, quoted for a POSIX shell when it needs to be.
    static func shellWord(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_./=:,@%+".unicodeScalars.contains(scalar))
        }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
