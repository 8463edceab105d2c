import ChatctlJSON

extension Conversation {
    /// The range of `timeout` and `within`, in seconds: one second to one day.
    public static let seconds: ClosedRange<Int> = 1...86_400

    /// Seconds from a `timeout` or `within` value: an integer, a string of digits, or
    /// `<integer><unit>` parts with units h, m, s in that order (the grammar of
    /// ``DurationText``). `nil` when it is not a duration.
    static func seconds(_ value: JSONValue?) -> Int? {
        switch value {
        case .integer(let seconds)?: seconds
        case .double(let seconds)?: Int(exactly: seconds)
        case .string(let text)?: DurationText.seconds(text)
        default: nil
        }
    }

    /// The conversation `spec.verify` describes, read from a spec that passed validation
    /// (``VerifyRules`` has checked every value this reads); `nil` when there is none.
    init?(spec: JSONValue) {
        guard let verify = spec["verify"], let items = verify["steps"]?.arrayValue else { return nil }
        var steps: [Step] = []
        for item in items {
            if let send = item["send"] {
                if let text = send.stringValue {
                    steps.append(.send(Message(content: text)))
                } else if let type = send["contentType"]?.stringValue, let content = send["content"]?.stringValue {
                    steps.append(.send(Message(contentType: type, content: content)))
                }
            } else if let expect = item["expect"] {
                let within = Self.seconds(expect["within"])
                if let event = expect["event"]?.stringValue.flatMap(Event.init(rawValue:)) {
                    steps.append(.expectEvent(event, within: within))
                    continue
                }
                let role = expect["from"]?.stringValue.flatMap(Role.init(rawValue:))
                if let text = expect["contains"]?.stringValue {
                    steps.append(.expectMessage(from: role, match: .contains(text), within: within))
                } else if let text = expect["equals"]?.stringValue {
                    steps.append(.expectMessage(from: role, match: .equals(text), within: within))
                } else if let source = expect["matches"]?.stringValue, let pattern = try? MessagePattern(source) {
                    steps.append(.expectMessage(from: role, match: .matches(pattern), within: within))
                }
            }
        }
        self.init(
            timeoutSeconds: Self.seconds(verify["timeout"]) ?? Self.defaultTimeoutSeconds, steps: steps,
            cleanup: verify["cleanup"]?.stringValue.flatMap(Cleanup.init(rawValue:)) ?? .always)
    }
}
