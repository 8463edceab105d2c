public import ChatctlJSON

/// A contact flow in the Amazon Connect flow language `Version: "2019-10-30"`, as the
/// interpreter runs it: only what ``FlowValidator`` found well formed gets here.
///
/// Designer metadata (`Metadata`, positions, annotations) is not kept: it never changes what
/// a flow does.
public struct FlowDocument: Sendable, Hashable {
    /// The one flow-language version there is.
    public static let version = "2019-10-30"
    /// "A single Flow may have no more than 250 Actions defined" (flow-language reference).
    public static let maximumActions = 250

    /// The file the flow was read from, as given.
    public var file: String
    /// The Identifier of the first action.
    public var startAction: String
    /// The actions in file order (read-only: the lookup by Identifier is built from them).
    public private(set) var actions: [FlowAction]
    private var indexByIdentifier: [String: Int]

    /// Creates a flow from actions whose Identifiers are unique.
    public init(file: String, startAction: String, actions: [FlowAction]) {
        self.file = file
        self.startAction = startAction
        self.actions = actions
        var index: [String: Int] = [:]
        for (position, action) in actions.enumerated() where index[action.identifier] == nil {
            index[action.identifier] = position
        }
        indexByIdentifier = index
    }

    /// The action with `identifier`, or `nil`.
    public func action(_ identifier: String) -> FlowAction? {
        indexByIdentifier[identifier].map { actions[$0] }
    }
}

/// One entry of a flow's `Actions`.
public struct FlowAction: Sendable, Hashable {
    /// Unique within the flow.
    public var identifier: String
    /// The action type, such as `MessageParticipant`.
    public var type: String
    /// The per-type `Parameters` object (empty when absent).
    public var parameters: [String: JSONValue]
    /// Where the action may go next.
    public var transitions: FlowTransitions

    /// Creates an action.
    public init(identifier: String, type: String, parameters: [String: JSONValue], transitions: FlowTransitions) {
        self.identifier = identifier
        self.type = type
        self.parameters = parameters
        self.transitions = transitions
    }

    /// The string parameter `name`, or `nil` when it is absent or not a string.
    public func string(_ name: String) -> String? {
        parameters[name]?.stringValue
    }
}

/// An action's `Transitions`: the default successor, the conditions on its result, and the
/// error branches.
public struct FlowTransitions: Sendable, Hashable {
    /// The default successor; absent on terminal actions.
    public var nextAction: String?
    /// Checked in list order; the first that matches is taken.
    public var conditions: [FlowCondition]
    /// `ErrorType` → successor, in list order.
    public var errors: [FlowErrorBranch]

    /// Creates transitions.
    public init(nextAction: String? = nil, conditions: [FlowCondition] = [], errors: [FlowErrorBranch] = []) {
        self.nextAction = nextAction
        self.conditions = conditions
        self.errors = errors
    }
}

/// One entry of `Transitions.Conditions`.
public struct FlowCondition: Sendable, Hashable {
    /// The successor when the condition holds.
    public var nextAction: String
    /// How the action's result is compared.
    public var comparison: FlowComparison
    /// The operands, as written (strings).
    public var operands: [String]

    /// Creates a condition.
    public init(nextAction: String, comparison: FlowComparison, operands: [String]) {
        self.nextAction = nextAction
        self.comparison = comparison
        self.operands = operands
    }
}

/// One entry of `Transitions.Errors`.
public struct FlowErrorBranch: Sendable, Hashable {
    /// The successor when the action fails with `errorType`.
    public var nextAction: String
    /// `NoMatchingError`, `NoMatchingCondition`, `QueueAtCapacity`, …
    public var errorType: String

    /// Creates an error branch.
    public init(nextAction: String, errorType: String) {
        self.nextAction = nextAction
        self.errorType = errorType
    }
}
