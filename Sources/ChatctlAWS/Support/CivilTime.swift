public import Foundation

/// An instant in UTC split into calendar fields, and back, by exact integer arithmetic
/// (Howard Hinnant's `civil_from_days` / `days_from_civil`) rather than a date formatter:
/// locale-free, allocation-free, and fast enough for every request and lockfile entry.
/// Shared by SigV4 timestamps, the lockfile's RFC 3339 times and the emulator's HTTP dates.
public struct CivilTime: Sendable, Hashable {
    public var year: Int
    /// 1 to 12.
    public var month: Int
    /// 1 to 31.
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Whole days since 1970-01-01 (negative before it), for the weekday.
    public var daysSince1970: Int

    /// The seconds either side of 1970 a date is held to (about 3 billion years): the
    /// arithmetic below stays far from `Int`'s bounds, and no date, however it was made,
    /// traps (a `Double` of 1e19 seconds cannot become an `Int`).
    static let secondsLimit: Double = 1e17

    /// The fields of `date` in UTC, truncated to whole seconds (held to ±``secondsLimit``;
    /// not a number is 1970-01-01).
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970.rounded(.down)
        let seconds = interval.isNaN ? 0 : Int(min(max(interval, -Self.secondsLimit), Self.secondsLimit))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
        daysSince1970 = days
    }

    /// The instant of a proleptic Gregorian date and time in UTC (fields are not checked:
    /// callers that parse text compare a round trip to reject dates such as 02-31).
    public static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// The days of `month` (1 to 12) in `year`, of the proleptic Gregorian calendar.
    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `value` in decimal, zero-padded to `width` digits.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
