import ChatctlAWS
import Foundation

/// Formats instants as HTTP dates (RFC 9110 section 5.6.7, `Sun, 06 Nov 1994 08:49:37 GMT`)
/// and as ISO 8601 UTC times, by arithmetic rather than with a `DateFormatter`, which would
/// cost more than the rest of a request.
enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ date: Date) -> String {
        let parts = components(date)
        return "\(weekdays[parts.weekday]), \(two(parts.day)) \(months[parts.month - 1]) \(parts.year) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }

    /// `1994-11-06T08:49:37.250Z` (milliseconds, UTC).
    static func iso8601(_ date: Date) -> String {
        let parts = components(date)
        let millis = Int(((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1000).rounded(.down))
        let millisText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.year)-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour)):\(two(parts.minute)):"
            + "\(two(parts.second)).\(millisText)Z"
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    private static func components(_ date: Date) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int
    ) {
        let time = CivilTime(date)
        // 1970-01-01 was a Thursday, the first name in `weekdays`.
        let weekday = ((time.daysSince1970 % 7) + 7) % 7
        return (time.year, time.month, time.day, time.hour, time.minute, time.second, weekday)
    }
}
