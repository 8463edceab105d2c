public import Foundation
import ChatctlAWS

/// Choices that shape how a plan is applied (docs/plan-and-apply.md, "What apply does").
public struct ApplyOptions: Sendable {
    /// Calls in flight at once (`--concurrency`).
    public var concurrency = 4
    /// Stop scheduling at the first failure (`--fail-fast`).
    public var failFast = false
    /// Seconds a launch waits for the active-chat quota to free up (`--capacity-wait`).
    public var capacityWait: Double = 0
    /// The duration Amazon Connect gives a chat without ChatDurationInMinutes (25 h).
    public var defaultDurationMinutes = 1500
    /// Set by the first SIGINT or SIGTERM: stop scheduling, let the calls in flight finish.
    public var interruption: ApplyInterruption?
    /// `--verify`: each launched chat whose profile has `spec.verify` converses right
    /// after its launch; a failed conversation fails the profile (its dependants are skipped).
    public var verifier: LaunchedChatVerifier?

    public init() {}
}

/// Why apply stopped scheduling before the end of the plan.
public enum StopReason: Sendable, Equatable {
    /// `--fail-fast`, after this profile failed.
    case failFast(after: String)
    /// A step could not be recorded (the lockfile or the outputs file): going on would
    /// launch chats whose results are lost.
    case journalFailure
    /// The task was cancelled.
    case interrupted

    /// What the calls never started are told.
    public var message: String {
        switch self {
        case .failFast(let profile): "not started: --fail-fast after \(profile) failed"
        case .journalFailure: "not started: the lockfile could not be written"
        case .interrupted: "not started: apply was interrupted"
        }
    }
}

/// The applying stage: runs a plan's calls in dependency order, `concurrency` at a
/// time, recording each step in the journal as it happens — a `pending` entry before a
/// request is sent (write-ahead), the result as soon as it arrives.
public struct Applier: Sendable {
    let launcher: any ChatLauncher
    let options: ApplyOptions
    let clock: any ApplyClock

    public init(launcher: any ChatLauncher, options: ApplyOptions = ApplyOptions(), clock: any ApplyClock = SystemApplyClock()) {
        self.launcher = launcher
        self.options = options
        self.clock = clock
    }

    /// Applies `plan` against `lockfile`, writing through `store`: each step appended to
    /// the lockfile's journal, which is folded into the lockfile at the end, whatever
    /// stopped the run (a failure reported in ``ApplyReport/journalNotFolded``).
    /// - Parameters:
    ///   - outputs: where participant tokens go (`--outputs`), or `nil` to keep none.
    ///   - events: progress, for a live line or log lines.
    public func apply(
        _ plan: Plan, lockfile: Lockfile, store: LockfileStore, outputs: ParticipantOutputs?,
        events: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) async -> ApplyReport {
        let journal = LockfileJournal(lockfile: lockfile, store: store)
        var report = await apply(plan, journal: journal, lockfilePath: store.path, outputs: outputs, events: events)
        report.journalNotFolded = await journal.finish()
        return report
    }

    /// Applies `plan`, recording every step in `journal`.
    /// - Parameter lockfilePath: named in the report.
    public func apply(
        _ plan: Plan, journal: any ApplyJournal, lockfilePath: String, outputs: ParticipantOutputs?,
        events: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) async -> ApplyReport {
        let context = CallContext(journal: journal, outputs: outputs, capacity: CapacityGate(clock: clock), events: events)
        // Apply plans from the full profiles, so every call is kept whole: one array of them.
        let calls = plan.calls.elements
        var schedule = ApplySchedule(calls)
        var stopReason: StopReason?

        await withTaskGroup(of: (index: Int, result: ApplyReport.Result).self) { group in
            var running = 0
            while true {
                if stopReason == nil, Task.isCancelled || options.interruption?.isRequested == true {
                    stopReason = .interrupted
                }
                while let index = schedule.nextReady() {
                    let call = calls[index]
                    if call.action == .unchanged {
                        // Nothing to do, whatever else happened: never reported as skipped.
                        var result = ApplyReport.Result(call, outcome: .unchanged)
                        result.contactId = await journal.entry(call.profile)?.contactId
                        schedule.finish(index, with: result, events: events)
                    } else if let waiting = call.waitingFor {
                        schedule.finish(index, with: ApplyReport.Result(call, outcome: .skipped, message: "waiting: \(waiting)"), events: events)
                    } else if let stopReason {
                        schedule.finish(index, with: ApplyReport.Result(call, outcome: .skipped, message: stopReason.message), events: events)
                    } else if running < max(1, options.concurrency) {
                        schedule.markRunning(index)
                        running += 1
                        group.addTask { (index, await self.run(call, context)) }
                    } else {
                        schedule.putBack(index)
                        break
                    }
                }
                guard running > 0, let (index, result) = await group.next() else { break }
                running -= 1
                schedule.finish(index, with: result, events: events)
                if result.outcome == .failed, stopReason == nil {
                    if result.applyError != nil {
                        stopReason = .journalFailure
                    } else if options.failFast {
                        stopReason = .failFast(after: result.profile)
                    }
                }
            }
        }
        let lockfile = await journal.snapshot()
        return ApplyReport(results: schedule.results(calls), lockfilePath: lockfilePath, serial: lockfile.serial, stopReason: stopReason)
    }

    /// What every call of one apply shares.
    struct CallContext: Sendable {
        let journal: any ApplyJournal
        let outputs: ParticipantOutputs?
        let capacity: CapacityGate
        let events: @Sendable (ApplyEvent) -> Void
    }

    private func run(_ call: PlannedCall, _ context: CallContext) async -> ApplyReport.Result {
        // An interrupted apply starts nothing more, and writes nothing for it.
        if Task.isCancelled || options.interruption?.isRequested == true { return ApplyReport.Result(call, outcome: .skipped, message: StopReason.interrupted.message) }
        switch call.operation {
        case .unchanged:
            return ApplyReport.Result(call, outcome: .unchanged)
        case .forget:
            return await forget(call, context)
        case .stop(let contact, let removal):
            context.events(.started(profile: call.profile, action: call.action))
            return await stop(call, contact: contact, removal: removal, context)
        case .launch(let launch), .relaunch(let launch), .resume(let launch):
            return await self.launch(call, launch, context)
        }
    }

    private func forget(_ call: PlannedCall, _ context: CallContext) async -> ApplyReport.Result {
        do {
            try await context.journal.record(nil, for: call.profile)
            return ApplyReport.Result(call, outcome: .forgotten)
        } catch {
            return ApplyReport.Result(call, failure: .resultNotRecorded(error))
        }
    }

    private func stop(
        _ call: PlannedCall, contact: String, removal: PlannedCall.Removal, _ context: CallContext
    ) async -> ApplyReport.Result {
        var result = ApplyReport.Result(call, outcome: .stopped)
        if let instance = removal.instance {
            do {
                _ = try await launcher.stopChat(StopContactRequest(contactId: contact, instanceId: instance), region: call.region)
            } catch where error.kind == .notFound {
                // Already ended: nothing left to stop.
            } catch {
                result.outcome = .failed
                result.error = error
                result.message = "StopContact failed: \(error.code): \(error.message)"
                return result
            }
            result.contactId = contact
        } else {
            // An entry recorded without its instance (an older or hand-edited lockfile)
            // cannot be stopped: it is forgotten.
            result.outcome = .forgotten
        }
        do {
            try await context.journal.record(nil, for: call.profile)
        } catch {
            return ApplyReport.Result(call, failure: .resultNotRecorded(error))
        }
        return result
    }
}
