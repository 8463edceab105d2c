public import Foundation

/// The conversing stage: runs a ``Conversation`` over a ``ConversationChannel`` and says
/// whether the chat answered as the script expects (docs/verify.md, "Timing rules").
///
/// - `send` sends at once.
/// - `expect` consumes the first completed item read after the previous step that meets
///   it; items meeting no step stay in the transcript and are not errors.
/// - Each step may wait until `within` after the previous step ended, and never past
///   the conversation's `timeout`, both read on the injected clock.
public struct Verifier: Sendable {
    private let clock: any ApplyClock

    /// - Parameter clock: the time source; the channel must wait on the same one.
    public init(clock: any ApplyClock = SystemApplyClock()) {
        self.clock = clock
    }

    /// Runs `conversation` over `channel`.
    /// - Returns: the outcome; a failure never throws, it is the outcome's `failure`.
    public func verify(_ conversation: Conversation, over channel: some ConversationChannel) async -> VerificationOutcome {
        var run = Run(started: clock.now(), timeoutSeconds: conversation.timeoutSeconds)
        for (index, step) in conversation.steps.enumerated() {
            let deadline = run.deadline(for: step, now: clock.now())
            var failure = Task.isCancelled ? nil : await perform(step, deadline: deadline, run: &run, over: channel)
            // Cancelled (a SIGINT): whatever the step met is no verdict on the flow; a read
            // that returned because of it would look like a timeout.
            if Task.isCancelled { failure = (.interrupted, "the run was interrupted before this step was met") }
            if let failure {
                run.failure = VerificationOutcome.Failure(
                    step: index + 1, expected: step.description, reason: failure.reason, message: failure.message)
                break
            }
        }
        return VerificationOutcome(
            startedAt: run.started, finishedAt: clock.now(), transcript: run.transcript, failure: run.failure)
    }

    private typealias StepFailure = (reason: VerificationOutcome.Reason, message: String)

    /// Runs one step; `nil` when it was met.
    private func perform(
        _ step: Conversation.Step, deadline: Run.Deadline, run: inout Run, over channel: some ConversationChannel
    ) async -> StepFailure? {
        var arrived: [ConversationItem] = []
        switch step {
        case .send(let message):
            if run.ended { return (.chatEndedEarly, "the chat had ended before this message could be sent") }
            do {
                try await channel.send(message)
            } catch {
                return (.channel, "the message could not be sent: \(error.message)")
            }
            return nil
        case .expectMessage(let role, let match, _):
            if run.ended { return (.chatEndedEarly, "the chat had ended before this step") }
            while true {
                let event: ConversationEvent?
                switch await Self.read(channel, until: deadline.time) {
                case .success(let next): event = next
                case .failure(let error): return (.channel, "the chat connection was lost: \(error.message)" + Self.instead(arrived))
                }
                guard let event else {
                    return Self.classify(arrived, role: role, match: match, otherwise: (.timeout, deadline.phrase))
                }
                switch run.record(event) {
                case .message(let item):
                    arrived.append(item)
                    if Self.isFrom(role, item), match.accepts(item.content ?? "") { return nil }
                case .happened(.chatEnded):
                    run.ended = true
                    return Self.classify(arrived, role: role, match: match, otherwise: (.chatEndedEarly, "the chat ended"))
                case .happened, .nothing:
                    continue
                }
            }
        case .expectEvent(let expected, _):
            while true {
                let event: ConversationEvent?
                switch await Self.read(channel, until: deadline.time) {
                case .success(let next): event = next
                case .failure(let error): return (.channel, "the chat connection was lost: \(error.message)" + Self.instead(arrived))
                }
                guard let event else {
                    let reason: VerificationOutcome.Reason = expected == .queued ? .neverQueued : .timeout
                    return (reason, "no \(expected.rawValue) event: " + deadline.phrase + Self.instead(arrived))
                }
                switch run.record(event) {
                case .happened(let happened) where happened == expected:
                    if happened == .chatEnded { run.ended = true }
                    return nil
                case .happened(.chatEnded):
                    run.ended = true
                    let reason: VerificationOutcome.Reason = expected == .queued ? .neverQueued : .chatEndedEarly
                    return (reason, "the chat ended before \(expected.rawValue)" + Self.instead(arrived))
                case .message(let item):
                    arrived.append(item)
                case .happened, .nothing:
                    continue
                }
            }
        }
    }

    /// The channel's next event, or why it failed, so both expect loops read it alike.
    private static func read(
        _ channel: some ConversationChannel, until deadline: Date
    ) async -> Result<ConversationEvent?, ConversationChannelError> {
        do {
            return .success(try await channel.nextEvent(until: deadline))
        } catch {
            return .failure(error)
        }
    }

    /// Whether `item` is from the sender a step's `from` names; with no `from`, any sender
    /// but the customer, whose own messages echo back in the transcript.
    private static func isFrom(_ role: Conversation.Role?, _ item: ConversationItem) -> Bool {
        role.map { $0.sent(item.role, displayName: item.displayName) } ?? (item.role != .customer)
    }

    /// The reason for a message step that was not met: a message with the right content
    /// from the wrong role, else messages from the right role with the wrong content,
    /// else `otherwise`.
    private static func classify(
        _ arrived: [ConversationItem], role: Conversation.Role?, match: Conversation.TextMatch, otherwise: StepFailure
    ) -> StepFailure {
        let messages = arrived.filter { $0.kind == .message }
        if let role, let wrong = messages.first(where: { !role.sent($0.role, displayName: $0.displayName) && match.accepts($0.content ?? "") }) {
            return (.wrongRole, "the message came from \(wrong.role?.rawValue ?? "no role"), not \(role.rawValue): \(wrong.summary)")
        }
        let fromRole = messages.filter { Self.isFrom(role, $0) }
        if !fromRole.isEmpty {
            return (.wrongText, "no message \(match.description) (\(otherwise.message))" + instead(arrived))
        }
        return (otherwise.reason, otherwise.message + instead(arrived))
    }

    /// `; arrived instead: …` with the last few messages of the step, or `; nothing arrived`.
    private static func instead(_ arrived: [ConversationItem]) -> String {
        guard !arrived.isEmpty else { return "; nothing arrived" }
        let shown = arrived.suffix(5).map(\.summary).joined(separator: ", ")
        return "; arrived instead: " + (arrived.count > 5 ? "… \(arrived.count - 5) more, " : "") + shown
    }
}

/// The state of one conversation: the clock's limits, the transcript read so far.
private struct Run {
    let started: Date
    let timeoutSeconds: Int
    var transcript: [ConversationItem] = []
    /// Index in `transcript` of each item id.
    var positions: [String: Int] = [:]
    var ended = false
    var failure: VerificationOutcome.Failure?

    init(started: Date, timeoutSeconds: Int) {
        self.started = started
        self.timeoutSeconds = timeoutSeconds
    }

    /// When a step stops waiting, and how to say why.
    struct Deadline {
        var time: Date
        var phrase: String
    }

    func deadline(for step: Conversation.Step, now: Date) -> Deadline {
        let whole = Deadline(
            time: started.addingTimeInterval(TimeInterval(timeoutSeconds)),
            phrase: "the conversation's timeout of \(VerifyRules.format(seconds: timeoutSeconds)) ran out")
        guard let within = step.within else { return whole }
        let own = now.addingTimeInterval(TimeInterval(within))
        return own < whole.time
            ? Deadline(time: own, phrase: "nothing met it within \(VerifyRules.format(seconds: within))") : whole
    }

    /// What an event meant for the script.
    enum Recorded {
        /// A completed message, read for the first time in its completed form.
        case message(ConversationItem)
        case happened(Conversation.Event)
        /// A repeat, a chunk of a message still arriving, or an item no step looks at.
        case nothing
    }

    /// Adds an event to the transcript, once per item id.
    mutating func record(_ event: ConversationEvent) -> Recorded {
        switch event {
        case .contact(.queued): return .happened(.queued)
        case .contact(.withAgent): return .happened(.withAgent)
        case .contact(.ended): return .happened(.chatEnded)
        case .item(let item):
            if let position = positions[item.id] {
                // Seen before: only the completion of a message still arriving is news.
                guard !transcript[position].isComplete else { return .nothing }
                transcript[position] = item
            } else {
                positions[item.id] = transcript.count
                transcript.append(item)
            }
            guard item.isComplete else { return .nothing }
            switch (item.kind, item.contentType) {
            case (.message, _): return .message(item)
            case (.event, ConversationItem.participantLeftType): return .happened(.participantLeft)
            case (.event, ConversationItem.chatEndedType): return .happened(.chatEnded)
            default: return .nothing
            }
        }
    }
}
