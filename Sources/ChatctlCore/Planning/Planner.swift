public import Foundation
import ChatctlAWS

/// The planning stage: compares the valid profiles with the lockfile and decides, for
/// each, one action of docs/plan-and-apply.md ("Actions and their reasons"). Pure: no I/O, the time is passed in.
public struct Planner: Sendable {
    public init() {}

    /// The plan for `profiles` against `lockfile` at `now`.
    /// - Throws: ``PlanError`` when a `--target` or `--replace` names no profile, or the
    ///   selector matches none.
    public func plan(
        _ profiles: [ChatLaunchProfile], lockfile: Lockfile, options: PlanOptions, now: Date
    ) throws(PlanError) -> Plan {
        // Profiles are handled by their index in `profiles` throughout (issue 15: no copy of
        // a profile per step); each name is hashed once, here.
        var indexOf: [String: Int] = [:]
        indexOf.reserveCapacity(profiles.count)
        for (index, profile) in profiles.enumerated() where indexOf[profile.name] == nil {
            indexOf[profile.name] = index
        }
        for (flag, list) in [("--target", options.targets), ("--replace", options.replace)] {
            for name in list where indexOf[name] == nil {
                throw .unknownProfile(name, flag: flag, known: profiles.map(\.name))
            }
        }
        let selected = try selection(profiles, indexOf: indexOf, options: options)
        let ordered = Self.dependencyOrder(of: selected, in: profiles, indexOf: indexOf)
        // Each profile's region, digest and (when a change may need them) member records on
        // all cores, in a few slices rather than one task per profile; the decisions follow
        // the dependency order, slice by slice as each is ready.
        let sliceLength = max(256, ordered.count / 64)
        let slices = stride(from: 0, to: ordered.count, by: sliceLength).map { ordered[$0..<min($0 + sliceLength, ordered.count)] }
        let filtered = !options.targets.isEmpty || options.selector != nil
        // The entries without a profile, planned last; only they are sorted (not every name).
        let orphans = filtered ? [] : lockfile.entries.keys.filter { indexOf[$0] == nil }.sorted()
        var calls: [PlannedCall] = []
        // Exactly: a call is over 200 bytes, and a doubling reserve would hold room for
        // another plan's worth of them.
        calls.reserveCapacity(ordered.count + orphans.count)
        // The call planned for each profile, by its index (-1: not planned yet).
        var callOf = [Int](repeating: -1, count: profiles.count)
        let salt = lockfile.memberSalt
        let projectRegion = options.projectRegion
        // The decisions of a slice are made as soon as it is prepared, while the next
        // slices are prepared on the other cores.
        try slices.parallelMap({ slice in
            slice.map { index in
                Prepared(profiles[index], entry: lockfile.entries[profiles[index].name], salt: salt, projectRegion: projectRegion)
            }
        }, consumingInOrder: { (position: Int, preparedSlice: [Prepared]) throws(PlanError) in
            for (index, prepared) in zip(slices[position], preparedSlice) {
                let call = try plan(profiles[index], prepared: prepared, lockfile: lockfile, options: options, planned: { name in
                    guard let target = indexOf[name], callOf[target] >= 0 else { return nil }
                    return calls[callOf[target]]
                }, now: now)
                callOf[index] = calls.count
                calls.append(call)
            }
        })
        for name in orphans {
            if let entry = lockfile.entries[name] {
                calls.append(Self.orphan(name, entry: entry, prune: options.prune, now: now))
            }
        }
        return Plan(calls: calls, lockfileSerial: lockfile.serial, inputsDigest: Self.inputsDigest(calls, options: options))
    }

    // MARK: Selection and order

    /// The indices of the profiles to plan, in load order.
    private func selection(
        _ profiles: [ChatLaunchProfile], indexOf: [String: Int], options: PlanOptions
    ) throws(PlanError) -> [Int] {
        guard !options.targets.isEmpty || options.selector != nil else { return Array(profiles.indices) }
        // The roots: the targets, or every profile; the selector keeps those it matches.
        var roots = options.targets.isEmpty ? profiles.map(\.name) : options.targets
        if let selector = options.selector {
            roots = roots.filter { indexOf[$0].map { selector.matches(profiles[$0].labels) } ?? false }
            if roots.isEmpty { throw .nothingSelected(selector) }
        }
        // A root brings what it depends on, as terraform's -target does: apply needs their
        // contacts and their order.
        var wanted = Set<String>()
        var stack = roots
        while let name = stack.popLast() {
            guard wanted.insert(name).inserted, let index = indexOf[name] else { continue }
            stack += profiles[index].references.map(\.target)
        }
        return profiles.indices.filter { wanted.contains(profiles[$0].name) }
    }

    /// Dependencies first, otherwise the order of `selected` (load order); iterative so long
    /// chains are fine. Takes and gives indices into `profiles`.
    static func dependencyOrder(of selected: [Int], in profiles: [ChatLaunchProfile], indexOf: [String: Int]) -> [Int] {
        var included = [Bool](repeating: false, count: profiles.count)
        for index in selected { included[index] = true }
        var done = [Bool](repeating: false, count: profiles.count)
        var onStack = [Bool](repeating: false, count: profiles.count)
        var order: [Int] = []
        order.reserveCapacity(selected.count)
        for root in selected where !done[root] {
            var stack: [(index: Int, next: Int)] = [(root, 0)]
            onStack[root] = true
            while let top = stack.indices.last {
                let (index, next) = stack[top]
                let references = profiles[index].references
                if next < references.count {
                    stack[top].next += 1
                    if let target = indexOf[references[next].target], included[target], !done[target], !onStack[target] {
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
        var region: String?
        var digest: HexDigestText
        /// Whether the profile's entry records another digest (false without an entry):
        /// compared once here, on both sides' bytes.
        var changed: Bool
        /// The member records, unless the profile is unchanged as far as its own entry
        /// says and that entry recorded its members (nothing then reads them).
        var members: [String: MemberRecord]?

        init(_ profile: ChatLaunchProfile, entry: LockEntry?, salt: String?, projectRegion: String?) {
            let request = profile.request
            region = LaunchRequest.declaredRegion(of: profile, projectRegion: projectRegion)
            // The one definition of a profile's digest (tests read it as text through
            // `LaunchRequest.digest(of:projectRegion:)`).
            let digest = LaunchRequest.storedDigest(of: profile, projectRegion: projectRegion)
            self.digest = digest
            changed = entry.map { $0.storedDigest != digest } ?? false
            if let entry, !changed, entry.memberStorage != nil, entry.status == .started || entry.status == .stopped {
                members = nil
            } else {
                members = salt.map { [region] in RequestMembers.record(of: request, region: region, salt: $0) }
            }
        }
    }

    private func plan(
        _ profile: ChatLaunchProfile, prepared: Prepared, lockfile: Lockfile, options: PlanOptions,
        planned: (String) -> PlannedCall?, now: Date
    ) throws(PlanError) -> PlannedCall {
        let request = profile.request
        let region = prepared.region
        let digest = prepared.digest
        let entry = lockfile.entries[profile.name]
        var dependsOn: [String] = []
        for reference in profile.references where !dependsOn.contains(reference.target) {
            dependsOn.append(reference.target)
        }
        let members = prepared.members
        var definition = PlannedCall.Definition(
            request: request, storedDigest: digest, instance: profile.instanceID,
            durationMinutes: profile.durationMinutes,
            persistenceFrom: profile.references.first { $0.kind == .persistence }?.target,
            relatedContactFrom: profile.references.first { $0.kind == .relatedContact }?.target, members: members,
            verify: profile.verify)
        // What changed, member by member, when the entry recorded its members.
        var changes: [MemberChange] = []
        if let entry, prepared.changed, let recorded = entry.members, let members {
            changes = RequestMembers.changes(from: recorded, to: members) { Self.takesFromDefaults($0, profile: profile) }
        }
        func call(_ operation: PlannedCall.Operation, _ reason: String) -> PlannedCall {
            var call = PlannedCall(
                profile: profile.name, operation: operation, reason: reason, dependsOn: dependsOn, region: region,
                location: profile.location)
            call.changes = changes
            return call
        }

        var (action, reason) = Self.decide(profile, entry: entry, changed: prepared.changed, options: options)
        var knownAfterApply: [String] = []
        // A reference to a profile that gets a new contact in this plan forces a relaunch.
        let dataReferences = profile.references.filter { $0.kind != .dependsOn }
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
            return call(.unchanged(definition, generation: entry.generation, clientToken: entry.clientToken), reason)
        }
        // A launch records its members: made now when the profile looked unchanged at first
        // (a forced or requested relaunch).
        if definition.members == nil, let salt = lockfile.memberSalt {
            definition.members = RequestMembers.record(of: request, region: region, salt: salt)
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
            if (changed || mismatched), options.replace.contains(profile.name) {
                action = .relaunch
                reason = "replacement requested (--replace)"
            } else {
                if changed {
                    waitingFor = "its definition changed while its request was pending; restore the definition it was sent "
                        + "with and apply to resume it, or `--replace \(profile.name)` to launch the new one as a new generation "
                        + "(a chat the pending request started is then left unrecorded)"
                } else if mismatched {
                    waitingFor = "a chat with client token \(entry.clientToken) exists with other parameters, which Amazon "
                        + "Connect will not name; `--replace \(profile.name)` launches a new generation and leaves that chat unrecorded"
                }
                return call(.resume(PlannedCall.Launch(
                    definition: definition, generation: entry.generation, clientToken: entry.clientToken, waitingFor: waitingFor,
                    knownAfterApply: knownAfterApply, replacing: replacing)), reason)
            }
        }
        // A hand-edited lockfile can hold the largest integer: never trap on it.
        let (generation, overflow) = (entry?.generation ?? 0).addingReportingOverflow(1)
        if overflow { throw .generationExhausted(profile.name, lockfile: entry?.generation ?? 0) }
        let clientToken = profile.clientToken
            ?? LaunchRequest.clientToken(
                // `&+`: at the largest serial apply refuses to write anyway (lockfile.serial).
                profile: profile.name, digest: digest.text, generation: generation, serial: lockfile.serial &+ 1)
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
        _ profile: ChatLaunchProfile, entry: LockEntry?, changed: Bool, options: PlanOptions
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
            if options.replace.contains(profile.name) { return (.relaunch, "replacement requested (--replace)") }
            switch (profile.relaunch, changed) {
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
        guard let entry = lockfile.entries[source], entry.contactId != nil, entry.status != .failed else {
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
    private static func inputsDigest(_ calls: [PlannedCall], options: PlanOptions) -> String {
        var digest = SHA256.Incremental()
        digest.update("chatctl-plan-1\nprune=\(options.prune)\ntargets=\(options.targets.sorted())\n".utf8)
        digest.update("replace=\(options.replace.sorted())\nselector=\(options.selector?.description ?? "")\n".utf8)
        // Fed piece by piece: the same bytes as a line `profile|digest|action|dependsOn` of
        // text per call, without a string per line or the whole text held at once.
        let bar = UInt8(ascii: "|")
        var callDigest: [UInt8] = []
        for call in calls {
            digest.update(call.profile.utf8)
            digest.update(byte: bar)
            callDigest.removeAll(keepingCapacity: true)
            if let stored = call.storedDigest { stored.appendText(to: &callDigest) } else { callDigest.append(UInt8(ascii: "-")) }
            digest.update(callDigest)
            digest.update(byte: bar)
            digest.update(call.action.rawValue.utf8)
            digest.update(byte: bar)
            for (position, name) in call.dependsOn.enumerated() {
                if position > 0 { digest.update(byte: UInt8(ascii: ",")) }
                digest.update(name.utf8)
            }
            digest.update(byte: 0x0A)
        }
        return "sha256:" + digest.hexDigest()
    }
}
