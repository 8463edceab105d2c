/// A chat kept in memory: the transcript, attributes, queue and end a flow produced. The
/// in-memory ``FlowHost`` that tests, `chatctl validate`-time dry runs and examples use; the
/// emulator's chat session is the other host.
public final class RecordingFlowHost: FlowCustomerEventSource, @unchecked Sendable {
    /// One message of the transcript.
    public struct Message: Sendable, Hashable, CustomStringConvertible {
        public var role: FlowMessageRole
        public var displayName: String
        public var contentType: String
        public var content: String

        /// `SYSTEM: text`.
        public var description: String { "\(role.rawValue): \(content)" }
    }

    /// The messages in the order they were posted, the customer's included.
    public private(set) var messages: [Message] = []
    /// The contact's attributes.
    public private(set) var attributes: [String: String]
    /// The queue the contact was put in, once queued (`""` when queued without a queue id).
    public private(set) var queuedIn: String?
    /// Why the chat ended, once it has.
    public private(set) var endReason: FlowEndReason?
    /// The listener of customer events (set by ``FlowRunner``).
    public var onCustomerEvent: (FlowCustomerEvent) -> Void = { _ in }

    /// Creates a chat with the attributes StartChatContact gave.
    public init(attributes: [String: String] = [:]) {
        self.attributes = attributes
    }

    public func postMessage(role: FlowMessageRole, displayName: String, contentType: String, content: String) {
        messages.append(Message(role: role, displayName: displayName, contentType: contentType, content: content))
    }

    public func setAttributes(_ attributes: [String: String]) {
        self.attributes.merge(attributes) { _, new in new }
    }

    public func markQueued(queueId: String?) {
        queuedIn = queueId ?? ""
    }

    public func endChat(reason: FlowEndReason) {
        if endReason == nil { endReason = reason }
    }

    /// The customer connects: the event goes to the listener.
    public func connect() {
        onCustomerEvent(.connected)
    }

    /// The customer sends `text`: it joins the transcript, then goes to the listener. A
    /// chat that has ended takes no more messages, as the service answers 403.
    public func send(_ text: String, contentType: String = "text/plain") {
        guard endReason == nil else { return }
        messages.append(Message(role: .customer, displayName: "Customer", contentType: contentType, content: text))
        onCustomerEvent(.message(text: text, contentType: contentType))
    }
}
