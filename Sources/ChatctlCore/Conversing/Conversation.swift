import Foundation

/// A profile's `spec.verify`, typed: the steps of a scripted conversation, its timeout and
/// its cleanup policy (docs/verify.md). Built by validation from a profile that passed it,
/// so every duration is in range and every regular expression compiles.
public struct Conversation: Sendable {
    /// When the conversation's chat is ended afterwards.
    public enum Cleanup: String, Sendable, Hashable, CaseIterable {
        case always
        case onSuccess = "on-success"
        case never
    }

    /// The sender of a transcript item (`Item.ParticipantRole`).
    public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
        case system = "SYSTEM"
        case bot = "BOT"
        case agent = "AGENT"
        case customer = "CUSTOMER"
        case supervisor = "SUPERVISOR"
        case customBot = "CUSTOM_BOT"

        /// Whether an item sent by `role` under `displayName` is from this sender, as a
        /// step's `from` means it. `BOT` is a bot however the service labels it: the
        /// Participant Service has no `BOT` role, a flow's own bot posts as `CUSTOM_BOT`, and
        /// a Lex bot's messages come as `SYSTEM` with the display name `BOT` (research
        /// §1.6). Every other role is itself.
        public func sent(_ role: Role?, displayName: String?) -> Bool {
            switch self {
            case .bot: role == .bot || role == .customBot || (role == .system && displayName == "BOT")
            default: role == self
            }
        }
    }

    /// What an event step waits for.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        /// The transcript's `application/vnd.amazonaws.connect.event.chat.ended`.
        case chatEnded = "chat-ended"
        /// The transcript's `application/vnd.amazonaws.connect.event.participant.left`.
        case participantLeft = "participant-left"
        /// DescribeContact's `QueueInfo.EnqueueTimestamp` appeared.
        case queued
        /// DescribeContact's `AgentInfo.ConnectedToAgentTimestamp` appeared.
        case withAgent = "with-agent"
    }

    /// A message the customer sends.
    public struct Message: Sendable, Hashable {
        public var contentType: String
        public var content: String

        public init(contentType: String = "text/plain", content: String) {
            self.contentType = contentType
            self.content = content
        }
    }

    /// How an expect step judges a message's content.
    public enum TextMatch: Sendable {
        case contains(String)
        case equals(String)
        case matches(MessagePattern)

        /// Whether `content` meets the match.
        public func accepts(_ content: String) -> Bool {
            switch self {
            case .contains(let text): content.contains(text)
            case .equals(let text): content == text
            case .matches(let pattern): pattern.matches(content)
            }
        }

        /// The match as written in the profile, for failure messages (`contains "billing"`).
        public var description: String {
            switch self {
            case .contains(let text): "contains \(Self.quoted(text))"
            case .equals(let text): "equals \(Self.quoted(text))"
            case .matches(let pattern): "matches /\(pattern.source)/"
            }
        }

        static func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    /// One step of the script.
    public enum Step: Sendable {
        /// The customer sends a message.
        case send(Message)
        /// A completed message, from `role` when given, whose content meets `match`.
        /// - `within`: seconds from the end of the previous step, or `nil` for the whole timeout.
        case expectMessage(from: Role?, match: TextMatch, within: Int?)
        /// A contact event.
        case expectEvent(Event, within: Int?)

        /// The step as a short phrase, for reports (`expect BOT message matching /…/`).
        public var description: String {
            switch self {
            case .send(let message):
                return "send \(message.contentType == "text/plain" ? "" : message.contentType + " ")\(TextMatch.quoted(message.content))"
            case .expectMessage(let role, let match, _):
                return "expect a \(role.map { $0.rawValue + " " } ?? "")message that \(match.description)"
            case .expectEvent(let event, _):
                return "expect event \(event.rawValue)"
            }
        }

        /// The step's own limit in seconds, if it has one.
        public var within: Int? {
            switch self {
            case .send: nil
            case .expectMessage(_, _, let within), .expectEvent(_, let within): within
            }
        }
    }

    /// The default of `timeout`: two minutes.
    public static let defaultTimeoutSeconds = 120

    /// The whole conversation's limit, in seconds.
    public var timeoutSeconds: Int
    public var steps: [Step]
    public var cleanup: Cleanup

    public init(timeoutSeconds: Int = Self.defaultTimeoutSeconds, steps: [Step], cleanup: Cleanup = .always) {
        self.timeoutSeconds = timeoutSeconds
        self.steps = steps
        self.cleanup = cleanup
    }
}

/// A `matches` regular expression, compiled once (ICU syntax through
/// `NSRegularExpression`, so `(?i)` and `\b` work as users of other tools expect; the
/// schema's ECMA-262 patterns are a different dialect and are not used here).
public struct MessagePattern: Sendable {
    /// The expression as written.
    public let source: String
    private let expression: NSRegularExpression

    /// Compiles `source`.
    /// - Throws: ``MessagePatternError`` when it is not a valid regular expression.
    public init(_ source: String) throws(MessagePatternError) {
        do {
            expression = try NSRegularExpression(pattern: source, options: [])
        } catch {
            throw MessagePatternError(source: source)
        }
        self.source = source
    }

    /// Whether the expression is found anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}

/// A `matches` value that does not compile.
public struct MessagePatternError: Error, Sendable {
    public var source: String
}
