public import Foundation

/// One action a contact's flow went through: the flow path the admin API shows.
public struct FlowStep: Sendable, Hashable, CustomStringConvertible {
    /// The contact-flow id of the flow the action belongs to.
    public var flowId: String
    /// The action's Identifier.
    public var action: String
    /// The action's Type.
    public var type: String
    /// The branch taken: `NextAction`, `Conditions[1]`, `Errors:NoMatchingCondition`,
    /// `waiting`, `end`.
    public var branch: String
    /// The next action's Identifier, when there is one.
    public var next: String?
    /// Why, when the branch needs explaining (a missing fixture, a type not emulated).
    public var note: String?
    /// Whether the action type is not emulated (it took its error branch for that reason).
    public var notEmulated: Bool
    /// When, on the emulator clock.
    public var at: Date

    /// `flow/action (Type) → branch → next [note]`.
    public var description: String {
        var text = "\(action) (\(type)) \(branch)"
        if let next { text += " → \(next)" }
        if let note { text += " [\(note)]" }
        return text
    }
}
