public import Foundation

/// The emulator's flows and fixtures, and the glue that starts a contact's flow on its chat.
public struct FlowRunner: Sendable, Hashable {
    /// The loaded flows.
    public var library: FlowLibrary
    /// What Lex, Lambda, hours and random splits answer.
    public var fixtures: FlowFixtures

    /// Creates a runner.
    public init(library: FlowLibrary = FlowLibrary(), fixtures: FlowFixtures = FlowFixtures()) {
        self.library = library
        self.fixtures = fixtures
    }

    /// The interpreter of a contact's flow, or `nil` when the ContactFlowId has no loaded
    /// flow (the chat then behaves as it does without flows).
    public func interpreter(contactFlowId: String, contactId: String, host: any FlowHost) -> FlowInterpreter? {
        let id = FlowLibrary.flowId(contactFlowId)
        guard let flow = library.flows[id] else { return nil }
        return FlowInterpreter(flow: flow, flowId: id, library: library, fixtures: fixtures, contactId: contactId, host: host)
    }

    /// Hooks a contact's flow on its chat's customer events: the flow starts when the
    /// customer connects and reacts to each message, on the emulator time `now` gives.
    ///
    /// - Returns: The interpreter (for its path, state and deadlines), or `nil` when the
    ///   ContactFlowId has no loaded flow; then the chat's events are left as they were.
    @discardableResult
    public func install(
        on chat: any FlowCustomerEventSource, contactFlowId: String, contactId: String,
        now: @escaping @Sendable () -> Date
    ) -> FlowInterpreter? {
        guard let interpreter = interpreter(contactFlowId: contactFlowId, contactId: contactId, host: chat) else { return nil }
        let previous = chat.onCustomerEvent
        // The chat keeps its interpreter alive through this hook.
        chat.onCustomerEvent = { event in
            previous(event)
            interpreter.handle(event, at: now())
        }
        return interpreter
    }
}
