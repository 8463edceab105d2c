public import ChatctlJSON

/// Checks a flow file and builds the ``FlowDocument`` the interpreter runs.
///
/// It collects every problem (sorted by position), as profile validation does: JSON syntax,
/// `Version`, unique Identifiers within the flow language's length and character rules,
/// `StartAction` and every `NextAction` pointing at an action that exists, at most 250
/// actions, known action types (an unknown type is a warning: the service has more types
/// than the emulator knows), and the Parameters of the emulated types.
public struct FlowValidator: Sendable {
    /// What validating one file produced.
    public struct Result: Sendable {
        /// The flow, when it has no errors (warnings allowed).
        public var document: FlowDocument?
        /// Every problem, sorted by line and column.
        public var problems: [FlowProblem]
    }

    /// "any characters except `% : ( \ / ) = $ , ; [ ] { }`" (flow-language reference).
    static let forbiddenIdentifierCharacters = Set("%:(\\/)=$,;[]{}".unicodeScalars)
    /// Names an Identifier must not be (flow-language reference).
    static let reservedIdentifiers: Set<String> = [
        "__proto__", "constructor", "__defineGetter__", "__defineSetter__", "toString", "hasOwnProperty",
        "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "valueOf",
    ]
    static let maximumIdentifierLength = 50
    /// The Wait action's longest timeout, in seconds (7 days).
    static let maximumWaitSeconds = 604_800

    /// Creates a validator.
    public init() {}

    /// Validates the bytes of one flow file.
    ///
    /// - Parameters:
    ///   - bytes: The file's content (UTF-8 JSON).
    ///   - file: The path used in problems.
    /// - Returns: The flow when it has no errors, and every problem.
    public func validate(_ bytes: [UInt8], file: String) -> Result {
        let parsed: (value: JSONValue, positions: JSONSourceMap)
        do {
            parsed = try JSONParser.parseKeepingPositions(bytes)
        } catch {
            return Result(document: nil, problems: [FlowProblem(
                file: file, line: error.line, column: error.column, path: "", code: "flow.syntax",
                message: error.message)])
        }
        var check = FlowCheck(file: file, root: parsed.value, positions: parsed.positions)
        let document = check.run()
        let problems = check.problems.sorted { ($0.line, $0.column, $0.path, $0.message) < ($1.line, $1.column, $1.path, $1.message) }
        return Result(document: problems.contains { $0.severity == .error } ? nil : document, problems: problems)
    }
}

/// One validation: the problems found so far and the positions to report them at.
private struct FlowCheck {
    let file: String
    let root: JSONValue
    let positions: JSONSourceMap
    var problems: [FlowProblem] = []
    /// The Identifiers of every action, including actions with other problems, so that one
    /// problem is not reported again as dangling references to the action.
    var declaredIdentifiers: Set<String> = []

    init(file: String, root: JSONValue, positions: JSONSourceMap) {
        self.file = file
        self.root = root
        self.positions = positions
    }

    mutating func report(
        _ pointer: JSONPointer, atKey: Bool = false, _ code: String, _ message: String,
        severity: FlowProblem.Severity = .error
    ) {
        let position = positions.position(of: pointer, atKey: atKey)
        problems.append(FlowProblem(
            severity: severity, file: file, line: position.line, column: position.column,
            path: pointer.fieldPath, code: code, message: message))
    }

    mutating func run() -> FlowDocument? {
        let top = JSONPointer()
        guard let object = root.objectValue else {
            report(top, "flow.type", "a flow is a JSON object, not \(article(root))")
            return nil
        }
        checkVersion(object["Version"], at: top.appending(key: "Version"))
        let actions = checkActions(object["Actions"], at: top.appending(key: "Actions"))
        let identifiers = declaredIdentifiers
        var startAction = ""
        let startPointer = top.appending(key: "StartAction")
        if let value = object["StartAction"] {
            if let start = value.stringValue {
                startAction = start
                // Without an Actions array there is nothing to point at: one problem is enough.
                if object["Actions"]?.arrayValue != nil && !identifiers.contains(start) {
                    report(startPointer, "flow.reference", noAction(start))
                }
            } else {
                report(startPointer, "flow.type", "must be a string, not \(article(value))")
            }
        } else {
            report(startPointer, "flow.required", "is required")
        }
        for (index, action) in actions.enumerated() {
            checkReferences(action, at: top.appending(key: "Actions").appending(index: index), identifiers: identifiers)
        }
        return FlowDocument(file: file, startAction: startAction, actions: actions)
    }

    mutating func checkVersion(_ value: JSONValue?, at pointer: JSONPointer) {
        guard let value else { return report(pointer, "flow.required", "is required") }
        guard value.stringValue == FlowDocument.version else {
            return report(
                pointer, "flow.version",
                "must be \"\(FlowDocument.version)\", the only flow-language version, not \(written(value))")
        }
    }

    // MARK: Actions

    mutating func checkActions(_ value: JSONValue?, at pointer: JSONPointer) -> [FlowAction] {
        guard let value else {
            report(pointer, "flow.required", "is required")
            return []
        }
        guard let elements = value.arrayValue else {
            report(pointer, "flow.type", "must be an array of actions, not \(article(value))")
            return []
        }
        if elements.count > FlowDocument.maximumActions {
            report(
                pointer, "flow.limit",
                "has \(elements.count) actions; a flow may have at most \(FlowDocument.maximumActions)")
        }
        var actions: [FlowAction] = []
        var firstIndex: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let actionPointer = pointer.appending(index: index)
            guard let action = checkAction(element, at: actionPointer) else { continue }
            if let first = firstIndex[action.identifier] {
                report(
                    actionPointer.appending(key: "Identifier"), "flow.duplicate",
                    "duplicate Identifier \(JSONPointer.quoted(action.identifier)); Actions[\(first)] has it too")
                continue
            }
            firstIndex[action.identifier] = index
            actions.append(action)
        }
        return actions
    }

    mutating func checkAction(_ value: JSONValue, at pointer: JSONPointer) -> FlowAction? {
        guard let object = value.objectValue else {
            report(pointer, "flow.type", "an action is a JSON object, not \(article(value))")
            return nil
        }
        let identifier = checkIdentifier(object["Identifier"], at: pointer.appending(key: "Identifier"))
        if let identifier { declaredIdentifiers.insert(identifier) }
        let type = checkType(object["Type"], at: pointer.appending(key: "Type"))
        var parameters: [String: JSONValue] = [:]
        let parametersPointer = pointer.appending(key: "Parameters")
        if let value = object["Parameters"] {
            if let members = value.objectValue {
                parameters = members
            } else {
                report(parametersPointer, "flow.type", "must be an object, not \(article(value))")
            }
        }
        let transitions = checkTransitions(object["Transitions"], at: pointer.appending(key: "Transitions"))
        if let type, object["Parameters"]?.objectValue != nil || object["Parameters"] == nil {
            checkParameters(of: type, parameters, at: parametersPointer, transitions: transitions, action: pointer)
        }
        guard let identifier, let type, let transitions else { return nil }
        return FlowAction(identifier: identifier, type: type, parameters: parameters, transitions: transitions)
    }

    mutating func checkIdentifier(_ value: JSONValue?, at pointer: JSONPointer) -> String? {
        guard let value else {
            report(pointer, "flow.required", "is required")
            return nil
        }
        guard let identifier = value.stringValue else {
            report(pointer, "flow.type", "must be a string, not \(article(value))")
            return nil
        }
        let length = identifier.unicodeScalars.count
        if length == 0 || length > FlowValidator.maximumIdentifierLength {
            report(
                pointer, "flow.identifier",
                "must be 1 to \(FlowValidator.maximumIdentifierLength) characters, not \(length)")
        } else if let bad = identifier.unicodeScalars.first(where: FlowValidator.forbiddenIdentifierCharacters.contains) {
            report(
                pointer, "flow.identifier",
                "must not contain \(JSONPointer.quoted(String(bad))) (not allowed: % : ( \\ / ) = $ , ; [ ] { })")
        } else if FlowValidator.reservedIdentifiers.contains(identifier) {
            report(pointer, "flow.identifier", "\(JSONPointer.quoted(identifier)) is a reserved name")
        }
        return identifier
    }

    mutating func checkType(_ value: JSONValue?, at pointer: JSONPointer) -> String? {
        guard let value else {
            report(pointer, "flow.required", "is required")
            return nil
        }
        guard let type = value.stringValue else {
            report(pointer, "flow.type", "must be a string, not \(article(value))")
            return nil
        }
        if !FlowActionCatalogue.isKnown(type) {
            report(
                pointer, "flow.unknown-action",
                "unknown action type \(JSONPointer.quoted(type)); the emulator takes its error branch",
                severity: .warning)
        }
        return type
    }

    // MARK: Transitions

    mutating func checkTransitions(_ value: JSONValue?, at pointer: JSONPointer) -> FlowTransitions? {
        guard let value else {
            report(pointer, "flow.required", "is required (an action that ends the flow has \"Transitions\": {})")
            return nil
        }
        guard let object = value.objectValue else {
            report(pointer, "flow.type", "must be an object, not \(article(value))")
            return nil
        }
        var transitions = FlowTransitions()
        if let next = object["NextAction"] {
            if let name = next.stringValue {
                transitions.nextAction = name
            } else {
                report(pointer.appending(key: "NextAction"), "flow.type", "must be a string, not \(article(next))")
            }
        }
        if let conditions = object["Conditions"] {
            transitions.conditions = checkList(conditions, at: pointer.appending(key: "Conditions"), FlowCheck.checkCondition)
        }
        if let errors = object["Errors"] {
            transitions.errors = checkList(errors, at: pointer.appending(key: "Errors"), FlowCheck.checkErrorBranch)
        }
        return transitions
    }

    mutating func checkList<Entry>(
        _ value: JSONValue, at pointer: JSONPointer, _ check: (inout FlowCheck, JSONValue, JSONPointer) -> Entry?
    ) -> [Entry] {
        guard let elements = value.arrayValue else {
            report(pointer, "flow.type", "must be an array, not \(article(value))")
            return []
        }
        var entries: [Entry] = []
        for (index, element) in elements.enumerated() {
            if let entry = check(&self, element, pointer.appending(index: index)) { entries.append(entry) }
        }
        return entries
    }

    static func checkCondition(_ check: inout FlowCheck, _ value: JSONValue, _ pointer: JSONPointer) -> FlowCondition? {
        guard let object = value.objectValue else {
            check.report(pointer, "flow.type", "a condition is an object, not \(check.article(value))")
            return nil
        }
        let next = check.requiredString(object, "NextAction", at: pointer)
        let conditionPointer = pointer.appending(key: "Condition")
        guard let condition = object["Condition"]?.objectValue else {
            if let value = object["Condition"] {
                check.report(conditionPointer, "flow.type", "must be an object, not \(check.article(value))")
            } else {
                check.report(conditionPointer, "flow.required", "is required")
            }
            return nil
        }
        let operatorName = check.requiredString(condition, "Operator", at: conditionPointer)
        var comparison: FlowComparison?
        if let operatorName {
            comparison = FlowComparison(rawValue: operatorName)
            if comparison == nil {
                check.report(
                    conditionPointer.appending(key: "Operator"), "flow.operator",
                    "unknown operator \(JSONPointer.quoted(operatorName)); known: "
                        + FlowComparison.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        let operandsPointer = conditionPointer.appending(key: "Operands")
        var operands: [String] = []
        if let list = condition["Operands"] {
            if let elements = list.arrayValue, !elements.isEmpty {
                for (index, element) in elements.enumerated() {
                    if let text = element.stringValue {
                        operands.append(text)
                    } else {
                        check.report(
                            operandsPointer.appending(index: index), "flow.type",
                            "must be a string, not \(check.article(element))")
                    }
                }
            } else {
                check.report(operandsPointer, "flow.type", "must be a non-empty array of strings")
            }
        } else {
            check.report(operandsPointer, "flow.required", "is required")
        }
        guard let next, let comparison else { return nil }
        return FlowCondition(nextAction: next, comparison: comparison, operands: operands)
    }

    static func checkErrorBranch(_ check: inout FlowCheck, _ value: JSONValue, _ pointer: JSONPointer) -> FlowErrorBranch? {
        guard let object = value.objectValue else {
            check.report(pointer, "flow.type", "an error branch is an object, not \(check.article(value))")
            return nil
        }
        let next = check.requiredString(object, "NextAction", at: pointer)
        let type = check.requiredString(object, "ErrorType", at: pointer)
        guard let next, let type else { return nil }
        return FlowErrorBranch(nextAction: next, errorType: type)
    }

    mutating func requiredString(_ object: [String: JSONValue], _ key: String, at pointer: JSONPointer) -> String? {
        guard let value = object[key] else {
            report(pointer.appending(key: key), "flow.required", "is required")
            return nil
        }
        guard let text = value.stringValue else {
            report(pointer.appending(key: key), "flow.type", "must be a string, not \(article(value))")
            return nil
        }
        return text
    }

    /// Every NextAction of an action names an action of the flow.
    mutating func checkReferences(_ action: FlowAction, at pointer: JSONPointer, identifiers: Set<String>) {
        let transitions = pointer.appending(key: "Transitions")
        if let next = action.transitions.nextAction, !identifiers.contains(next) {
            report(transitions.appending(key: "NextAction"), "flow.reference", noAction(next))
        }
        for (index, condition) in action.transitions.conditions.enumerated() where !identifiers.contains(condition.nextAction) {
            report(
                transitions.appending(key: "Conditions").appending(index: index).appending(key: "NextAction"),
                "flow.reference", noAction(condition.nextAction))
        }
        for (index, branch) in action.transitions.errors.enumerated() where !identifiers.contains(branch.nextAction) {
            report(
                transitions.appending(key: "Errors").appending(index: index).appending(key: "NextAction"),
                "flow.reference", noAction(branch.nextAction))
        }
    }

    // MARK: Parameters of the emulated types

    mutating func checkParameters(
        of type: String, _ parameters: [String: JSONValue], at pointer: JSONPointer, transitions: FlowTransitions?,
        action: JSONPointer
    ) {
        switch type {
        case "MessageParticipant":
            if parameters["Text"] == nil && parameters["PromptId"] == nil && parameters["SSML"] == nil
                && parameters["Media"] == nil {
                report(pointer, "flow.parameters", "needs Text (chat supports only Text; PromptId, SSML and Media are for voice)")
            }
            optionalString(parameters, "Text", at: pointer)
        case "UpdateContactAttributes":
            guard let attributes = parameters["Attributes"] else {
                return report(pointer.appending(key: "Attributes"), "flow.required", "is required")
            }
            guard let members = attributes.objectValue else {
                return report(pointer.appending(key: "Attributes"), "flow.type", "must be an object, not \(article(attributes))")
            }
            for key in members.keys.sorted() where members[key]?.stringValue == nil {
                report(pointer.appending(key: "Attributes").appending(key: key), "flow.type", "must be a string")
            }
        case "Compare":
            requiredParameter(parameters, "ComparisonValue", at: pointer)
        case "UpdateContactTargetQueue":
            if parameters["QueueId"] == nil && parameters["AgentId"] == nil {
                report(pointer, "flow.parameters", "needs QueueId or AgentId")
            }
            optionalString(parameters, "QueueId", at: pointer)
            optionalString(parameters, "AgentId", at: pointer)
        case "TransferToFlow":
            requiredParameter(parameters, "ContactFlowId", at: pointer)
        case "InvokeLambdaFunction":
            requiredParameter(parameters, "LambdaFunctionARN", at: pointer)
            if let limit = parameters["InvocationTimeLimitSeconds"] {
                let seconds = limit.numberValue ?? limit.stringValue.flatMap { Double($0) }
                if seconds.map({ !(1...8).contains($0) }) ?? true {
                    report(pointer.appending(key: "InvocationTimeLimitSeconds"), "flow.parameters", "must be 1 to 8 seconds")
                }
            }
        case "ConnectParticipantWithLexBot":
            let alias = parameters["LexV2Bot"]?["AliasArn"]?.stringValue
            let legacy = parameters["LexBot"]?["Name"]?.stringValue
            if alias == nil && legacy == nil {
                report(pointer, "flow.parameters", "needs LexV2Bot.AliasArn (or a legacy LexBot.Name)")
            }
        case "Wait":
            let key = parameters["TimeoutSeconds"] != nil ? "TimeoutSeconds" : "TimeLimitSeconds"
            guard let limit = parameters[key] else {
                return report(pointer.appending(key: "TimeoutSeconds"), "flow.required", "is required")
            }
            let seconds = limit.numberValue ?? limit.stringValue.flatMap { Double($0) }
            if seconds.map({ !(0...Double(FlowValidator.maximumWaitSeconds)).contains($0) }) ?? true {
                report(
                    pointer.appending(key: key), "flow.parameters",
                    "must be 0 to \(FlowValidator.maximumWaitSeconds) seconds")
            }
        case "DisconnectParticipant":
            if let transitions, !transitions.conditions.isEmpty {
                report(action.appending(key: "Transitions").appending(key: "Conditions"), "flow.transitions",
                       "DisconnectParticipant supports no conditions")
            }
        case "CheckHoursOfOperation":
            if let transitions {
                let operands = Set(transitions.conditions.flatMap(\.operands))
                if transitions.conditions.count != 2 || operands != ["True", "False"] {
                    report(action.appending(key: "Transitions").appending(key: "Conditions"), "flow.transitions",
                           "CheckHoursOfOperation needs exactly two conditions, Equals \"True\" and Equals \"False\"")
                }
            }
        default:
            break
        }
    }

    mutating func requiredParameter(_ parameters: [String: JSONValue], _ key: String, at pointer: JSONPointer) {
        guard parameters[key] != nil else { return report(pointer.appending(key: key), "flow.required", "is required") }
        optionalString(parameters, key, at: pointer)
    }

    mutating func optionalString(_ parameters: [String: JSONValue], _ key: String, at pointer: JSONPointer) {
        if let value = parameters[key], value.stringValue == nil {
            report(pointer.appending(key: key), "flow.type", "must be a string, not \(article(value))")
        }
    }

    // MARK: Wording

    func noAction(_ identifier: String) -> String {
        "no action has the Identifier \(JSONPointer.quoted(identifier))"
    }

    func article(_ value: JSONValue) -> String {
        switch value.schemaTypeName {
        case "array", "integer", "object": "an \(value.schemaTypeName)"
        case "null": "null"
        default: "a \(value.schemaTypeName)"
        }
    }

    func written(_ value: JSONValue) -> String {
        if let text = value.stringValue { return JSONPointer.quoted(text) }
        return article(value)
    }
}
