import Foundation
@testable import ChatctlCore

/// A ``ConversationChannel`` in virtual time: the chat's side is a list of events at
/// given seconds after the start, plus replies that a sent message sets off. Waiting for
/// an event moves the shared ``VirtualApplyClock`` to it, or to the deadline when the next
/// event comes later, so a two-minute timeout takes no real time.
actor InMemoryConversationChannel: ConversationChannel {
    private let clock: VirtualApplyClock
    private let start: Date
    /// Pending events, in time order.
    private var pending: [(time: Date, event: ConversationEvent)] = []
    private let replies: [String: [(after: Double, event: ConversationEvent)]]
    private let sendFailure: ConversationChannelError?
    /// Every message sent, with the virtual second it was sent at.
    private(set) var sent: [(second: Double, content: String)] = []

    /// - Parameters:
    ///   - events: what the chat does on its own, at seconds after the start.
    ///   - replies: what it answers to a sent content, seconds after it was sent.
    init(
        clock: VirtualApplyClock, events: [(Double, ConversationEvent)],
        replies: [String: [(after: Double, event: ConversationEvent)]] = [:], sendFailure: ConversationChannelError? = nil
    ) {
        self.clock = clock
        start = clock.now()
        self.replies = replies
        self.sendFailure = sendFailure
        let begin = clock.now()
        pending = events.map { (begin.addingTimeInterval($0.0), $0.1) }.sorted { $0.time < $1.time }
    }

    func send(_ message: Conversation.Message) async throws(ConversationChannelError) {
        if let sendFailure { throw sendFailure }
        let now = clock.now()
        sent.append((now.timeIntervalSince(start), message.content))
        for reply in replies[message.content] ?? [] {
            pending.append((now.addingTimeInterval(reply.after), reply.event))
        }
        pending.sort { $0.time < $1.time }
    }

    func nextEvent(until deadline: Date) async throws(ConversationChannelError) -> ConversationEvent? {
        do {
            if let next = pending.first, next.time <= deadline {
                pending.removeFirst()
                try await clock.sleep(until: next.time)
                return next.event
            }
            try await clock.sleep(until: deadline)
            return nil
        } catch {
            throw ConversationChannelError(message: "cancelled")
        }
    }
}

/// Transcript items for the tests, their ids and times made up from a counter.
enum Say {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func message(
        _ id: String, _ role: Conversation.Role, _ content: String, at second: Double = 0, complete: Bool = true
    ) -> ConversationEvent {
        .item(ConversationItem(
            id: id, role: role, displayName: role == .customer ? "Synthetic customer" : role.rawValue.capitalized,
            content: content, time: start.addingTimeInterval(second), isComplete: complete))
    }

    static func event(_ id: String, _ contentType: String, at second: Double = 0) -> ConversationEvent {
        .item(ConversationItem(
            id: id, kind: .event, role: .system, contentType: contentType, content: nil,
            time: start.addingTimeInterval(second)))
    }
}
