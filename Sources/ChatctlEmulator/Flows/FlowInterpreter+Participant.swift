/// Participant actions: messages, the Lex bot, disconnecting.
extension FlowInterpreter {
    /// The display name of flow messages (SYSTEM) and of the stub bot (BOT); research
    /// section 6 lists the service's conventions as unconfirmed.
    static let systemDisplayName = "SYSTEM_MESSAGE"
    static let botDisplayName = "BOT"

    func messageParticipant(_ action: FlowAction) -> Outcome {
        guard let text = action.string("Text") else {
            return .error("NoMatchingError", note: "chat supports only Text messages")
        }
        host?.postMessage(
            role: .system, displayName: Self.systemDisplayName, contentType: "text/plain",
            content: data.interpolate(text))
        return .next
    }

    /// Sends the bot's prompt as a BOT message and waits for the customer's answer.
    func connectLexBot(_ action: FlowAction) -> Outcome {
        let bot = action.parameters["LexV2Bot"]?["AliasArn"]?.stringValue ?? action.parameters["LexBot"]?["Name"]?.stringValue ?? ""
        guard fixtures.lexBots[bot] != nil else {
            return .error("NoMatchingError", note: "no Lex bot \(bot) in the fixtures")
        }
        let prompt = action.string("Text") ?? action.parameters["LexInitilizationData"]?["InitialMessage"]?.stringValue
        if let prompt {
            host?.postMessage(
                role: .bot, displayName: Self.botDisplayName, contentType: "text/plain", content: data.interpolate(prompt))
        }
        pending = .lex(action, bot: bot)
        let timeout = action.parameters["LexTimeoutSeconds"]?["Text"]?.stringValue.flatMap(Double.init)
        return .wait(until: timeout.map { now.addingTimeInterval($0) })
    }

    /// The stub bot's answer to `message`: `$.Lex` is set and the intent name is the result.
    func answerLex(_ action: FlowAction, bot: String, message: String) -> Outcome {
        let intent = fixtures.lexBots[bot]?.recognise(message)
        data.lexIntentName = intent?.name ?? "FallbackIntent"
        data.lexSlots = intent?.slots ?? [:]
        data.lexSessionAttributes = intent?.sessionAttributes ?? [:]
        return .result(data.lexIntentName ?? "FallbackIntent")
    }
}
