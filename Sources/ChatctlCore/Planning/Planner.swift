public import Foundation
import ChatctlAWS

/// The planning stage: compares the valid profiles with the lockfile and decides, for
/// each, one action of SPEC section 6. Pure: no I/O, the time is passed in.
public struct Planner: Sendable {
    public init() {}

    /// The plan for `profiles` against `lockfile` at `now`.
    /// - Throws: ``PlanError`` when a `--target` or `--replace` names no profile, or the
    ///   selector matches none.
    public func plan(
        _ profiles: [ChatLaunchProfile], lockfile: Lockfile, options: PlanOptions, now: Date
    ) throws(PlanError) -> Plan {
        let byName = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = profiles.map(\.name)
        for (flag, list) in [("--target", options.targets), ("--replace", options.replace)] {
            for name in list where byName[name] == nil {
                throw .unknownProfile(name, flag: flag, known: names)
            }
        }
        let selected = try selection(profiles, byName: byName, options: options)
        var calls: [PlannedCall] = []
        var callIndex: [String: Int] = [:]
        for profile in Self.dependencyOrder(selected, byName: byName) {
            let call = plan(profile, lockfile: lockfile, options: options, planned: { name in
                callIndex[name].map { calls[$0] }
            }, now: now)
            callIndex[profile.name] = calls.count
            calls.append(call)
        }
        let filtered = !options.targets.isEmpty || options.selector != nil
        if !filtered {
            for name in lockfile.entries.keys.sorted() where byName[name] == nil {
                if let entry = lockfile.entries[name] {
                    calls.append(Self.orphan(name, entry: entry, prune: options.prune, now: now))
                }
            }
        }
        return Plan(calls: calls, lockfileSerial: lockfile.serial, inputsDigest: Self.inputsDigest(calls, options: options))
    }

    // MARK: Selection and order

    private func selection(
        _ profiles: [ChatLaunchProfile], byName: [String: ChatLaunchProfile], options: PlanOptions
    ) throws(PlanError) -> [ChatLaunchProfile] {
        guard !options.targets.isEmpty || options.selector != nil else { return profiles }
        // The roots: the targets, or every profile; the selector keeps those it matches.
        var roots = options.targets.isEmpty ? profiles.map(\.name) : options.targets
        if let selector = options.selector {
            roots = roots.filter { byName[$0].map { selector.matches($0.labels) } ?? false }
            if roots.isEmpty { throw .nothingSelected(selector) }
        }
        // A root brings what it depends on, as terraform's -target does: apply needs their
        // contacts and their order.
        var wanted = Set<String>()
        var stack = roots
        while let name = stack.popLast() {
            guard wanted.insert(name).inserted, let profile = byName[name] else { continue }
            stack += profile.references.map(\.target)
        }
        return profiles.filter { wanted.contains($0.name) }
    }

    /// Dependencies first, otherwise load order; iterative so long chains are fine.
    static func dependencyOrder(_ profiles: [ChatLaunchProfile], byName: [String: ChatLaunchProfile]) -> [ChatLaunchProfile] {
        let included = Set(profiles.map(\.name))
        var done = Set<String>()
        var order: [ChatLaunchProfile] = []
        for root in profiles where !done.contains(root.name) {
            var stack: [(profile: ChatLaunchProfile, next: Int)] = [(root, 0)]
            var onStack: Set<String> = [root.name]
            while let top = stack.indices.last {
                let (profile, next) = stack[top]
                let targets = profile.references.map(\.target)
                if next < targets.count {
                    stack[top].next += 1
                    let target = targets[next]
                    if included.contains(target), !done.contains(target), !onStack.contains(target),
                       let dependency = byName[target] {
                        stack.append((dependency, 0))
                        onStack.insert(target)
                    }
                    continue
                }
                stack.removeLast()
                onStack.remove(profile.name)
                if done.insert(profile.name).inserted { order.append(profile) }
            }
        }
        return order
    }

    // MARK: One profile

    private func plan(
        _ profile: ChatLaunchProfile, lockfile: Lockfile, options: PlanOptions,
        planned: (String) -> PlannedCall?, now: Date
    ) -> PlannedCall {
        let request = LaunchRequest.request(for: profile)
        let region = LaunchRequest.declaredRegion(of: profile, projectRegion: options.projectRegion)
        let digest = LaunchRequest.digest(of: request, region: region)
        let entry = lockfile.entries[profile.name]
        var dependsOn: [String] = []
        for reference in profile.references where !dependsOn.contains(reference.target) {
            dependsOn.append(reference.target)
        }
        var call = PlannedCall(profile: profile.name, action: .unchanged, reason: "", dependsOn: dependsOn)
        call.digest = digest
        call.request = request
        call.persistenceFrom = profile.references.first { $0.kind == .persistence }?.target
        call.relatedContactFrom = profile.references.first { $0.kind == .relatedContact }?.target
        call.instance = LaunchRequest.instanceID(of: profile)
        call.region = region
        call.durationMinutes = profile.durationMinutes
        call.location = profile.location

        (call.action, call.reason) = Self.decide(profile, entry: entry, digest: digest, options: options)
        // A reference to a profile that gets a new contact in this plan forces a relaunch.
        let dataReferences = profile.references.filter { $0.kind != .dependsOn }
        for reference in dataReferences {
            let targetChanges = planned(reference.target).map { $0.action == .launch || $0.action == .relaunch } ?? false
            let field = reference.kind == .persistence ? "persistence.from" : "relatedContact.from"
            if targetChanges {
                call.knownAfterApply.append("\(field): \(reference.target)")
                if call.action == .unchanged {
                    call.action = .relaunch
                    call.reason = "\(field) \(reference.target) is launched in this plan"
                }
            } else if reference.kind == .persistence, call.action == .unchanged, let entry,
                      let recorded = entry.continuedFromContactId,
                      let current = lockfile.entries[reference.target]?.contactId, current != recorded {
                call.action = .relaunch
                call.reason = "persistence.from \(reference.target) has a newer chat"
            }
        }
        guard call.action == .launch || call.action == .relaunch || call.action == .resume else {
            call.generation = entry?.generation
            call.clientToken = entry?.clientToken
            return call
        }
        if let source = dataReferences.first(where: { $0.kind == .persistence }) {
            call.waitingFor = Self.waiting(for: source.target, lockfile: lockfile, planned: planned(source.target), now: now)
        }
        if call.action == .resume, let entry {
            call.generation = entry.generation
            call.clientToken = entry.clientToken
        } else {
            let generation = (entry?.generation ?? 0) + 1
            call.generation = generation
            call.clientToken = profile.spec["clientToken"]?.stringValue
                ?? LaunchRequest.clientToken(
                    profile: profile.name, digest: digest, generation: generation, serial: lockfile.serial + 1)
        }
        if call.action == .relaunch, options.prune, let entry, entry.status == .started, !entry.hasEnded(at: now) {
            call.stopContactID = entry.contactId
        }
        return call
    }

    private static func decide(
        _ profile: ChatLaunchProfile, entry: LockEntry?, digest: String, options: PlanOptions
    ) -> (PlannedCall.Action, String) {
        guard let entry else { return (.launch, "not launched yet") }
        switch entry.status {
        case .failed:
            return (.launch, "the last launch failed" + (entry.error.map { " (\($0.code))" } ?? ""))
        case .pending:
            return entry.digest == digest
                ? (.resume, "a request was sent but its result was not recorded")
                : (.relaunch, "a request of an older definition was sent but its result was not recorded")
        case .started, .stopped:
            if options.replace.contains(profile.name) { return (.relaunch, "replacement requested (--replace)") }
            let changed = entry.digest != digest
            switch (profile.relaunch, changed) {
            case (.always, _): return (.relaunch, "relaunch: always")
            case (.onChange, true): return (.relaunch, "definition changed")
            case (.never, true): return (.unchanged, "definition changed, but relaunch is never")
            default: return (.unchanged, entry.status == .stopped ? "stopped" : "launched")
            }
        }
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
        return "\(source) has not ended" + (entry.expiresAt.map { " (its chat runs until \(RFC3339.string(from: $0)))" } ?? "")
    }

    private static func orphan(_ name: String, entry: LockEntry, prune: Bool, now: Date) -> PlannedCall {
        let running = entry.status == .started && !entry.hasEnded(at: now)
        var call: PlannedCall
        if prune, running, let contact = entry.contactId {
            call = PlannedCall(profile: name, action: .stop, reason: "profile removed")
            call.stopContactID = contact
        } else {
            let note = running ? "; prune is off, so its chat runs until it expires" : ""
            call = PlannedCall(profile: name, action: .forget, reason: "profile removed\(note)")
        }
        call.instance = entry.instance
        call.region = entry.region
        call.generation = entry.generation
        return call
    }

    /// `sha256:` over the plan's inputs, in a fixed text form.
    private static func inputsDigest(_ calls: [PlannedCall], options: PlanOptions) -> String {
        var text = "chatctl-plan-1\nprune=\(options.prune)\ntargets=\(options.targets.sorted())\n"
        text += "replace=\(options.replace.sorted())\nselector=\(options.selector?.description ?? "")\n"
        for call in calls {
            text += "\(call.profile)|\(call.digest ?? "-")|\(call.action.rawValue)|\(call.dependsOn.joined(separator: ","))\n"
        }
        return "sha256:" + SHA256.hexDigest(text)
    }
}
