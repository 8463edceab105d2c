public import Foundation
import ChatctlAWS

/// RFC 3339 UTC timestamps (`2026-11-22T04:19:01Z`), written and read without a date
/// formatter: the civil-date arithmetic is exact, locale-free and fast for large lockfiles.
public enum RFC3339 {
    /// `date` in whole seconds, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func string(from date: Date) -> String {
        let time = CivilTime(date)
        func two(_ value: Int) -> String { CivilTime.padded(value, 2) }
        return "\(CivilTime.padded(time.year, 4))-\(two(time.month))-\(two(time.day))T\(two(time.hour)):\(two(time.minute)):\(two(time.second))Z"
    }

    /// The date of `text` in the form `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, or `nil` (also
    /// for a day its month does not have, such as 02-30, which would be read as another
    /// day and written back as it, and for an instant after 9999-12-31T23:59:59Z, which
    /// could not be written back).
    public static func date(from text: String) -> Date? {
        date(utf8: ArraySlice(text.utf8))
    }

    /// ``date(from:)`` of the UTF-8 bytes `text` (a lockfile reader's, with no `String` made).
    static func date(utf8 text: ArraySlice<UInt8>) -> Date? {
        let start = text.startIndex
        let count = text.count
        guard count >= 20, text.last == UInt8(ascii: "Z"), text[start + 4] == UInt8(ascii: "-"),
              text[start + 7] == UInt8(ascii: "-"), text[start + 10] == UInt8(ascii: "T"),
              text[start + 13] == UInt8(ascii: ":"), text[start + 16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = text[start + index]
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), day >= 1, day <= CivilTime.days(inMonth: month, of: year), hour < 24, minute < 60,
              second <= 60
        else { return nil }
        var fraction = 0.0
        if count > 20 {
            guard text[start + 19] == UInt8(ascii: "."), count > 21 else { return nil }
            var scale = 0.1
            for index in 20..<(count - 1) {
                let byte = text[start + index]
                guard (48...57).contains(byte) else { return nil }
                fraction += Double(byte - 48) * scale
                scale /= 10
            }
        }
        let whole = CivilTime.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        let date = whole.addingTimeInterval(fraction)
        // A leap second, or a fraction rounded up, can carry 9999-12-31T23:59:59 into
        // year 10000, which `string(from:)` cannot write in four digits.
        guard CivilTime(date).year <= 9999 else { return nil }
        return date
    }
}
