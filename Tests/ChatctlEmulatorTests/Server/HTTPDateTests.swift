import Foundation
import Testing

@testable import ChatctlEmulator

@Suite struct HTTPDateTests {
    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00.000Z"),
        (784_111_777.25, "Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37.250Z"),
        (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 GMT", "2000-02-29T00:00:00.000Z"),
        (1_767_225_599.999, "Wed, 31 Dec 2025 23:59:59 GMT", "2025-12-31T23:59:59.999Z"),
        (-1.0, "Wed, 31 Dec 1969 23:59:59 GMT", "1969-12-31T23:59:59.000Z"),
    ])
    func formatsLikeFoundation(_ seconds: Double, _ http: String, _ iso: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(HTTPDate.format(date) == http)
        #expect(HTTPDate.iso8601(date) == iso)
    }
}
