import Foundation
import Testing

@testable import ChatctlEmulator

@Suite struct TokenBucketTests {
    let start = Date(timeIntervalSince1970: 1_767_225_600)

    static func take(_ bucket: inout TokenBucket, _ count: Int, at now: Date) -> [Bool] {
        (0..<count).map { _ in bucket.take(now: now) }
    }

    @Test func refillsAtTheRateUpToTheBurst() {
        var bucket = TokenBucket(rate: 2, burst: 3)
        let first = Self.take(&bucket, 4, at: start)
        #expect(first == [true, true, true, false])
        let half = Self.take(&bucket, 2, at: start.addingTimeInterval(0.5))
        #expect(half == [true, false])
        // A long pause refills no more than the burst.
        let later = Self.take(&bucket, 4, at: start.addingTimeInterval(3600))
        #expect(later == [true, true, true, false])
    }

    @Test func aZeroRateNeverThrottles() {
        var bucket = TokenBucket(rate: 0, burst: 1)
        let taken = Self.take(&bucket, 100, at: start)
        #expect(taken.allSatisfy { $0 })
    }

    @Test func aClockGoingBackAddsNothing() {
        var bucket = TokenBucket(rate: 1, burst: 1)
        let first = bucket.take(now: start)
        let earlier = bucket.take(now: start.addingTimeInterval(-10))
        #expect(first && !earlier)
        #expect(bucket.secondsUntilNextToken(now: start.addingTimeInterval(-10)) == 1)
    }
}
