/// The chat duration grammar of docs/profiles.md ("Durations"): an integer number of minutes, a
/// string of digits, or `<integer><unit>` parts in descending order with units
/// `d`, `h`, `m` (`90`, `"90"`, `90m`, `1h30m`, `25h`, `7d`, `1d12h`).
public enum ChatDuration {
    /// The range Amazon Connect accepts for ChatDurationInMinutes.
    public static let minutes: ClosedRange<Int> = 60...10_080

    /// The number of minutes `text` stands for, or `nil` when it is not in the grammar.
    /// A number too large for `Int` gives `Int.max`: it is in the grammar, just far out
    /// of range.
    public static func minutes(_ text: String) -> Int? {
        DurationText.amount(text, units: [("d", 1440), ("h", 60), ("m", 1)])
    }

    /// The message for a duration out of range, or `nil` when `minutes` is in range.
    /// - Parameters:
    ///   - text: the duration as written (`30m`, `59`).
    static func rangeMessage(_ text: String, minutes: Int) -> String? {
        if minutes < Self.minutes.lowerBound {
            return "duration \(text) is below the minimum of \(Self.minutes.lowerBound) minutes (1h)"
        }
        if minutes > Self.minutes.upperBound {
            return "duration \(text) is above the maximum of \(Self.minutes.upperBound) minutes (7d)"
        }
        return nil
    }

    /// Minutes as the shortest `7d`, `25h`, `1h30m` form, for messages.
    public static func format(minutes: Int) -> String {
        var rest = minutes
        var text = ""
        for (unit, size) in [("d", 1440), ("h", 60), ("m", 1)] where rest >= size || (unit == "m" && text.isEmpty) {
            let count = rest / size
            if count > 0 || text.isEmpty { text += "\(count)\(unit)" }
            rest -= count * size
        }
        return text
    }
}

/// The one grammar of durations written as text, shared by every setting that takes one
/// (a chat's `duration` in minutes, `apply.capacityWait` in seconds): a string of digits
/// (a number of the smallest unit), or one or more `<integer><unit>` parts, each unit at
/// most once and in the order the units are given.
public enum DurationText {
    /// The amount `text` stands for, in the smallest unit, or `nil` when it is not in the
    /// grammar. A number too large for `Int` gives `Int.max`.
    /// - Parameter units: each unit's letter and size in the smallest unit, largest first.
    public static func amount(_ text: String, units: [(letter: Character, size: Int)]) -> Int? {
        if !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) {
            return Int(text) ?? Int.max
        }
        // Byte by byte: every character of the grammar is ASCII, and a non-ASCII byte is
        // neither a digit nor a unit, as a non-ASCII character is neither (the Character
        // loop this replaced was 1.3% of `chatctl validate`'s instructions).
        var total = 0
        var value = 0
        var hasDigits = false
        var nextUnit = 0
        var sawPart = false
        for byte in text.utf8 {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                // A number too large for Int stays Int.max.
                let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = product.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                value = overflow1 || overflow2 ? Int.max : sum
                hasDigits = true
                continue
            }
            // Each unit once, in descending order, each with its own digits.
            guard hasDigits,
                  let rank = units[nextUnit...].firstIndex(where: { $0.letter.asciiValue == byte }) else { return nil }
            let (product, overflow1) = value.multipliedReportingOverflow(by: units[rank].size)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            total = overflow1 || overflow2 ? Int.max : sum
            nextUnit = rank + 1
            value = 0
            hasDigits = false
            sawPart = true
        }
        return sawPart && !hasDigits ? total : nil
    }

    /// Seconds from `2m`, `1h30m`, `30s` or a string of digits (`apply.capacityWait`,
    /// `--capacity-wait`).
    public static func seconds(_ text: String) -> Int? {
        amount(text, units: [("h", 3600), ("m", 60), ("s", 1)])
    }
}
