import Foundation
import ChatctlAWS

extension Applier {
    /// Launches (or resumes) one chat: the pending entry first, then the request, then
    /// its result, each on disk before the next step.
    func launch(_ call: PlannedCall, _ launch: PlannedCall.Launch, _ context: CallContext) async -> ApplyReport.Result {
        let definition = launch.definition
        var request = definition.request
        request.clientToken = launch.clientToken
        let previous = await context.journal.entry(call.profile)
        // A resume of the same definition resends the very request its token was first sent
        // with: the references it recorded, not the targets' contacts now (a target may have
        // been relaunched since, and another contact id would only earn
        // IdempotentParameterMismatchException for a chat that exists).
        let resent = call.action == .resume && previous?.status == .pending && previous?.clientToken == launch.clientToken
            && previous?.storedDigest == definition.storedDigest ? previous : nil
        var source: String?
        var related: String?
        for (target, isPersistence) in [(definition.persistenceFrom, true), (definition.relatedContactFrom, false)] {
            guard let target else { continue }
            var contact = isPersistence ? resent?.continuedFromContactId : resent?.relatedContactId
            if contact == nil { contact = await context.journal.entry(target)?.contactId }
            guard let contact else {
                return ApplyReport.Result(call, outcome: .skipped, message: "skipped: \(target) has no contact to refer to")
            }
            if isPersistence {
                request.persistentChat?.sourceContactId = contact
                source = contact
            } else {
                request.relatedContactId = contact
                related = contact
            }
        }
        let earlierAttempts = call.action == .resume ? (previous?.attempts ?? 0) : 0
        // The replaced chat goes into the pending entry: a crash, a refusal or a resume
        // keeps its contact id, so it can still be stopped.
        var entry = LockEntry(
            digest: definition.digest, generation: launch.generation, clientToken: launch.clientToken, status: .pending,
            continuedFromContactId: source, region: call.region, instance: definition.instance, attempts: earlierAttempts,
            relatedContactId: related, replacing: launch.replacing, members: definition.members)
        // Checked before the write-ahead: an interrupted apply leaves no pending entry for
        // a call it never started.
        if Task.isCancelled || options.interruption?.isRequested == true {
            return ApplyReport.Result(call, outcome: .skipped, message: StopReason.interrupted.message)
        }
        // Write-ahead: the token is on disk before the request leaves, so a crash at any
        // later moment resumes with the same token and Connect returns the same chat.
        do {
            try await context.journal.record(entry, for: call.profile)
        } catch {
            return ApplyReport.Result(call, failure: .notRecordedBeforeSending(error))
        }
        context.events(.started(profile: call.profile, action: call.action))

        let capacityDeadline = clock.now().addingTimeInterval(options.capacityWait)
        while true {
            do {
                try await context.capacity.waitUntilOpen()
            } catch {
                return await notSent(call, restoring: previous, context)
            }
            let response: StartChatContactResponse
            let attempts: Int
            do {
                (response, attempts) = try await launcher.startChat(request, region: call.region)
            } catch {
                entry.attempts = Self.sum(earlierAttempts, error.attempts)
                if error.kind == .notSent { return await notSent(call, restoring: previous, context) }
                let now = clock.now()
                if error.kind == .capacity, now < capacityDeadline {
                    context.events(.capacityPaused(profile: call.profile, message: error.message))
                    let pause = min(5, max(0.1, capacityDeadline.timeIntervalSince(now)))
                    await context.capacity.close(until: now.addingTimeInterval(pause))
                    continue
                }
                return await recordFailure(error, of: call, entry: entry, context)
            }
            return await recordStart(
                response, attempts: Self.sum(earlierAttempts, attempts), of: call, launch, entry: entry, source: source, context)
        }
    }

    private func recordStart(
        _ response: StartChatContactResponse, attempts: Int, of call: PlannedCall, _ launch: PlannedCall.Launch,
        entry pending: LockEntry, source: String?, _ context: CallContext
    ) async -> ApplyReport.Result {
        let startedAt = clock.now()
        let contact = response.contactId ?? ""
        var entry = pending
        entry.status = .started
        entry.contactId = response.contactId
        entry.participantId = response.participantId
        entry.participantTokenSha256 = response.participantToken.map { SHA256.hexDigest($0.value) }
        // The source this chat was asked to continue (what plan compares with the
        // source profile's contact); for ENTIRE_PAST_SESSION the answer may name a
        // later contact of that session.
        entry.continuedFromContactId = source ?? response.continuedFromContactId
        entry.startedAt = startedAt
        let minutes = launch.definition.durationMinutes ?? options.defaultDurationMinutes
        entry.expiresAt = startedAt.addingTimeInterval(Double(minutes) * 60)
        entry.attempts = attempts
        entry.error = nil
        entry.replacing = nil
        var result = ApplyReport.Result(call, outcome: .started)
        result.contactId = response.contactId
        // The participant token first: while the entry is still pending, a token that
        // cannot be written is not lost: the next apply resumes with the same client
        // token, and Amazon Connect answers the same chat with the same token again.
        if let outputs = context.outputs {
            do {
                try await outputs.record(
                    call.profile, response: response, startedAt: startedAt, region: call.region, instance: launch.definition.instance)
            } catch {
                result = ApplyReport.Result(call, failure: .tokenNotWritten(contactId: contact, error))
                result.contactId = response.contactId
                return result
            }
        }
        // The replaced chat is stopped before the start is recorded: until then the pending
        // entry still names it, so a crash between the two resumes (same chat) and stops it
        // again (an ended chat counts as stopped).
        if let replaced = launch.replacing, replaced.then == .stop,
           let instance = replaced.instance ?? launch.definition.instance {
            await stopReplaced(replaced.contactId, instance: instance, region: replaced.region ?? call.region, result: &result)
        }
        do {
            try await context.journal.record(entry, for: call.profile)
        } catch {
            result = ApplyReport.Result(call, failure: .startedButNotRecorded(contactId: contact, error))
            result.contactId = response.contactId
            return result
        }
        if let verifier = options.verifier, let conversation = launch.definition.verify {
            await converse(conversation, verifier: verifier, response: response, call: call, launch, entry: entry, result: &result, context)
        }
        return result
    }

    /// `apply --verify`: the conversation right after the launch (inside the chat's
    /// 5-minute window), its record in the entry, and a failed conversation failing the
    /// profile so that its dependants are skipped, as after a failed launch.
    private func converse(
        _ conversation: Conversation, verifier: LaunchedChatVerifier, response: StartChatContactResponse,
        call: PlannedCall, _ launch: PlannedCall.Launch, entry started: LockEntry, result: inout ApplyReport.Result,
        _ context: CallContext
    ) async {
        let verified = await verifier.verify(
            conversation, chat: response, instance: launch.definition.instance ?? launch.definition.request.instanceId,
            region: call.region)
        guard let outcome = verified.outcome else {
            result.outcome = .failed
            result.message = "the chat started, but its conversation could not: \(verified.setupError ?? "unknown")"
            return
        }
        result.verification = outcome
        if let failure = outcome.failure, failure.reason == .interrupted {
            // No verdict: the entry keeps what it had (the chat is recorded as started).
            result.message = "the chat started; its conversation was interrupted at step \(failure.step), so nothing is recorded of it "
                + "(run chatctl verify)"
            return
        }
        var entry = started
        entry.verification = LockEntry.Verification(outcome)
        do {
            try await context.journal.record(entry, for: call.profile)
        } catch {
            let contactId = result.contactId
            result = ApplyReport.Result(call, failure: .resultNotRecorded(error))
            result.contactId = contactId
            result.verification = outcome
            return
        }
        if let failure = outcome.failure {
            result.outcome = .failed
            result.message = "verification failed at step \(failure.step) (\(failure.expected)): \(failure.reason.rawValue): \(failure.message)"
        }
    }

    private func recordFailure(
        _ error: LaunchFailure, of call: PlannedCall, entry pending: LockEntry, _ context: CallContext
    ) async -> ApplyReport.Result {
        var entry = pending
        entry.error = LockEntry.Failure(code: error.code, message: error.message, requestId: error.requestId)
        // An unknown outcome stays pending: the next apply resends the same token. So
        // does a resume that fails for any reason: the first request's fate is still
        // unknown, and only its token can find out without launching a second chat.
        let stillUnknown = error.kind == .ambiguous || call.action == .resume
        entry.status = stillUnknown ? .pending : .failed
        var result = ApplyReport.Result(call, outcome: .failed)
        result.error = error
        if call.action == .resume, error.code == Planner.idempotencyMismatch {
            // Definite: a chat with this token exists, started with other parameters, and
            // Amazon Connect will never name it for these. Resending cannot help and a new
            // generation would be a second chat: the entry stays pending, held (plan says how on).
            result.message = "\(error.code): \(error.message); a chat with this client token exists with other parameters, "
                + "so the entry is held until `--replace \(call.profile)` launches a new generation"
        } else {
            result.message = stillUnknown
                ? "\(error.code): \(error.message); the outcome is unknown, the next apply resumes it with the same client token"
                : "\(error.code): \(error.message)"
        }
        do {
            try await context.journal.record(entry, for: call.profile)
        } catch {
            result.applyError = .resultNotRecorded(error)
            result.message = (result.message ?? "") + "; " + ApplyError.resultNotRecorded(error).message
        }
        return result
    }

    /// The request never left (cancelled before sending): the entry goes back to what
    /// it was, since no chat can exist for the new token.
    private func notSent(_ call: PlannedCall, restoring previous: LockEntry?, _ context: CallContext) async -> ApplyReport.Result {
        try? await context.journal.record(previous, for: call.profile)
        return ApplyReport.Result(call, outcome: .skipped, message: "not sent: apply was interrupted")
    }

    /// Stops the chat a relaunch replaced (with prune); a failure is reported, not fatal.
    private func stopReplaced(_ contact: String, instance: String, region: String?, result: inout ApplyReport.Result) async {
        do {
            _ = try await launcher.stopChat(StopContactRequest(contactId: contact, instanceId: instance), region: region)
            result.stoppedContactId = contact
        } catch where error.kind == .notFound {
            result.stoppedContactId = contact
        } catch {
            result.message = "the replaced chat \(contact) could not be stopped: \(error.code): \(error.message)"
        }
    }

    /// Attempt counts add up without trapping, even from a hand-edited lockfile.
    static func sum(_ first: Int, _ second: Int) -> Int {
        let (total, overflow) = first.addingReportingOverflow(second)
        return overflow ? Int.max : total
    }
}
