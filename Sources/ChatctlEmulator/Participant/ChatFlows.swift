import ChatctlAWS
import Foundation

/// The contact flow of every running chat: installs a chat's flow when StartChatContact
/// creates it, drives the flows' deadlines when `/_emulator/advance` moves the time, and
/// keeps each interpreter findable by contact id while its chat is active. When a chat ends,
/// its flow's path and state move into the chat's ``ChatRecord/flow`` and the interpreter
/// is dropped, so this holds no more than the active chats with a flow (plus those ended
/// since the last sweep).
///
/// None of its methods may be called while the emulator's state lock is held (see
/// ``ChatSessionFlowHost``'s lock order).
final class ChatFlows: Sendable {
    /// One chat's flow.
    final class Running: Sendable {
        let host: ChatSessionFlowHost
        let interpreter: FlowInterpreter
        /// How many steps of the path `--verbose` has seen.
        let loggedSteps = Locked(0)

        init(host: ChatSessionFlowHost, interpreter: FlowInterpreter) {
            self.host = host
            self.interpreter = interpreter
        }

        /// The path and state now.
        var record: ChatFlowRecord {
            ChatFlowRecord(contactFlowID: host.contactFlowID, path: interpreter.path, state: interpreter.state)
        }
    }

    private let runner: FlowRunner
    private let state: EmulatorStateLock
    private let log: (@Sendable (String) -> Void)?
    private let running = Locked<[String: Running]>([:])
    /// The count of running flows above which the next start sweeps out ended chats.
    private let sweepThreshold = Locked(64)

    /// Creates the registry.
    ///
    /// - Parameters:
    ///   - runner: the flows and fixtures (``EmulatorConfiguration/flowRunner``).
    ///   - log: `--verbose`: told, one line each, of actions that are not emulated.
    init(runner: FlowRunner, state: EmulatorStateLock, log: (@Sendable (String) -> Void)?) {
        self.runner = runner
        self.state = state
        self.log = log
    }

    /// A chat StartChatContact created: hooks the flow its ContactFlowId names on its
    /// session, on the emulator's time. A flow id with no loaded flow installs nothing
    /// (the chat then posts nothing of its own).
    func start(_ session: ChatSession, contact: EmulatedContact) {
        let host = ChatSessionFlowHost(session: session, contactFlowID: contact.contactFlowID)
        let time = state.time
        guard
            let interpreter = runner.install(
                on: host, contactFlowId: contact.contactFlowID, contactId: contact.contactID, now: { time.now })
        else { return }
        let flow = Running(host: host, interpreter: interpreter)
        // The session keeps the flow alive through its hook; the registry only finds it.
        session.onCustomerEvent = { [weak self] event in
            flow.host.hear(event)
            self?.settle(contact.contactID, flow)
        }
        let count = running.withLock { running in
            running[contact.contactID] = flow
            return running.count
        }
        if count > sweepThreshold.withLock({ $0 }) {
            let left = sweep()
            sweepThreshold.withLock { $0 = max(64, 2 * left) }
        }
    }

    /// Moves every flow whose deadline (a Wait's, a Lex bot's) is at or before `time` on
    /// to `time`, earliest deadline first, after dropping the flows of chats that ended.
    func advance(to time: Date) {
        sweep()
        let due = running.withLock { running in
            running.compactMap { id, flow in flow.interpreter.nextDeadline.map { (deadline: $0, id: id, flow: flow) } }
        }
        .filter { $0.deadline <= time }
        .sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        for item in due {
            item.flow.host.serialised { item.flow.interpreter.advance(to: time) }
            settle(item.id, item.flow)
        }
    }

    /// The path and state of the flow of `contactID`'s chat while it runs.
    func record(for contactID: String) -> ChatFlowRecord? {
        running.withLock { $0[contactID] }?.record
    }

    /// Forgets every flow (the emulator was reset).
    func reset() {
        running.withLock { $0.removeAll() }
    }

    /// After an event or a deadline: logs the actions not emulated, and retires the flow if
    /// its chat has ended.
    private func settle(_ contactID: String, _ flow: Running) {
        if let log {
            let path = flow.interpreter.path
            let start = flow.loggedSteps.withLock { seen in
                defer { seen = max(seen, path.count) }
                return seen
            }
            for step in path.dropFirst(start) where step.notEmulated {
                // Names only: no attribute value, no message text.
                log("contact \(contactID) flow \(step.flowId): \(step.action) (\(step.type)) is not emulated, took \(step.branch)")
            }
        }
        if !flow.host.session.isActive {
            retire([contactID: flow])
        }
    }

    /// Retires the flows of chats that are no longer active.
    ///
    /// - Returns: how many flows run on.
    @discardableResult
    private func sweep() -> Int {
        let all = running.withLock { $0 }
        let ended = state.withState { state, now in
            all.filter { id, _ in state.store.contact(id)?.state(at: now) != .active }
        }
        retire(ended)
        return all.count - ended.count
    }

    /// Keeps each flow's path and state in its chat's record, then drops the interpreter.
    private func retire(_ flows: [String: Running]) {
        guard !flows.isEmpty else { return }
        let records = flows.mapValues(\.record)
        state.withState { state, _ in
            for (id, record) in records { state.store.chats[id]?.flow = record }
        }
        running.withLock { running in
            for (id, flow) in flows where running[id] === flow { running[id] = nil }
        }
        // The session's hook holds the flow, and the flow's host the session: unhook, so
        // that an ended chat keeps no interpreter alive.
        for flow in flows.values { flow.host.session.onCustomerEvent = nil }
    }
}
