public import ChatctlJSON
public import Foundation

/// What a test supplies for the actions that reach outside the flow: Lex bots, Lambda
/// functions, hours of operation and the seed of random splits (the fixtures file,
/// schemas/flow-fixtures.schema.json; `chatctl` validates it before it gets here).
public struct FlowFixtures: Sendable, Hashable {
    /// A stub Lex bot: the first intent one of whose utterances the customer's message
    /// contains (case-insensitive) is recognised; none gives `FallbackIntent`.
    public struct LexBot: Sendable, Hashable {
        /// One intent of the bot.
        public struct Intent: Sendable, Hashable {
            public var name: String
            public var utterances: [String]
            public var slots: [String: String]
            public var sessionAttributes: [String: String]

            /// Creates an intent.
            public init(name: String, utterances: [String], slots: [String: String] = [:], sessionAttributes: [String: String] = [:]) {
                self.name = name
                self.utterances = utterances
                self.slots = slots
                self.sessionAttributes = sessionAttributes
            }
        }

        public var intents: [Intent]

        /// Creates a bot.
        public init(intents: [Intent]) {
            self.intents = intents
        }

        /// The intent `text` is recognised as, `nil` for none.
        public func recognise(_ text: String) -> Intent? {
            let message = text.lowercased()
            return intents.first { intent in
                intent.utterances.contains { !$0.isEmpty && message.contains($0.lowercased()) }
            }
        }
    }

    /// What a Lambda function answers: a string map (under `$.External`) or an error.
    public enum LambdaResult: Sendable, Hashable {
        case response([String: String])
        case error(String)
    }

    /// Whether a contact is within hours: a fixed answer, or a weekly schedule read on the
    /// emulator's clock.
    public enum Hours: Sendable, Hashable {
        // `weekly` first: the first payload case has tag 0, so the pointer of its array is
        // stored as it is. Declared second, its tag went into the pointer's spare bits, and
        // LeakSanitizer reported every loaded schedule as leaked.
        case weekly(timeZone: String, ranges: [WeeklyRange])
        case fixed(Bool)

        /// One open range of a weekday, `HH:MM` to `HH:MM` (end excluded).
        public struct WeeklyRange: Sendable, Hashable {
            /// 1 = Sunday … 7 = Saturday (Foundation's weekday numbering).
            public var weekday: Int
            /// Minutes after midnight.
            public var start: Int
            public var end: Int

            /// Creates a range.
            public init(weekday: Int, start: Int, end: Int) {
                self.weekday = weekday
                self.start = start
                self.end = end
            }
        }

        /// Whether `date` is within these hours.
        public func isOpen(at date: Date) -> Bool {
            switch self {
            case .fixed(let open):
                return open
            case .weekly(let timeZoneName, let ranges):
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: timeZoneName) ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
                let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
                let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
                return ranges.contains { $0.weekday == parts.weekday && $0.start <= minute && minute < $0.end }
            }
        }
    }

    /// Bots by alias ARN (or legacy bot name).
    public var lexBots: [String: LexBot]
    /// Functions by ARN.
    public var lambdas: [String: LambdaResult]
    /// Hours by HoursOfOperationId; `default` serves an action that names none (or one not listed).
    public var hoursOfOperation: [String: Hours]
    /// The seed of DistributeByPercentage draws (each contact's draws also depend on its id).
    public var seed: UInt64

    /// Creates fixtures.
    public init(
        lexBots: [String: LexBot] = [:], lambdas: [String: LambdaResult] = [:], hoursOfOperation: [String: Hours] = [:],
        seed: UInt64 = 0
    ) {
        self.lexBots = lexBots
        self.lambdas = lambdas
        self.hoursOfOperation = hoursOfOperation
        self.seed = seed
    }

    static let weekdays = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]

    /// Reads fixtures from the JSON form of the fixtures file.
    ///
    /// - Parameter json: The file's document, already checked against
    ///   `flow-fixtures.schema.json`.
    /// - Throws: ``FlowFixturesError`` naming the first member that is not as the schema says.
    public init(json: JSONValue) throws(FlowFixturesError) {
        guard let root = json.objectValue else { throw FlowFixturesError(path: "", message: "must be a mapping") }
        self.init()
        if let seed = root["seed"] {
            guard case .integer(let value) = seed, value >= 0 else {
                throw FlowFixturesError(path: "seed", message: "must be a non-negative integer")
            }
            self.seed = UInt64(value)
        }
        for (alias, bot) in root["lexBots"]?.objectValue ?? [:] {
            var intents: [LexBot.Intent] = []
            for (index, intent) in (bot["intents"]?.arrayValue ?? []).enumerated() {
                guard let name = intent["name"]?.stringValue else {
                    throw FlowFixturesError(path: "lexBots[\(JSONPointer.quoted(alias))].intents[\(index)].name", message: "is required")
                }
                intents.append(LexBot.Intent(
                    name: name, utterances: (intent["utterances"]?.arrayValue ?? []).compactMap(\.stringValue),
                    slots: Self.strings(intent["slots"]), sessionAttributes: Self.strings(intent["sessionAttributes"])))
            }
            lexBots[alias] = LexBot(intents: intents)
        }
        for (arn, function) in root["lambdas"]?.objectValue ?? [:] {
            if let error = function["error"]?.stringValue {
                lambdas[arn] = .error(error)
            } else {
                lambdas[arn] = .response(Self.strings(function["response"]))
            }
        }
        for (id, hours) in root["hoursOfOperation"]?.objectValue ?? [:] {
            if case .bool(let open)? = hours["open"] {
                hoursOfOperation[id] = .fixed(open)
                continue
            }
            var ranges: [Hours.WeeklyRange] = []
            for (index, range) in (hours["weekly"]?.arrayValue ?? []).enumerated() {
                let path = "hoursOfOperation[\(JSONPointer.quoted(id))].weekly[\(index)]"
                guard let day = range["day"]?.stringValue, let weekday = Self.weekdays.firstIndex(of: day) else {
                    throw FlowFixturesError(path: path + ".day", message: "must be one of " + Self.weekdays.joined(separator: ", "))
                }
                guard let start = Self.minutes(range["start"]), let end = Self.minutes(range["end"]) else {
                    throw FlowFixturesError(path: path, message: "start and end must be HH:MM")
                }
                ranges.append(Hours.WeeklyRange(weekday: weekday + 1, start: start, end: end))
            }
            hoursOfOperation[id] = .weekly(timeZone: hours["timeZone"]?.stringValue ?? "UTC", ranges: ranges)
        }
    }

    private static func strings(_ value: JSONValue?) -> [String: String] {
        (value?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    private static func minutes(_ value: JSONValue?) -> Int? {
        guard let text = value?.stringValue else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60
        else { return nil }
        return hour * 60 + minute
    }
}

/// A fixtures document that is not as the schema says.
public struct FlowFixturesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field path of the member, such as `lambdas["arn:…"].response`.
    public var path: String
    /// What is wrong: lowercase, no trailing period.
    public var message: String

    /// `path: message`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
