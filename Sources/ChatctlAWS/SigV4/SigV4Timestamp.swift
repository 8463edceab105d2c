public import Foundation

/// The signing time of a SigV4 request, in the two UTC forms the signature uses:
/// `X-Amz-Date` (`yyyyMMdd'T'HHmmss'Z'`, ISO 8601 basic format) and the date stamp
/// (`yyyyMMdd`) of the credential scope.
///
/// See [Elements of an AWS API request signature](https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html).
/// Conversion is done with integer calendar arithmetic rather than `DateFormatter`, so it is
/// pure, thread-safe and independent of locale and time zone settings.
public struct SigV4Timestamp: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, for example `20150830T123600Z`.
    public let amzDate: String

    /// The signing time truncated to whole seconds.
    public let date: Date

    /// The timestamp of `date`, truncated to whole seconds, in UTC.
    public init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        self.date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let (days, secondOfDay) = Self.floorDivide(seconds, 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        let second = secondOfDay % 60
        self.amzDate =
            Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T" + Self.pad(hour, 2)
            + Self.pad(minute, 2) + Self.pad(second, 2) + "Z"
    }

    /// Parses an `X-Amz-Date` value such as `20150830T123600Z`.
    ///
    /// - Returns: `nil` unless `amzDate` is exactly 16 characters of that form with a
    ///   valid calendar date and time.
    public init?(amzDate: String) {
        let characters = Array(amzDate.utf8)
        guard characters.count == 16, characters[8] == UInt8(ascii: "T"), characters[15] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let digit = characters[index]
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(digit - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        self.init(Date(timeIntervalSince1970: TimeInterval(seconds)))
        // Reject dates such as 20150231 that do not round-trip.
        guard self.amzDate == amzDate else { return nil }
    }

    /// `yyyyMMdd` in UTC, the first element of the credential scope.
    public var dateStamp: String {
        String(amzDate.prefix(8))
    }

    /// The `X-Amz-Date` form.
    public var description: String { amzDate }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// Year, month, day of the proleptic Gregorian calendar for a count of days since
    /// 1970-01-01 (Howard Hinnant's `civil_from_days` algorithm).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's `days_from_civil`).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
