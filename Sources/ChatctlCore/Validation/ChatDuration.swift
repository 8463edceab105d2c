/// The chat duration grammar of SPEC section 13: an integer number of minutes, a
/// string of digits, or `<integer><unit>` parts in descending order with units
/// `d`, `h`, `m` (`90`, `"90"`, `90m`, `1h30m`, `25h`, `7d`, `1d12h`).
public enum ChatDuration {
    /// The range Amazon Connect accepts for ChatDurationInMinutes.
    public static let minutes: ClosedRange<Int> = 60...10_080

    /// The number of minutes `text` stands for, or `nil` when it is not in the grammar.
    /// A number too large for `Int` gives `Int.max`: it is in the grammar, just far out
    /// of range.
    public static func minutes(_ text: String) -> Int? {
        if !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) {
            return Int(text) ?? Int.max
        }
        var total = 0
        var digits = ""
        var lastUnitRank = Int.max
        var sawPart = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                digits.append(Character(String(digit)))
                continue
            }
            let (rank, factor): (Int, Int)
            switch character {
            case "d": (rank, factor) = (3, 1440)
            case "h": (rank, factor) = (2, 60)
            case "m": (rank, factor) = (1, 1)
            default: return nil
            }
            // Each unit once, in descending order, each with its own digits.
            guard !digits.isEmpty, rank < lastUnitRank else { return nil }
            let value = Int(digits) ?? Int.max
            let (product, overflow1) = value.multipliedReportingOverflow(by: factor)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            total = overflow1 || overflow2 ? Int.max : sum
            lastUnitRank = rank
            digits = ""
            sawPart = true
        }
        return sawPart && digits.isEmpty ? total : nil
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
