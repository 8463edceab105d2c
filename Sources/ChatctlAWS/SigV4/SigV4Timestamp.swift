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
        let time = CivilTime(self.date)
        self.amzDate =
            CivilTime.padded(time.year, 4) + CivilTime.padded(time.month, 2) + CivilTime.padded(time.day, 2) + "T"
            + CivilTime.padded(time.hour, 2) + CivilTime.padded(time.minute, 2) + CivilTime.padded(time.second, 2) + "Z"
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
        self.init(CivilTime.date(
            year: Int(year), month: Int(month), day: Int(day), hour: Int(hour), minute: Int(minute), second: Int(second)))
        // Reject dates such as 20150231 that do not round-trip.
        guard self.amzDate == amzDate else { return nil }
    }

    /// `yyyyMMdd` in UTC, the first element of the credential scope.
    public var dateStamp: String {
        String(amzDate.prefix(8))
    }

    /// The `X-Amz-Date` form.
    public var description: String { amzDate }
}
