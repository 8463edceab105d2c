import ChatctlCore
import ChatctlJSON

/// How much of a Markdown plan is given up so that it fits in a pull-request comment
/// (issue 17 item 3), from nothing to everything but the summary and the tables.
enum MarkdownCompaction: Int, CaseIterable {
    /// Every row and every request body.
    case none
    /// The request bodies left out (the full plan has them).
    case withoutRequests
    /// Also: the rows of profiles with the same action and reason, and the same member
    /// change in many profiles, each summarised in one row.
    case grouped
    /// Also: the Mermaid graph left out.
    case groupedWithoutGraph

    var groupsRows: Bool { self == .grouped || self == .groupedWithoutGraph }
    var showsGraph: Bool { self != .groupedWithoutGraph }
}

extension PlanRenderer {
    /// What a pull-request comment may hold: GitHub refuses comments over 65,536
    /// characters, and the comment step adds a marker and a footer.
    static let commentLimit = 60_000

    /// More profiles than this with one action and reason (or one member change) are
    /// summarised in one row when rows are grouped.
    static let groupThreshold = 3

    /// The Markdown plan for a pull-request comment: the whole plan when it fits in
    /// `limit` characters (UTF-16 code units, as GitHub counts them), else the least
    /// compacted form that does, the summary and the changes tables always in view; as a
    /// last resort the tables are cut, saying so. `nil`: the whole plan (`--full`).
    func markdown(limit: Int? = commentLimit) -> String {
        let full = markdown(.none)
        guard let limit, full.utf16.count > limit else { return full }
        for compaction in MarkdownCompaction.allCases.dropFirst() {
            let text = markdown(compaction)
            if text.utf16.count <= limit { return text }
        }
        return Self.cut(markdown(.groupedWithoutGraph), to: limit)
    }

    static func compactionNote(_ compaction: MarkdownCompaction) -> String {
        var left = ["the request bodies"]
        if compaction.groupsRows { left.insert("repeated rows summarised", at: 0) }
        if !compaction.showsGraph { left.append("the dependency graph") }
        let omitted = left.count == 1 ? "without \(left[0])" : "\(left[0]), without " + left.dropFirst().joined(separator: " and ")
        return "\n> Shortened to fit a pull-request comment (\(omitted)). The full plan: "
            + "`chatctl plan --format markdown --full` (in CI, the job summary).\n"
    }

    /// `text` cut at a line end so that it and a note saying so fit in `limit`.
    static func cut(_ text: String, to limit: Int) -> String {
        let note = "\n… (cut to fit a pull-request comment: the full plan is `chatctl plan --format markdown --full`)\n"
        var kept = ""
        var used = note.utf16.count
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let size = line.utf16.count + 1
            if used + size > limit { break }
            kept += line + "\n"
            used += size
        }
        return kept + note
    }

    /// A Markdown table cell: `|` escaped, line breaks as spaces.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// The reason column: the reason and what the launch waits for. The members that
    /// changed are in the table below, not repeated here.
    static func markdownReason(_ call: PlannedCall) -> String {
        var reason = call.reason
        if let waiting = call.waitingFor { reason += "; waiting: \(waiting)" }
        return cell(reason)
    }

    static func actionRow(_ call: PlannedCall) -> String {
        "| \(call.action.symbol) | `\(call.profile)` | \(call.action.rawValue) | \(markdownReason(call)) |\n"
    }

    /// `` `a`, `b`, `c` and 997 more `` for a group's profiles.
    static func names(_ profiles: [String]) -> String {
        let shown = profiles.prefix(groupThreshold).map { "`\($0)`" }.joined(separator: ", ")
        return profiles.count > groupThreshold ? "\(profiles.count) profiles: \(shown) and \(profiles.count - groupThreshold) more" : shown
    }

    /// One row per action and reason shared by more than ``groupThreshold`` profiles, in
    /// the order of their first profile; the others as they are.
    static func groupedActionRows(_ calls: [PlannedCall]) -> String {
        var order: [String] = []
        var groups: [String: [PlannedCall]] = [:]
        for call in calls {
            let key = "\(call.action.rawValue)\n\(markdownReason(call))"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(call)
        }
        return order.map { key in
            let members = groups[key] ?? []
            guard members.count > groupThreshold, let first = members.first else { return members.map(actionRow).joined() }
            return "| \(first.action.symbol) | \(names(members.map(\.profile))) | \(first.action.rawValue) | \(markdownReason(first)) |\n"
        }.joined()
    }

    /// The members that changed, one row each, for a reviewer: `old` → `new` for the
    /// members that are never sensitive, only the kind of change for the others.
    static func changesTable(_ calls: [PlannedCall]) -> String {
        let rows = calls.flatMap { call in call.changes.map { change in (profile: call.profile, change: change) } }
        guard !rows.isEmpty else { return "" }
        return changesHeader + rows.map { "| `\($0.profile)` | `\(cell($0.change.member))` | \(changeCell($0.change)) |\n" }.joined()
    }

    /// The changes table with one row per member change shared by more than
    /// ``groupThreshold`` profiles (a new default, say), in the order first seen.
    static func groupedChangesTable(_ calls: [PlannedCall]) -> String {
        var order: [String] = []
        var groups: [String: (change: MemberChange, profiles: [String])] = [:]
        for call in calls {
            for change in call.changes {
                let key = "\(change.member)\n\(changeCell(change))"
                if groups[key] == nil { order.append(key) }
                groups[key, default: (change, [])].profiles.append(call.profile)
            }
        }
        guard !order.isEmpty else { return "" }
        return changesHeader + order.compactMap { groups[$0] }.flatMap { group in
            let rows = group.profiles.count > groupThreshold ? [names(group.profiles)] : group.profiles.map { "`\($0)`" }
            return rows.map { "| \($0) | `\(cell(group.change.member))` | \(changeCell(group.change)) |\n" }
        }.joined()
    }

    private static let changesHeader = "\n#### What changed\n\n| profile | member | change |\n| --- | --- | --- |\n"

    /// `` `1500` → `90` ``, or `changed (value not shown)` for a sensitive member, with
    /// `via chatctl.yaml defaults` where the new value comes from there.
    static func changeCell(_ change: MemberChange) -> String {
        func code(_ value: JSONValue?) -> String {
            value.map { "`" + cell(MemberChange.shown($0)).replacingOccurrences(of: "`", with: "'") + "`" } ?? "(none)"
        }
        var text = change.sensitive ? "\(change.kind.rawValue) (value not shown)" : "\(code(change.before)) → \(code(change.after))"
        if change.viaDefaults { text += " via chatctl.yaml defaults" }
        return text
    }
}
