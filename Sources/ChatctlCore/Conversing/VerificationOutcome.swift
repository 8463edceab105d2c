public import Foundation

/// How one scripted conversation ended: passed, or failed at a step with a reason and
/// what arrived instead; with the transcript it saw.
public struct VerificationOutcome: Sendable {
    /// Why a step failed.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Messages from the expected role arrived, none with the expected content.
        case wrongText = "wrong-text"
        /// A message with the expected content arrived from another role.
        case wrongRole = "wrong-role"
        /// Nothing that meets the step arrived in time.
        case timeout
        /// The chat ended before the step was met.
        case chatEndedEarly = "chat-ended-early"
        /// An `expect: {event: queued}` step saw no queueing.
        case neverQueued = "never-queued"
        /// The channel failed (a message could not be sent, the connection was lost).
        case channel
        /// A SIGINT or SIGTERM ended the run before the step was met: no verdict on the flow.
        case interrupted

        /// True when the reason says nothing of the flow (an error, not a failure).
        public var isError: Bool { self == .channel || self == .interrupted }
    }

    /// The failing step.
    public struct Failure: Sendable, Hashable {
        /// 1-based, as the steps are counted in docs/verify.md.
        public var step: Int
        /// The step as a phrase (`expect a BOT message that contains "billing"`).
        public var expected: String
        public var reason: Reason
        /// What went wrong and what arrived instead, in one sentence.
        public var message: String
    }

    /// When the first step began and when the conversation stopped.
    public var startedAt: Date
    public var finishedAt: Date
    /// Every item read, in the order first seen, each once (the completed form of a
    /// streamed message replaces its chunks).
    public var transcript: [ConversationItem]
    /// `nil` when every step was met.
    public var failure: Failure?

    /// Whether every step was met.
    public var passed: Bool { failure == nil }
}
