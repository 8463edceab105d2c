public import Foundation
import ChatctlAWS

/// Choices that shape how a plan is applied (SPEC sections 5 and 6).
public struct ApplyOptions: Sendable {
    /// Calls in flight at once (`--concurrency`).
    public var concurrency = 4
    /// Stop scheduling at the first failure (`--fail-fast`).
    public var failFast = false
    /// Seconds a launch waits for the active-chat quota to free up (`--capacity-wait`).
    public var capacityWait: Double = 0
    /// The duration Amazon Connect gives a chat without ChatDurationInMinutes (25 h).
    public var defaultDurationMinutes = 1500

    public init() {}
}

/// The applying stage: runs a plan's calls in dependency order, `concurrency` at a
/// time, recording each step in the lockfile as it happens — a `pending` entry before a
/// request is sent (write-ahead), the result as soon as it arrives.
public struct Applier: Sendable {
    private let launcher: any ChatLauncher
    private let options: ApplyOptions
    private let now: @Sendable () -> Date

    public init(launcher: any ChatLauncher, options: ApplyOptions = ApplyOptions(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.launcher = launcher
        self.options = options
        self.now = now
    }

    /// Applies `plan` against `lockfile`, writing through `store`.
    /// - Parameters:
    ///   - outputsPath: where participant tokens go (`--outputs`), or `nil` to keep none.
    ///   - events: progress, for a live line or log lines.
    public func apply(
        _ plan: Plan, lockfile: Lockfile, store: LockfileStore, outputsPath: String?,
        events: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) async -> ApplyReport {
        let journal = ApplyJournal(lockfile: lockfile, store: store, outputsPath: outputsPath)
        let capacity = CapacityGate()
        let inPlan = Set(plan.calls.map(\.profile))
        var results: [String: ApplyReport.Result] = [:]
        var started = Set<String>()
        var stopReason: String?

        await withTaskGroup(of: ApplyReport.Result.self) { group in
            var running = 0
            while true {
                for call in plan.calls where !started.contains(call.profile) {
                    if let blocker = Self.blocker(of: call, inPlan: inPlan, results: results) {
                        guard let reason = blocker else { continue }   // dependencies still running
                        started.insert(call.profile)
                        results[call.profile] = Self.skipped(call, reason)
                        events(.finished(Self.skipped(call, reason)))
                        continue
                    }
                    if let stopReason {
                        started.insert(call.profile)
                        results[call.profile] = Self.skipped(call, stopReason)
                        events(.finished(Self.skipped(call, stopReason)))
                        continue
                    }
                    guard running < max(1, options.concurrency) else { break }
                    started.insert(call.profile)
                    running += 1
                    group.addTask { await self.run(call, journal: journal, capacity: capacity, events: events) }
                }
                guard running > 0, let result = await group.next() else { break }
                running -= 1
                results[result.profile] = result
                events(.finished(result))
                if result.outcome == .failed, stopReason == nil {
                    if options.failFast { stopReason = "not started: --fail-fast after \(result.profile) failed" }
                    if result.error?.code == "lockfile.io" { stopReason = "not started: the lockfile could not be written" }
                }
            }
        }
        let lockfile = await journal.lockfile
        return ApplyReport(
            results: plan.calls.compactMap { results[$0.profile] }, lockfilePath: store.path, serial: lockfile.serial)
    }

    /// `nil` when `call` may start; `.some(nil)` while a dependency is still running;
    /// `.some(reason)` when it must be skipped.
    private static func blocker(of call: PlannedCall, inPlan: Set<String>, results: [String: ApplyReport.Result]) -> String?? {
        if let waiting = call.waitingFor { return .some("waiting: \(waiting)") }
        for dependency in call.dependsOn where inPlan.contains(dependency) {
            guard let result = results[dependency] else { return .some(nil) }
            switch result.outcome {
            case .failed: return .some("skipped: \(dependency) failed")
            case .skipped: return .some("skipped: \(dependency) was not applied")
            default: continue
            }
        }
        return nil
    }

    private static func skipped(_ call: PlannedCall, _ reason: String) -> ApplyReport.Result {
        ApplyReport.Result(
            profile: call.profile, action: call.action, outcome: .skipped, contactId: nil, generation: call.generation,
            message: reason, error: nil, location: call.location)
    }

    private func run(
        _ call: PlannedCall, journal: ApplyJournal, capacity: CapacityGate, events: @Sendable (ApplyEvent) -> Void
    ) async -> ApplyReport.Result {
        var result = ApplyReport.Result(
            profile: call.profile, action: call.action, outcome: .unchanged, contactId: nil,
            generation: call.generation, message: nil, error: nil, location: call.location)
        do {
            switch call.action {
            case .unchanged:
                result.contactId = await journal.entry(call.profile)?.contactId
            case .forget:
                try await journal.set(call.profile, nil)
                result.outcome = .forgotten
            case .stop:
                events(.started(profile: call.profile, action: call.action))
                try await stop(call, journal: journal, result: &result)
            case .launch, .relaunch, .resume:
                try await launch(call, journal: journal, capacity: capacity, events: events, result: &result)
            }
        } catch {
            result.outcome = .failed
            result.message = error.diagnostic.message
            result.error = LaunchFailure(kind: .refused, code: "lockfile.io", message: error.diagnostic.message, attempts: 0)
        }
        return result
    }

    private func stop(_ call: PlannedCall, journal: ApplyJournal, result: inout ApplyReport.Result) async throws(LockfileError) {
        guard let contact = call.stopContactID, let instance = call.instance else {
            try await journal.set(call.profile, nil)
            result.outcome = .forgotten
            return
        }
        do {
            _ = try await launcher.stopChat(StopContactRequest(contactId: contact, instanceId: instance), region: call.region)
        } catch where error.kind == .notFound {
            // Already ended: nothing left to stop.
        } catch {
            result.outcome = .failed
            result.error = error
            result.message = "StopContact failed: \(error.code): \(error.message)"
            return
        }
        try await journal.set(call.profile, nil)
        result.outcome = .stopped
        result.contactId = contact
    }

    private func launch(
        _ call: PlannedCall, journal: ApplyJournal, capacity: CapacityGate,
        events: @Sendable (ApplyEvent) -> Void, result: inout ApplyReport.Result
    ) async throws(LockfileError) {
        guard var request = call.request, let digest = call.digest, let generation = call.generation,
              let token = call.clientToken else {
            result.outcome = .skipped
            result.message = "skipped: the plan has no request for it"
            return
        }
        request.clientToken = token
        var source: String?
        for (target, isPersistence) in [(call.persistenceFrom, true), (call.relatedContactFrom, false)] {
            guard let target else { continue }
            guard let contact = await journal.entry(target)?.contactId else {
                result.outcome = .skipped
                result.message = "skipped: \(target) has no contact to refer to"
                return
            }
            if isPersistence {
                request.persistentChat?.sourceContactId = contact
                source = contact
            } else {
                request.relatedContactId = contact
            }
        }
        let previous = await journal.entry(call.profile)
        let earlierAttempts = call.action == .resume ? (previous?.attempts ?? 0) : 0
        var entry = LockEntry(
            digest: digest, generation: generation, clientToken: token, status: .pending,
            continuedFromContactId: source, region: call.region, instance: call.instance, attempts: earlierAttempts)
        // Write-ahead: the token is on disk before the request leaves, so a crash at any
        // later moment resumes with the same token and Connect returns the same chat.
        try await journal.set(call.profile, entry)
        events(.started(profile: call.profile, action: call.action))

        let capacityDeadline = now().addingTimeInterval(options.capacityWait)
        while true {
            await capacity.waitUntilOpen()
            let outcome: Result<(response: StartChatContactResponse, attempts: Int), LaunchFailure>
            do {
                outcome = .success(try await launcher.startChat(request, region: call.region))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let (response, attempts)):
                let startedAt = now()
                entry.status = .started
                entry.contactId = response.contactId
                entry.participantId = response.participantId
                entry.participantTokenSha256 = response.participantToken.map { SHA256.hexDigest($0.value) }
                // The source this chat was asked to continue (what plan compares with the
                // source profile's contact); for ENTIRE_PAST_SESSION the answer may name a
                // later contact of that session.
                entry.continuedFromContactId = source ?? response.continuedFromContactId
                entry.startedAt = startedAt
                let minutes = call.durationMinutes ?? options.defaultDurationMinutes
                entry.expiresAt = startedAt.addingTimeInterval(Double(minutes) * 60)
                entry.attempts = earlierAttempts + attempts
                entry.error = nil
                try await journal.set(call.profile, entry)
                try await journal.recordParticipant(
                    call.profile, response: response, startedAt: startedAt, region: call.region, instance: call.instance)
                result.outcome = .started
                result.contactId = response.contactId
                if let old = call.stopContactID, let instance = call.instance {
                    await stopReplaced(old, instance: instance, region: call.region, result: &result)
                }
                return
            case .failure(let error):
                entry.attempts = earlierAttempts + error.attempts
                if error.kind == .capacity, now() < capacityDeadline {
                    events(.capacityPaused(profile: call.profile, message: error.message))
                    await capacity.close(for: min(5, max(0.1, capacityDeadline.timeIntervalSince(now()))))
                    continue
                }
                entry.error = LockEntry.Failure(code: error.code, message: error.message, requestId: error.requestId)
                // An unknown outcome stays pending: the next apply resends the same token. So
                // does a resume that fails for any reason: the first request's fate is still
                // unknown, and only its token can find out without launching a second chat.
                let stillUnknown = error.kind == .ambiguous || call.action == .resume
                entry.status = stillUnknown ? .pending : .failed
                try await journal.set(call.profile, entry)
                result.outcome = .failed
                result.error = error
                result.message = stillUnknown
                    ? "\(error.code): \(error.message); the outcome is unknown, the next apply resumes it with the same client token"
                    : "\(error.code): \(error.message)"
                return
            }
        }
    }

    /// Stops the chat a relaunch replaced (with prune); a failure is reported, not fatal.
    private func stopReplaced(_ contact: String, instance: String, region: String?, result: inout ApplyReport.Result) async {
        do {
            _ = try await launcher.stopChat(StopContactRequest(contactId: contact, instanceId: instance), region: region)
        } catch where error.kind == .notFound {
        } catch {
            result.message = "the replaced chat \(contact) could not be stopped: \(error.code): \(error.message)"
        }
    }
}

/// Pauses new launches while the instance's active-chat quota is full.
actor CapacityGate {
    private var closedUntil: Date?

    func close(for seconds: Double) async {
        let until = Date().addingTimeInterval(seconds)
        if closedUntil.map({ $0 < until }) ?? true { closedUntil = until }
        await waitUntilOpen()
    }

    func waitUntilOpen() async {
        while let until = closedUntil, until > Date() {
            try? await Task.sleep(nanoseconds: UInt64(until.timeIntervalSinceNow * 1_000_000_000))
        }
        closedUntil = nil
    }
}
