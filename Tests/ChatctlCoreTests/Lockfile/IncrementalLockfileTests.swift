import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

@Suite struct IncrementalLockfileTests {
    /// Names that test the member order (byte order, not Swift's `<`), escaping, canonical
    /// equivalence (é as one scalar and as two) and text that looks like the marker the
    /// parts are joined at.
    static let names = [
        "a", "b-1", "b", "z9", "entries", "é", "e\u{301}", "quote\"d", "new\nline", "\n  \"entries\": {}", "😀", "",
        "A", "tab\there",
    ]

    @Test func encodesRandomLockfilesAndChangesExactlyAsTheWholeEncoderDoes() throws {
        let codec = try LockfileCodec()
        var random = SplitMix64(seed: 15)
        for _ in 0..<30 {
            var state = IncrementalLockfile(Self.randomLockfile(&random), codec: codec)
            try Self.expectSame(state.encoded(), codec.encode(state.lockfile))
            for _ in 0..<20 {
                let name = Self.names[Int(random.next() % UInt64(Self.names.count))]
                switch random.next() % 5 {
                case 0: state.setEntry(nil, for: name)
                case 1: state.setSerial(Int(random.next() % 1_000))
                default: state.setEntry(Self.randomEntry(&random), for: name)
                }
                try Self.expectSame(state.encoded(), codec.encode(state.lockfile))
            }
        }
    }

    @Test func aChangedEntryIsWrittenWithItsNewFactsNotItsFirstOnes() throws {
        let codec = try LockfileCodec()
        var pending = try #require(LockfileCodecTests.sample.entries["pending-one"])
        var state = IncrementalLockfile(LockfileCodecTests.sample, codec: codec)
        pending.status = .started
        pending.contactId = "c-new"
        state.setEntry(pending, for: "pending-one")
        let written = try codec.decode(state.encoded(), file: "chatctl.lock.json")
        #expect(written.entries["pending-one"] == pending)
        #expect(written == state.lockfile)
    }

    /// Stops at the first difference, naming where it is (the whole bytes would fill the log).
    static func expectSame(_ encoded: [UInt8], _ whole: [UInt8]) throws {
        let same = encoded == whole
        let offset = (0..<min(encoded.count, whole.count)).first { encoded[$0] != whole[$0] } ?? min(encoded.count, whole.count)
        let around = { (bytes: [UInt8]) in String(decoding: bytes[max(0, offset - 40)..<min(bytes.count, offset + 40)], as: UTF8.self) }
        try #require(same, "differs at byte \(offset) of \(whole.count): \(around(encoded).debugDescription) instead of \(around(whole).debugDescription)")
    }

    static func randomLockfile(_ random: inout SplitMix64) -> Lockfile {
        var lockfile = Lockfile(serial: Int(random.next() % 100))
        switch random.next() % 4 {
        case 0: lockfile.endpoint = .aws
        case 1: lockfile.endpoint = .emulator
        // A URL holding the marker's text: escaped in the document, so never mistaken for it.
        case 2: lockfile.endpoint = .custom(url: "http://h/\n  \"entries\": {}")
        default: break
        }
        if random.next() % 2 == 0 { lockfile.inputs = LockfileInputs(roots: ["profiles", "b \"c\""]) }
        if random.next() % 2 == 0 { lockfile.memberSalt = String(repeating: "ab", count: 16) }
        for _ in 0..<(random.next() % 6) {
            lockfile.entries[names[Int(random.next() % UInt64(names.count))]] = randomEntry(&random)
        }
        return lockfile
    }

    static func randomEntry(_ random: inout SplitMix64) -> LockEntry {
        func maybe<T>(_ value: T) -> T? { random.next() % 2 == 0 ? value : nil }
        func date() -> Date { Date(timeIntervalSince1970: 1_795_000_000 + Double(random.next() % 100_000)) }
        let status = LockEntry.Status.allCases[Int(random.next() % UInt64(LockEntry.Status.allCases.count))]
        return LockEntry(
            digest: "sha256:" + String(repeating: "0123456789abcdef".randomElement(using: &random) ?? "a", count: 64),
            generation: Int(random.next() % 5) + 1, clientToken: "token-\(random.next() % 1_000)", status: status,
            contactId: maybe("c-\(random.next() % 100)"), participantId: maybe("p-1"),
            participantTokenSha256: maybe(String(repeating: "b", count: 64)), continuedFromContactId: maybe("c-0"),
            region: maybe("eu-west-2"), instance: maybe("12345678-1234-1234-1234-123456789012"),
            startedAt: maybe(date()), expiresAt: maybe(date()), attempts: maybe(Int(random.next() % 4)),
            error: maybe(LockEntry.Failure(code: "ThrottlingException", message: "slow \"down\"\n", requestId: maybe("r-1"))),
            stoppedAt: maybe(date()),
            observed: maybe(LockEntry.Observation(state: .queued, refreshedAt: date(), queuedAt: maybe(date()), queueId: maybe("q"))),
            relatedContactId: maybe("c-rel"), replacing: maybe(LockfileCodecTests.replacement),
            members: maybe([
                "ChatDurationInMinutes": MemberRecord.value(.integer(Int(random.next() % 500))), "Attributes.x": .digest("ff"),
            ]))
    }
}
