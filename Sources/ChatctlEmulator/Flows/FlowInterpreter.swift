import ChatctlAWS
public import Foundation

/// Runs one contact's flow: a deterministic state machine driven by the customer's events
/// and the emulator clock, acting on its chat through a ``FlowHost``.
///
/// The flow starts at `StartAction` when the customer connects and runs until it waits
/// (a Lex bot's question, a Wait action), queues the contact, or ends. Every action it goes
/// through is recorded in ``path``. Calls are serialised by a lock; the host is called while
/// it is held.
public final class FlowInterpreter: @unchecked Sendable {
    /// Where the flow is.
    public enum State: Sendable, Hashable {
        /// The customer has not connected yet.
        case notStarted
        /// Waiting for the customer's next message or for a deadline.
        case waiting(action: String, until: Date?)
        /// The contact was transferred to a queue; the flow has ended.
        case queued(queueId: String?)
        /// The flow has ended, and with it the chat.
        case ended(FlowEndReason)
    }

    /// What an action's execution decided.
    enum Outcome {
        /// Go on with the default successor.
        case next
        /// Go to the successor of the first condition `result` satisfies, else NoMatchingCondition.
        case result(String)
        /// Take the error branch of this type (or `NoMatchingError`).
        case error(String, note: String?, notEmulated: Bool = false)
        /// Wait for the customer or the deadline.
        case wait(until: Date?)
        /// Continue at another flow's start.
        case transfer(FlowDocument, id: String)
        /// The flow ends here: queued, or the chat ends.
        case queued(String?)
        case end(FlowEndReason)
    }

    /// What a waiting action is waiting for.
    enum Pending {
        case lex(FlowAction, bot: String)
        case wait(FlowAction)
    }

    /// An endless loop of actions that never wait is cut after this many actions in one go.
    public static let maximumActionsWithoutWaiting = 1_000

    let library: FlowLibrary
    let fixtures: FlowFixtures
    /// Weak: the chat owns its interpreter (through its event hook), not the reverse.
    weak var host: (any FlowHost)?
    private let lock = NSLock()
    var flow: FlowDocument
    var flowId: String
    var data: FlowData
    var random: SplitMix64
    var targetQueue: String?
    var pending: Pending?
    var now = Date(timeIntervalSince1970: 0)
    private var currentState: State = .notStarted
    private var steps: [FlowStep] = []

    /// Creates the interpreter of a contact's flow.
    ///
    /// - Parameters:
    ///   - flow: The contact's flow.
    ///   - flowId: Its contact-flow id (as the path records it).
    ///   - library: Every loaded flow, for TransferToFlow.
    ///   - fixtures: Lex bots, Lambda functions, hours and the seed.
    ///   - contactId: The contact's id: with the fixtures' seed, it seeds the random splits,
    ///     so each contact draws its own values and a run repeats exactly.
    ///   - host: The chat the flow acts on.
    public init(
        flow: FlowDocument, flowId: String, library: FlowLibrary, fixtures: FlowFixtures, contactId: String,
        host: any FlowHost
    ) {
        self.flow = flow
        self.flowId = flowId
        self.library = library
        self.fixtures = fixtures
        self.host = host
        data = FlowData(attributes: [:])
        var seed = fixtures.seed
        for byte in contactId.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        random = SplitMix64(seed: seed)
    }

    /// Where the flow is.
    public var state: State { lock.withLock { currentState } }

    /// The actions gone through so far, in order, with the branch each took.
    public var path: [FlowStep] { lock.withLock { steps } }

    /// When the flow next needs ``advance(to:)``: a Wait's or a Lex bot's deadline.
    public var nextDeadline: Date? {
        lock.withLock {
            if case .waiting(_, let until) = currentState { return until }
            return nil
        }
    }

    /// Handles a customer event at emulator time `time`.
    ///
    /// `connected` starts the flow (once); a message answers a waiting Lex bot or ends a
    /// Wait with `CustomerReturned`; a message while the flow does not wait changes nothing.
    public func handle(_ event: FlowCustomerEvent, at time: Date) {
        lock.withLock {
            now = time
            switch (event, currentState) {
            case (.connected, .notStarted):
                run(from: flow.startAction)
            case (.message(let text, _), .waiting):
                resume(withMessage: text)
            default:
                break
            }
        }
    }

    /// Moves the flow's time to `time`: a Wait whose time has come takes `WaitCompleted`, a
    /// Lex bot that got no answer in time takes `InputTimeLimitExceeded`.
    public func advance(to time: Date) {
        lock.withLock {
            now = max(now, time)
            guard case .waiting(_, let until?) = currentState, until <= now, let pending else { return }
            self.pending = nil
            switch pending {
            case .wait(let action):
                follow(action, .result("WaitCompleted"), branchNote: "timed out")
            case .lex(let action, _):
                follow(action, .error("InputTimeLimitExceeded", note: "the customer did not answer in time"), branchNote: nil)
            }
        }
    }

    // MARK: The loop

    /// Runs actions from `identifier` until the flow waits or ends.
    func run(from identifier: String) {
        data.attributes = host?.attributes ?? data.attributes
        var next: String? = identifier
        var count = 0
        while let current = next {
            guard let action = flow.action(current) else {
                // The validator refuses dangling references; a transfer to a flow without
                // its start action is the one way here.
                finish(.flowError, note: "no action \(current) in flow \(flowId)")
                return
            }
            count += 1
            if count > Self.maximumActionsWithoutWaiting {
                record(action, branch: "end", next: nil, note: "stopped after \(Self.maximumActionsWithoutWaiting) actions without waiting (a loop)")
                finish(.flowError, note: nil)
                return
            }
            next = step(action)
        }
    }

    /// Executes one action and records it; returns the next action, or `nil` when the flow
    /// waits or has ended.
    func step(_ action: FlowAction) -> String? {
        follow(action, execute(action), branchNote: nil, continuing: false)
    }

    /// Records `outcome` of `action` and works out the successor; with `continuing`, runs on
    /// from it (for an action resumed by an event).
    @discardableResult
    func follow(_ action: FlowAction, _ outcome: Outcome, branchNote: String?, continuing: Bool = true) -> String? {
        var successor: String?
        switch outcome {
        case .next:
            successor = action.transitions.nextAction
            record(action, branch: "NextAction", next: successor, note: branchNote)
        case .result(let value):
            // The value is not recorded: a Compare's value is a contact attribute, which the
            // admin API must not show.
            if let (index, condition) = action.transitions.conditions.enumerated().first(where: { _, condition in
                condition.operands.contains { condition.comparison.holds(for: value, against: $0) }
            }) {
                successor = condition.nextAction
                record(action, branch: "Conditions[\(index)]", next: successor, note: branchNote)
            } else {
                return follow(action, .error("NoMatchingCondition", note: branchNote), branchNote: branchNote, continuing: continuing)
            }
        case .error(let type, let note, let notEmulated):
            let branch = action.transitions.errors.first { $0.errorType == type }
                ?? action.transitions.errors.first { $0.errorType == "NoMatchingError" }
            if let branch {
                successor = branch.nextAction
                record(action, branch: "Errors:\(branch.errorType)", next: successor, note: note, notEmulated: notEmulated)
            } else if type == "NoMatchingCondition", let next = action.transitions.nextAction {
                successor = next
                record(action, branch: "NextAction", next: successor, note: note)
            } else {
                record(action, branch: "Errors:\(type)", next: nil, note: (note.map { $0 + "; " } ?? "") + "no error branch", notEmulated: notEmulated)
                finish(.flowError, note: nil)
                return nil
            }
        case .wait(let until):
            record(action, branch: "waiting", next: nil, note: branchNote)
            currentState = .waiting(action: action.identifier, until: until)
            return nil
        case .transfer(let document, let id):
            record(action, branch: "NextAction", next: "\(id):\(document.startAction)", note: nil)
            flow = document
            flowId = id
            successor = document.startAction
        case .queued(let queue):
            record(action, branch: "end", next: nil, note: "queued in \(queue ?? "no queue")")
            host?.markQueued(queueId: queue)
            currentState = .queued(queueId: queue)
            return nil
        case .end(let reason):
            record(action, branch: "end", next: nil, note: nil)
            finish(reason, note: nil)
            return nil
        }
        guard let successor else {
            finish(.flowEnded, note: nil)
            return nil
        }
        if continuing {
            run(from: successor)
            return nil
        }
        return successor
    }

    /// A customer message for the action the flow waits on.
    func resume(withMessage text: String) {
        guard let pending else { return }
        self.pending = nil
        data.attributes = host?.attributes ?? data.attributes
        switch pending {
        case .wait(let action):
            // A Wait that lists its Events returns only on those (CustomerReturned here).
            if let events = action.parameters["Events"]?.arrayValue, !events.contains(.string("CustomerReturned")) {
                self.pending = pending
                return
            }
            follow(action, .result("CustomerReturned"), branchNote: "the customer returned")
        case .lex(let action, let bot):
            follow(action, answerLex(action, bot: bot, message: text), branchNote: nil)
        }
    }

    func finish(_ reason: FlowEndReason, note: String?) {
        if case .ended = currentState { return }
        currentState = .ended(reason)
        pending = nil
        host?.endChat(reason: reason)
    }

    func record(_ action: FlowAction, branch: String, next: String?, note: String?, notEmulated: Bool = false) {
        steps.append(FlowStep(
            flowId: flowId, action: action.identifier, type: action.type, branch: branch, next: next, note: note,
            notEmulated: notEmulated, at: now))
    }

    // MARK: Dispatch

    /// Runs `action` and says where it goes.
    func execute(_ action: FlowAction) -> Outcome {
        switch action.type {
        case "MessageParticipant": return messageParticipant(action)
        case "DisconnectParticipant": return .end(.disconnected)
        case "ConnectParticipantWithLexBot": return connectLexBot(action)
        case "GetParticipantInput":
            return .error("NoMatchingError", note: "GetParticipantInput takes its error branch on chat without Lex, as in the service", notEmulated: true)
        case "UpdateContactAttributes": return updateContactAttributes(action)
        case "UpdateContactTargetQueue": return updateTargetQueue(action)
        case "TransferContactToQueue": return transferToQueue(action)
        case "Compare": return compare(action)
        case "TransferToFlow": return transferToFlow(action)
        case "EndFlowExecution": return .end(.flowEnded)
        case "CheckHoursOfOperation": return checkHours(action)
        case "DistributeByPercentage": return distribute(action)
        case "Wait": return wait(action)
        case "InvokeLambdaFunction": return invokeLambda(action)
        case _ where FlowActionCatalogue.setters.contains(action.type): return .next
        default:
            return .error("NoMatchingError", note: "\(action.type) is not emulated", notEmulated: true)
        }
    }
}
