public import Foundation
import ChatctlAWS

/// The planning stage: compares the valid profiles with the lockfile and decides, for
/// each, one action of docs/plan-and-apply.md ("Actions and their reasons"). Pure but for
/// reads: a plan made from summaries loads profiles again through the function it is
/// given, and the member records of a lockfile read for `plan` are read back from its file
/// (and checked to be the ones decoded); the time is passed in.
public struct Planner: Sendable {
    public init() {}

    /// The plan for `profiles` (in load order) against `lockfile` at `now`; every call keeps
    /// its profile's definition (what `apply`, a saved plan and the JSON plan show and send).
    /// - Throws: ``PlanError`` when a `--target` or `--replace` names no profile, the
    ///   selector matches none, or the lockfile's file changed while its members were read
    ///   back from it (``Lockfile/checkMembersReadBack()``).
    public func plan(
        _ profiles: [ChatLaunchProfile], lockfile: Lockfile, options: PlanOptions, now: Date
    ) throws(PlanError) -> Plan {
        let projectRegion = options.projectRegion
        let summaries = Self.summaries(of: profiles, projectRegion: projectRegion)
        return try plan(summaries, definitions: .kept(profiles), lockfile: lockfile, options: options, now: now)
    }

    /// Consecutive profiles summarised together by ``summaries(of:projectRegion:)``.
    static let summaryRunLength = 256

    /// Each profile's summary, made on all cores a run of ``summaryRunLength`` profiles at a
    /// time, in order within a run: a summary shares its file and region with the one
    /// before it when they are the same (``ProfileSummary/init(_:projectRegion:after:)``),
    /// as the validation workers' summaries do, rather than holding an object of its own.
    static func summaries(of profiles: [ChatLaunchProfile], projectRegion: String?) -> [ProfileSummary] {
        let runs = Array(stride(from: 0, to: profiles.count, by: summaryRunLength))
        return runs.parallelMap { start in
            var previous: ProfileSummary?
            return profiles[start..<Swift.min(start + summaryRunLength, profiles.count)].map { profile in
                let summary = ProfileSummary(profile, projectRegion: projectRegion, after: previous)
                previous = summary
                return summary
            }
        }.flatMap { $0 }
    }

    /// The plan for the profiles `summaries` stand for (in load order) against `lockfile` at
    /// `now`, without a full profile for every summary (issue 15): only the calls that may
    /// send or show a request or what changed (``mayNeedDefinition(_:entry:options:)``) get
    /// their profile's definition, through `reload`; other unchanged calls carry none. What
    /// `plan` prints as text or Markdown.
    /// - Parameters:
    ///   - projectRegion: the project region the summaries were made with.
    ///   - reload: the full profiles of the summaries handed to it, by name, loaded again
    ///     from their files; a profile it does not give back, or gives back with another
    ///     summary, was edited meanwhile and the plan is refused.
    /// - Throws: ``PlanError`` as ``plan(_:lockfile:options:now:)`` does, and when a profile
    ///   changed while the plan was made.
    public func plan(
        summaries: [ProfileSummary], projectRegion: String?, lockfile: Lockfile, options: PlanOptions, now: Date,
        reload: ([ProfileSummary]) -> [String: ChatLaunchProfile]
    ) throws(PlanError) -> Plan {
        guard projectRegion == options.projectRegion else {
            throw .summariesOfAnotherRegion(projectRegion, expected: options.projectRegion)
        }
        return try withoutActuallyEscaping(reload) { reload throws(PlanError) in
            try plan(summaries, definitions: .loadedAgain(reload), lockfile: lockfile, options: options, now: now)
        }
    }

    /// Where the calls' definitions come from.
    private enum Definitions {
        /// Every profile, as validated.
        case kept([ChatLaunchProfile])
        /// Those that may be needed, loaded again from their files.
        case loadedAgain(([ProfileSummary]) -> [String: ChatLaunchProfile])
    }

    private func plan(
        _ summaries: [ProfileSummary], definitions: Definitions, lockfile: Lockfile, options: PlanOptions, now: Date
    ) throws(PlanError) -> Plan {
        // Profiles are handled by their index in `summaries` throughout (issue 15: no copy of
        // a profile per step). A name's index is found through a table of indices into the
        // summaries (4 to 8 bytes a name, where a `[String: Int]` was 7 MB at 100,000).
        var names = NameTable()
        let nameAt = { (index: Int32) -> String? in summaries[Int(index)].name }
        names.reserveCapacity(summaries.count, nameAt: nameAt)
        for index in summaries.indices { _ = names.insert(at: Int32(index), nameAt: nameAt) }
        let indexOf = { [names] (name: String) -> Int? in names.first(named: name, nameAt: nameAt).map(Int.init) }
        for (flag, list) in [("--target", options.targets), ("--replace", options.replace)] {
            for name in list where indexOf(name) == nil {
                throw .unknownProfile(name, flag: flag, known: summaries.map(\.name))
            }
        }
        let selected = try selection(summaries, indexOf: indexOf, options: options)
        let ordered = Self.dependencyOrder(of: selected, in: summaries, indexOf: indexOf)
        // Each profile's entry, looked up once for every step that reads it.
        let entries = Self.entries(of: summaries, in: lockfile)
        let profiles = try Self.profiles(for: ordered, of: summaries, entries: entries, from: definitions, options: options)
        // Each profile's member records (when a change may need them) on all cores, in a
        // few slices rather than one task per profile; the decisions follow the dependency
        // order, slice by slice as each is ready.
        let sliceLength = max(256, ordered.count / 64)
        let slices = stride(from: 0, to: ordered.count, by: sliceLength).map { ordered[$0..<min($0 + sliceLength, ordered.count)] }
        let filtered = !options.targets.isEmpty || options.selector != nil
        // The entries without a profile, planned last; only they are sorted (not every name).
        let orphans = filtered ? [] : lockfile.entries.keys.filter { indexOf($0) == nil }.sorted()
        // Exactly: a doubling reserve would hold room for another plan's worth of calls.
        var calls = PlannedCalls(summaries: summaries, capacity: ordered.count + orphans.count)
        // The call planned for each profile, by its index (-1: not planned yet).
        var callOf = [Int](repeating: -1, count: summaries.count)
        let salt = lockfile.memberSalt
        // The decisions of a slice are made as soon as it is prepared, while the next
        // slices are prepared on the other cores.
        try slices.parallelMap({ slice in
            slice.map { index in
                // The summary's two fields, not a copy of it (retains and releases of its
                // references, for each of 100,000 profiles).
                Prepared(
                    digest: summaries[index].storedDigest, region: summaries[index].region, profile: profiles[index],
                    entry: entries[index], salt: salt)
            }
        }, consumingInOrder: { (position: Int, preparedSlice: [Prepared]) throws(PlanError) in
            for (index, prepared) in zip(slices[position], preparedSlice) {
                // Most calls of a large plan, kept by their summary's place.
                if let unchanged = Self.plainUnchanged(
                    summaries[index], entry: entries[index], loaded: profiles[index] != nil, prepared: prepared, options: options) {
                    callOf[index] = calls.count
                    calls.appendUnchanged(summary: index, reason: unchanged.reason, entry: unchanged.entry)
                    continue
                }
                let call = try plan(
                    summaries[index], entry: entries[index], profile: profiles[index], prepared: prepared, lockfile: lockfile,
                    options: options, planned: { name in
                    guard let target = indexOf(name), callOf[target] >= 0 else { return nil }
                    return calls[callOf[target]]
                }, now: now)
                callOf[index] = calls.count
                calls.append(call)
            }
        })
        for name in orphans {
            if let entry = lockfile.entries[name] {
                calls.append(Self.orphan(name, entry: entry.heldInMemory(), prune: options.prune, now: now))
            }
        }
        // The members read back from the lockfile's file (a changed entry's, to list what
        // changed) must be the ones checked when it was read: a lockfile rewritten in place
        // meanwhile would show member changes from another version of it.
        do {
            try lockfile.checkMembersReadBack()
        } catch {
            throw .lockfileChangedWhileRead(error)
        }
        return Plan(calls: calls, lockfileSerial: lockfile.serial, inputsDigest: Self.inputsDigest(calls, options: options))
    }

    /// What an unchanged call that shows nothing of its profile's definition holds, when
    /// the profile's call is one: it was not loaded (so nothing may change it), its entry
    /// records its digest, ``decide(_:entry:changed:options:)`` keeps it, and no data
    /// reference can force a relaunch. Most calls of a large plan; kept by their summary's
    /// place without a ``PlannedCall`` made (and its token's text) only to be dropped. It is
    /// the call ``plan(_:entry:profile:prepared:lockfile:options:planned:now:)`` would make:
    /// every planner test plans both ways (``planBothWays``) and expects the same calls.
    private static func plainUnchanged(
        _ summary: ProfileSummary, entry: LockEntry?, loaded: Bool, prepared: Prepared, options: PlanOptions
    ) -> (reason: PlannedCalls.UnchangedReason, entry: LockEntry)? {
        guard !loaded, let entry, !prepared.changed, summary.references.allSatisfy({ $0.kind == .dependsOn }) else { return nil }
        let (action, reason) = decide(summary, entry: entry, changed: false, options: options)
        guard action == .unchanged, let reason = PlannedCalls.UnchangedReason(text: reason) else { return nil }
        return (reason, entry)
    }

    /// The entry of each summary's profile, by index, looked up on all cores: a plan of
    /// 100,000 profiles reads each one three times (issue 15).
    /// - Parameter sliceLength: summaries looked up by one task (tests make it small).
    static func entries(
        of summaries: [ProfileSummary], in lockfile: Lockfile, sliceLength: Int? = nil
    ) -> [LockEntry?] {
        let sliceLength = sliceLength ?? max(4096, summaries.count / 16)
        let starts = Array(stride(from: 0, to: summaries.count, by: sliceLength))
        let slices = starts.parallelMap { start in
            summaries[start..<min(start + sliceLength, summaries.count)].map { lockfile.entries[$0.name] }
        }
        var entries: [LockEntry?] = []
        entries.reserveCapacity(summaries.count)
        for slice in slices { entries.append(contentsOf: slice) }
        return entries
    }

    /// The full profile of each summary (by index) that a call may need: every one when
    /// they were kept; otherwise those of `ordered` whose call may send or show a request
    /// (``mayNeedDefinition(_:entry:options:)``), loaded again and checked to be the profile
    /// that was summarised. `entries` holds each summary's entry, by index.
    private static func profiles(
        for ordered: [Int], of summaries: [ProfileSummary], entries: [LockEntry?], from definitions: Definitions,
        options: PlanOptions
    ) throws(PlanError) -> [ChatLaunchProfile?] {
        switch definitions {
        case .kept(let profiles):
            return profiles
        case .loadedAgain(let reload):
            var profiles = [ChatLaunchProfile?](repeating: nil, count: summaries.count)
            let wanted = ordered.filter {
                mayNeedDefinition(summaries[$0], entry: entries[$0], options: options)
            }
            guard !wanted.isEmpty else { return profiles }
            let loaded = reload(wanted.map { summaries[$0] })
            for index in wanted {
                // The summary of the profile loaded again must be the one decided on: a
                // file edited in between would otherwise be planned half old, half new.
                guard let profile = loaded[summaries[index].name],
                      ProfileSummary(profile, projectRegion: options.projectRegion) == summaries[index]
                else { throw .profileChanged(summaries[index]) }
                profiles[index] = profile
            }
            return profiles
        }
    }

    /// Whether a profile's call may send or show a request (be anything but unchanged) or
    /// what changed in it, as far as can be told before the decisions: false only when its
    /// entry records its digest, ``decide(_:entry:changed:options:)`` says unchanged, and no
    /// reference can force a relaunch (which depends on the calls of the profiles referred
    /// to). A changed profile kept by `relaunch: never` is loaded: its line says what changed.
    public static func mayNeedDefinition(_ summary: ProfileSummary, entry: LockEntry?, options: PlanOptions) -> Bool {
        guard let entry else { return true }
        let changed = entry.storedDigest != summary.storedDigest
        let (action, _) = decide(summary, entry: entry, changed: changed, options: options)
        return changed || action != .unchanged || summary.references.contains { $0.kind != .dependsOn }
    }

    // MARK: Selection and order

    /// The indices of the profiles to plan, in load order.
    private func selection(
        _ summaries: [ProfileSummary], indexOf: (String) -> Int?, options: PlanOptions
    ) throws(PlanError) -> [Int] {
        guard !options.targets.isEmpty || options.selector != nil else { return Array(summaries.indices) }
        // The roots: the targets, or every profile; the selector keeps those it matches.
        var roots = options.targets.isEmpty ? summaries.map(\.name) : options.targets
        if let selector = options.selector {
            roots = roots.filter { indexOf($0).map { selector.matches(summaries[$0].labels) } ?? false }
            if roots.isEmpty { throw .nothingSelected(selector) }
        }
        // A root brings what it depends on, as terraform's -target does: apply needs their
        // contacts and their order.
        var wanted = Set<String>()
        var stack = roots
        while let name = stack.popLast() {
            guard wanted.insert(name).inserted, let index = indexOf(name) else { continue }
            stack += summaries[index].references.map(\.target)
        }
        return summaries.indices.filter { wanted.contains(summaries[$0].name) }
    }

    /// Dependencies first, otherwise the order of `selected` (load order); iterative so long
    /// chains are fine. Takes and gives indices into `summaries`.
    static func dependencyOrder(of selected: [Int], in summaries: [ProfileSummary], indexOf: (String) -> Int?) -> [Int] {
        // When every reference names an earlier profile (or none of the plan's), the load
        // order is already dependencies first: the walk below would give it unchanged, each
        // profile's dependencies being done before its turn. Most large plans; the walk
        // costs 3 arrays of the plan's size and a stack on one core (issue 15).
        let referencesEarlier = selected.allSatisfy { index in
            summaries[index].references.allSatisfy { reference in indexOf(reference.target).map { $0 < index } ?? true }
        }
        if referencesEarlier { return selected }
        var included = [Bool](repeating: false, count: summaries.count)
        for index in selected { included[index] = true }
        var done = [Bool](repeating: false, count: summaries.count)
        var onStack = [Bool](repeating: false, count: summaries.count)
        var order: [Int] = []
        order.reserveCapacity(selected.count)
        for root in selected where !done[root] {
            var stack: [(index: Int, next: Int)] = [(root, 0)]
            onStack[root] = true
            while let top = stack.indices.last {
                let (index, next) = stack[top]
                let references = summaries[index].references
                if next < references.count {
                    stack[top].next += 1
                    if let target = indexOf(references[next].target), included[target], !done[target], !onStack[target] {
                        stack.append((target, 0))
                        onStack[target] = true
                    }
                    continue
                }
                stack.removeLast()
                onStack[index] = false
                if !done[index] {
                    done[index] = true
                    order.append(index)
                }
            }
        }
        return order
    }

    // MARK: One profile

    /// What a profile's plan computes before any decision, on its own (so in parallel).
    private struct Prepared: Sendable {
        /// Whether the profile's entry records another digest (false without an entry):
        /// compared once here, on both sides' bytes.
        var changed: Bool
        /// The member records, unless the profile is unchanged as far as its own entry
        /// says and that entry recorded its members (nothing then reads them), or its
        /// definition was not loaded (its call is unchanged).
        var members: [String: MemberRecord]?

        /// - Parameters:
        ///   - digest: the profile's digest, and `region` its region, as its summary has them.
        init(digest: HexDigestText, region: String?, profile: ChatLaunchProfile?, entry: LockEntry?, salt: String?) {
            changed = entry.map { $0.storedDigest != digest } ?? false
            if let entry, !changed, entry.memberStorage != nil, entry.status == .started || entry.status == .stopped {
                members = nil
            } else if let profile {
                members = salt.map { RequestMembers.record(of: profile.request, region: region, salt: $0) }
            } else {
                members = nil
            }
        }
    }

    /// The call of one profile, from its summary, its entry and, when loaded, its full
    /// profile (always there for a call that sends or shows a request).
    private func plan(
        _ summary: ProfileSummary, entry: LockEntry?, profile: ChatLaunchProfile?, prepared: Prepared, lockfile: Lockfile,
        options: PlanOptions, planned: (String) -> PlannedCall?, now: Date
    ) throws(PlanError) -> PlannedCall {
        let region = summary.region
        let digest = summary.storedDigest
        let dependsOn = summary.dependsOn
        let members = prepared.members
        let definition = profile.map { profile in
            PlannedCall.Definition(
                request: profile.request, storedDigest: digest, instance: profile.instanceID,
                durationMinutes: profile.durationMinutes,
                persistenceFrom: summary.references.first { $0.kind == .persistence }?.target,
                relatedContactFrom: summary.references.first { $0.kind == .relatedContact }?.target, members: members,
                verify: profile.verify)
        }
        // What changed, member by member, when the entry recorded its members.
        var changes: [MemberChange] = []
        if let entry, prepared.changed, let recorded = entry.members, let members, let profile {
            changes = RequestMembers.changes(from: recorded, to: members) { Self.takesFromDefaults($0, profile: profile) }
        }
        func call(_ operation: PlannedCall.Operation, _ reason: String) -> PlannedCall {
            var call = PlannedCall(
                profile: summary.name, operation: operation, reason: reason, dependsOn: dependsOn, region: region,
                location: summary.location)
            call.changes = changes
            return call
        }

        var (action, reason) = Self.decide(summary, entry: entry, changed: prepared.changed, options: options)
        var knownAfterApply: [String] = []
        // A reference to a profile that gets a new contact in this plan forces a relaunch.
        let dataReferences = summary.references.filter { $0.kind != .dependsOn }
        for reference in dataReferences {
            // A resume gives the target a contact this profile's chat cannot have referred
            // to (a pending entry's generation has none recorded yet): it forces a relaunch
            // like a launch does, so a relaunch forced before a crash is not lost.
            let targetChanges = planned(reference.target).map { [.launch, .relaunch, .resume].contains($0.action) } ?? false
            let field = reference.kind == .persistence ? "persistence.from" : "relatedContact.from"
            let recorded = reference.kind == .persistence ? entry?.continuedFromContactId : entry?.relatedContactId
            if targetChanges {
                knownAfterApply.append("\(field): \(reference.target)")
                if action == .unchanged {
                    action = .relaunch
                    reason = "\(field) \(reference.target) is launched in this plan"
                }
            } else if action == .unchanged, let recorded,
                      let current = lockfile.entries[reference.target]?.contactId, current != recorded {
                action = .relaunch
                reason = "\(field) \(reference.target) has a newer chat"
            }
        }
        // `decide` says unchanged only of a recorded entry.
        if action == .unchanged, let entry {
            return call(.unchanged(.init(
                definition: definition, storedDigest: digest, generation: entry.generation, clientToken: entry.clientToken)), reason)
        }
        // Every other call sends or shows its request: `mayNeedDefinition` loaded it.
        guard var definition, let profile else { throw .definitionNotLoaded(summary.name) }
        // It reads most of its entry: read back from the lockfile's file once, not for each
        // field (an unchanged call, above, reads only what the entry holds).
        let entry = entry?.heldInMemory()
        // A launch records its members: made now when the profile looked unchanged at first
        // (a forced or requested relaunch).
        if definition.members == nil, let salt = lockfile.memberSalt {
            definition.members = RequestMembers.record(of: profile.request, region: region, salt: salt)
        }
        var waitingFor: String?
        if let source = dataReferences.first(where: { $0.kind == .persistence }) {
            waitingFor = Self.waiting(for: source.target, lockfile: lockfile, planned: planned(source.target), now: now)
        }
        let replacing = Self.replacement(of: entry, prune: options.prune, now: now)
        if action == .resume, let entry {
            // Held until the user decides: the definition changed while its request was
            // pending (Amazon Connect's answer to the old token with a new body is not
            // documented: it may be the old chat, which would be recorded as the new one),
            // or the token's chat exists with other parameters (resending can never return
            // it). Either way only a resend of the original request can learn the chat, and a
            // new generation would be a second chat: `--replace` says that is wanted.
            let changed = prepared.changed
            let mismatched = entry.error?.code == Self.idempotencyMismatch
            if (changed || mismatched), options.replace.contains(summary.name) {
                action = .relaunch
                reason = "replacement requested (--replace)"
            } else {
                if changed {
                    waitingFor = "its definition changed while its request was pending; restore the definition it was sent "
                        + "with and apply to resume it, or `--replace \(summary.name)` to launch the new one as a new generation "
                        + "(a chat the pending request started is then left unrecorded)"
                } else if mismatched {
                    waitingFor = "a chat with client token \(entry.clientToken) exists with other parameters, which Amazon "
                        + "Connect will not name; `--replace \(summary.name)` launches a new generation and leaves that chat unrecorded"
                }
                return call(.resume(PlannedCall.Launch(
                    definition: definition, generation: entry.generation, clientToken: entry.clientToken, waitingFor: waitingFor,
                    knownAfterApply: knownAfterApply, replacing: replacing)), reason)
            }
        }
        // A hand-edited lockfile can hold the largest integer: never trap on it.
        let (generation, overflow) = (entry?.generation ?? 0).addingReportingOverflow(1)
        if overflow { throw .generationExhausted(summary.name, lockfile: entry?.generation ?? 0) }
        let clientToken = summary.clientToken
            ?? LaunchRequest.clientToken(
                // `&+`: at the largest serial apply refuses to write anyway (lockfile.serial).
                profile: summary.name, digest: digest.text, generation: generation, serial: lockfile.serial &+ 1)
        var launch = PlannedCall.Launch(
            definition: definition, generation: generation, clientToken: clientToken, waitingFor: waitingFor,
            knownAfterApply: knownAfterApply)
        launch.replacing = replacing
        guard action == .relaunch else { return call(.launch(launch), reason) }
        return call(.relaunch(launch), reason)
    }

    /// The code Amazon Connect answers a known client token sent with other parameters.
    static let idempotencyMismatch = "IdempotentParameterMismatchException"

    /// The running chat a new launch of `entry`'s profile replaces: its own running chat
    /// (`started`), or the one an unfinished relaunch recorded (`pending`, `failed`), to be
    /// stopped when prune is on now or was when the relaunch was planned.
    static func replacement(of entry: LockEntry?, prune: Bool, now: Date) -> LockEntry.Replacement? {
        guard let entry else { return nil }
        switch entry.status {
        case .started:
            guard !entry.hasEnded(at: now), let contact = entry.contactId else { return nil }
            return LockEntry.Replacement(
                contactId: contact, instance: entry.instance, region: entry.region, expiresAt: entry.expiresAt,
                then: prune ? .stop : .keep)
        case .pending, .failed:
            guard var replacing = entry.replacing, replacing.mayRun(at: now) else { return nil }
            if prune { replacing.then = .stop }
            return replacing
        case .stopped:
            return nil
        }
    }

    private static func decide(
        _ summary: ProfileSummary, entry: LockEntry?, changed: Bool, options: PlanOptions
    ) -> (PlannedCall.Action, String) {
        guard let entry else { return (.launch, "not launched yet") }
        switch entry.status {
        case .failed:
            return (.launch, "the last launch failed" + (entry.error.map { " (\($0.code))" } ?? ""))
        case .pending:
            // A changed definition is held rather than relaunched (see `plan`).
            return !changed
                ? (.resume, "a request was sent but its result was not recorded")
                : (.resume, "a request of an older definition was sent but its result was not recorded")
        case .started, .stopped:
            if options.replace.contains(summary.name) { return (.relaunch, "replacement requested (--replace)") }
            switch (summary.relaunch, changed) {
            case (.always, _): return (.relaunch, "relaunch: always")
            case (.onChange, true): return (.relaunch, "definition changed")
            case (.never, true): return (.unchanged, "definition changed, but relaunch is never")
            default: return (.unchanged, entry.status == .stopped ? "stopped" : "launched")
            }
        }
    }

    /// Where in a profile's `spec` each request member is written (a member one level into
    /// a map adds its key), to tell whether its value comes from the project's defaults.
    private static let specPaths: [String: [String]] = [
        "ContactFlowId": ["flow"], "InstanceId": ["instance"], "ChatDurationInMinutes": ["duration"],
        "SupportedMessagingContentTypes": ["contentTypes"], "ParticipantConfiguration": ["participant", "responseMode"],
        "DisconnectOnCustomerExit": ["disconnectOnCustomerExit"], RequestMembers.regionMember: ["region"],
        "Attributes": ["attributes"], "SegmentAttributes": ["segmentAttributes"],
        "ParticipantDetails.DisplayName": ["participant", "displayName"], "CustomerId": ["participant", "customerId"],
        "InitialMessage.ContentType": ["initialMessage", "contentType"], "InitialMessage.Content": ["initialMessage", "content"],
        "PersistentChat.RehydrationType": ["persistence", "rehydration"], "PersistentChat.SourceContactId": ["persistence"],
        "RelatedContactId": ["relatedContact"],
    ]

    /// True when `member`'s value in `profile` is written in the project file's
    /// `spec.defaults` (merged in by the loader, so its node lies in another file).
    static func takesFromDefaults(_ member: String, profile: ChatLaunchProfile) -> Bool {
        var path = specPaths[member]
        if path == nil, let dot = member.firstIndex(of: "."), let map = specPaths[String(member[..<dot])] {
            path = map + [String(member[member.index(after: dot)...])]
        }
        guard let path else { return false }
        return profile.fromDefaults.contains(path)
    }

    /// Why a persistent chat must wait for its source, or `nil` when it need not.
    private static func waiting(for source: String, lockfile: Lockfile, planned: PlannedCall?, now: Date) -> String? {
        if let planned, planned.action == .launch || planned.action == .relaunch || planned.action == .resume {
            // A source that itself waits is not launched by this plan: say what it waits for.
            if let waiting = planned.waitingFor { return "\(source) has not started: it is itself waiting (\(waiting))" }
            return "\(source) has not ended (it is launched in this plan)"
        }
        guard let entry = lockfile.entries[source]?.heldInMemory(), entry.contactId != nil, entry.status != .failed else {
            return "\(source) has no chat to continue yet"
        }
        if entry.hasEnded(at: now) { return nil }
        // Name what would move it on: its chat may have ended early, or may be stopped.
        let observed = entry.observed.map { "observed \($0.state.rawValue) at \(RFC3339.string(from: $0.refreshedAt)); " } ?? ""
        return "\(source) has not ended" + (entry.expiresAt.map { " (its chat runs until \(RFC3339.string(from: $0)))" } ?? "")
            + "; \(observed)`chatctl refresh` records an earlier end, `chatctl stop \(source)` ends it"
    }

    private static func orphan(_ name: String, entry: LockEntry, prune: Bool, now: Date) -> PlannedCall {
        let running = entry.status == .started && !entry.hasEnded(at: now)
        let removal = PlannedCall.Removal(generation: entry.generation, instance: entry.instance)
        if prune, running, let contact = entry.contactId {
            return PlannedCall(profile: name, operation: .stop(contact: contact, removal), reason: "profile removed", region: entry.region)
        }
        if prune, entry.status == .pending {
            // Its request may have started a chat whose id only a resend of the same request
            // (with the profile) can learn: forgetting the entry would lose that chat.
            let held = PlannedCall.Removal(
                generation: entry.generation, instance: entry.instance,
                held: "its launch is pending; restore the profile and apply to resume it (prune stops the chat once the "
                    + "profile is removed again), or apply --no-prune to forget it")
            return PlannedCall(profile: name, operation: .forget(held), reason: "profile removed", region: entry.region)
        }
        if prune, entry.status == .failed, let replaced = entry.replacing, replaced.mayRun(at: now) {
            // A refused relaunch left the chat it was to replace running: stop that one.
            let removal = PlannedCall.Removal(generation: entry.generation, instance: replaced.instance)
            return PlannedCall(
                profile: name, operation: .stop(contact: replaced.contactId, removal), reason: "profile removed",
                region: replaced.region)
        }
        let note = running ? "; prune is off, so its chat runs until it expires" : ""
        return PlannedCall(profile: name, operation: .forget(removal), reason: "profile removed\(note)", region: entry.region)
    }

    /// `sha256:` over the plan's inputs, in a fixed text form.
    private static func inputsDigest(_ calls: PlannedCalls, options: PlanOptions) -> String {
        var digest = SHA256.Incremental()
        digest.update("chatctl-plan-1\nprune=\(options.prune)\ntargets=\(options.targets.sorted())\n".utf8)
        digest.update("replace=\(options.replace.sorted())\nselector=\(options.selector?.description ?? "")\n".utf8)
        // Fed some 64 KiB at a time: the same bytes as a line `profile|digest|action|dependsOn`
        // of text per call, without a string per line or the whole text held at once.
        let bar = UInt8(ascii: "|")
        let pieceSize = 1 << 16
        var piece: [UInt8] = []
        piece.reserveCapacity(pieceSize + 1024)
        calls.forEachInputsLine { profile, storedDigest, action, dependsOn in
            piece.append(contentsOf: profile.utf8)
            piece.append(bar)
            if let storedDigest { storedDigest.appendText(to: &piece) } else { piece.append(UInt8(ascii: "-")) }
            piece.append(bar)
            piece.append(contentsOf: action.rawValue.utf8)
            piece.append(bar)
            for (position, name) in dependsOn.enumerated() {
                if position > 0 { piece.append(UInt8(ascii: ",")) }
                piece.append(contentsOf: name.utf8)
            }
            piece.append(0x0A)
            if piece.count >= pieceSize {
                digest.update(piece)
                piece.removeAll(keepingCapacity: true)
            }
        }
        digest.update(piece)
        return "sha256:" + digest.hexDigest()
    }
}
