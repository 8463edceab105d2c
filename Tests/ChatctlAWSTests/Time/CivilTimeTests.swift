import Foundation
import Testing

@testable import ChatctlAWS

/// Calendar fields and seconds as text, for every value a `Double` can hold: these print
/// times and durations a user or a server gave, and must never trap.
@Suite struct CivilTimeTests {
    @Test func splitsADateIntoItsUTCFields() {
        let time = CivilTime(Date(timeIntervalSince1970: 951_825_599))
        #expect([time.year, time.month, time.day, time.hour, time.minute, time.second] as [Int] == [2000, 2, 29, 11, 59, 59])
        let before1970 = CivilTime(Date(timeIntervalSince1970: -1))
        #expect([before1970.year, before1970.month, before1970.day, before1970.second] as [Int] == [1969, 12, 31, 59])
    }

    /// Beyond `Int`'s seconds (`--connect-window 1e19` once crashed the emulator's admin
    /// API here) a date is held to about 3 billion years either side of 1970.
    @Test func holdsADateBeyondAnIntsSecondsToItsLimitRatherThanTrap() {
        for seconds in [1e19, -1e19, 1e300, -1e300, Double.infinity, -Double.infinity] {
            let time = CivilTime(Date(timeIntervalSince1970: seconds))
            let limit = CivilTime(Date(timeIntervalSince1970: seconds > 0 ? CivilTime.secondsLimit : -CivilTime.secondsLimit))
            #expect(time == limit, "\(seconds)")
        }
        #expect(CivilTime(Date(timeIntervalSince1970: 1e19)).year > 3_000_000_000)
        #expect(CivilTime(Date(timeIntervalSince1970: .nan)) == CivilTime(Date(timeIntervalSince1970: 0)))
    }

    @Test func countsTheDaysOfEachMonth() {
        #expect((1...12).map { CivilTime.days(inMonth: $0, of: 2026) } == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect(CivilTime.days(inMonth: 2, of: 2024) == 29)
        #expect(CivilTime.days(inMonth: 2, of: 2000) == 29)
        #expect(CivilTime.days(inMonth: 2, of: 1900) == 28)
    }

    /// `--grace 1e19` once crashed apply when SIGINT came: its message printed the
    /// seconds through `Int(_:)`.
    @Test func writesSecondsAsPeopleDoWhateverTheirSize() {
        #expect(SecondsText.text(10) == "10")
        #expect(SecondsText.text(2.5) == "2.5")
        #expect(SecondsText.text(0) == "0")
        #expect(SecondsText.text(1e19) == "1e+19")
        #expect(SecondsText.text(-1e300) == "-1e+300")
        #expect(SecondsText.text(.infinity) == "inf")
        #expect(SecondsText.text(9_007_199_254_740_992) == "9007199254740992")
    }
}
