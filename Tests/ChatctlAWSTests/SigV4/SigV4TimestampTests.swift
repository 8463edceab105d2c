import ChatctlAWS
import Foundation
import Testing

@Suite struct SigV4TimestampTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var seconds: TimeInterval
        var amzDate: String
        var testDescription: String { amzDate }
    }

    static let cases: [Case] = [
        Case(seconds: 0, amzDate: "19700101T000000Z"),
        Case(seconds: 1_440_938_160, amzDate: "20150830T123600Z"),
        Case(seconds: 951_782_400, amzDate: "20000229T000000Z"),
        Case(seconds: 4_102_444_799, amzDate: "20991231T235959Z"),
        Case(seconds: -1, amzDate: "19691231T235959Z"),
    ]

    @Test(arguments: cases)
    func formatsAndParsesUTCBasicFormat(_ testCase: Case) throws {
        let timestamp = SigV4Timestamp(Date(timeIntervalSince1970: testCase.seconds))
        #expect(timestamp.amzDate == testCase.amzDate)
        #expect(timestamp.dateStamp == String(testCase.amzDate.prefix(8)))
        let parsed = try #require(SigV4Timestamp(amzDate: testCase.amzDate))
        #expect(parsed.date.timeIntervalSince1970 == testCase.seconds)
    }

    @Test func truncatesFractionalSeconds() {
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 1_440_938_160.999)).amzDate == "20150830T123600Z")
    }

    @Test(arguments: ["20150830T123600", "2015-08-30T12:36:00Z", "20150231T000000Z", "20151330T000000Z", "20150830T246000Z", ""])
    func rejectsMalformedValues(_ text: String) {
        #expect(SigV4Timestamp(amzDate: text) == nil)
    }
}
