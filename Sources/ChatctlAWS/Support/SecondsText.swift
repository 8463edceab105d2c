/// A number of seconds as people write it (`10`, `2.5`), for messages: a whole number is
/// printed without a fraction when an `Int` holds it, and any other value (`1e+19`) in the
/// `Double`'s own form, where converting it would trap.
public enum SecondsText {
    /// `value` as text, without a unit.
    public static func text(_ value: Double) -> String {
        if let whole = Int(exactly: value) { return String(whole) }
        return String(value)
    }
}
