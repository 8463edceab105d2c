import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

@Suite struct LockfileCodecTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lockfile/golden.lock.json")

    static let sample = Lockfile(serial: 7, entries: [
        "vip-greeting": LockEntry(
            digest: "sha256:" + String(repeating: "a", count: 64), generation: 2, clientToken: "chatctl-vip-greeting-g2-abc",
            status: .started, contactId: "c-1", participantId: "p-1", participantTokenSha256: String(repeating: "b", count: 64),
            region: "us-west-2", instance: "12345678-1234-1234-1234-123456789012",
            startedAt: Date(timeIntervalSince1970: 1_795_000_000), expiresAt: Date(timeIntervalSince1970: 1_795_090_000),
            attempts: 1),
        "intake": LockEntry(
            digest: "sha256:" + String(repeating: "c", count: 64), generation: 1, clientToken: "t", status: .failed,
            attempts: 3, error: .init(code: "InvalidParameterException", message: "bad \"duration\"", requestId: "r-1")),
        "pending-one": LockEntry(
            digest: "sha256:" + String(repeating: "d", count: 64), generation: 1, clientToken: "t2", status: .pending),
    ])

    @Test func writesDeterministicBytesMatchingTheGoldenFile() throws {
        let codec = try LockfileCodec()
        let bytes = codec.encode(Self.sample)
        if ProcessInfo.processInfo.environment["CHATCTL_UPDATE_GOLDEN"] == "1" { try Data(bytes).write(to: Self.golden) }
        #expect(bytes == Array(try Data(contentsOf: Self.golden)))
        #expect(bytes.last == UInt8(ascii: "\n"))
    }

    @Test func readsBackWhatItWrote() throws {
        let codec = try LockfileCodec()
        #expect(try codec.decode(codec.encode(Self.sample), file: "l.json") == Self.sample)
    }

    @Test func reportsCorruptJSONWithItsPosition() throws {
        let codec = try LockfileCodec()
        #expect {
            try codec.decode(Array("{\n  \"serial\": 1,\n  oops\n}".utf8), file: "chatctl.lock.json")
        } throws: { error in
            let diagnostic = (error as? LockfileError)?.diagnostic
            return diagnostic?.code == "lockfile.corrupt" && diagnostic?.location?.line == 3 && diagnostic?.location?.column == 3
        }
    }

    @Test func refusesALockfileFromANewerVersion() throws {
        let codec = try LockfileCodec()
        #expect {
            try codec.decode(Array(#"{"lockfileVersion": 2, "serial": 1, "entries": {}}"#.utf8), file: "l.json")
        } throws: { error in
            (error as? LockfileError)?.diagnostic.message == "the lockfile has lockfileVersion 2; this chatctl reads version 1"
        }
    }

    @Test func refusesContentThatBreaksTheSchema() throws {
        let codec = try LockfileCodec()
        let text = #"{"lockfileVersion": 1, "serial": 1, "entries": {"a": {"digest": "x", "generation": 1, "clientToken": "t", "status": "started"}}}"#
        #expect(throws: LockfileError.self) { try codec.decode(Array(text.utf8), file: "l.json") }
    }

    /// SPEC 7: the lockfile never holds a participant token, a customer id, a credential
    /// or an attribute value. What it writes is the members SPEC 7 lists and nothing else,
    /// and a lockfile that carries anything more is refused, not read and written back.
    @Test func neverWritesATokenOrACustomerId() throws {
        let codec = try LockfileCodec()
        var sample = Self.sample
        sample.entries["continued"] = LockEntry(
            digest: "sha256:" + String(repeating: "e", count: 64), generation: 3, clientToken: "t3", status: .stopped,
            contactId: "c-2", participantId: "p-2", participantTokenSha256: String(repeating: "f", count: 64),
            continuedFromContactId: "c-1", region: "eu-west-2", instance: "12345678-1234-1234-1234-123456789012",
            startedAt: Date(timeIntervalSince1970: 1_795_000_000), expiresAt: Date(timeIntervalSince1970: 1_795_003_600),
            attempts: 2, error: .init(code: "LimitExceededException", message: "m", requestId: "r-2"))
        let written = try JSONParser.parse(codec.encode(sample))
        let listed: Set<String> = [
            "digest", "generation", "clientToken", "status", "contactId", "participantId", "participantTokenSha256",
            "continuedFromContactId", "region", "instance", "startedAt", "expiresAt", "attempts", "error",
        ]
        func members(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue.map { Array($0.keys) } ?? []) }
        #expect(members(written) == ["lockfileVersion", "serial", "entries"])
        let entries = written["entries"]?.objectValue ?? [:]
        #expect(entries.count == 4)
        #expect(members(entries["continued"]) == listed, "every member is written once it is set")
        for (name, entry) in entries {
            #expect(members(entry).isSubset(of: listed), "\(name) has \(members(entry).subtracting(listed).sorted())")
        }

        let entry = #""digest": "sha256:\#(String(repeating: "a", count: 64))", "generation": 1, "clientToken": "t", "status": "pending""#
        let accepted = #"{"lockfileVersion": 1, "serial": 1, "entries": {"a": {\#(entry)}}}"#
        #expect(throws: Never.self) { try codec.decode(Array(accepted.utf8), file: "l.json") }
        for member in ["participantToken", "customerId", "attributes", "secretAccessKey", "displayName"] {
            let text = #"{"lockfileVersion": 1, "serial": 1, "entries": {"a": {\#(entry), "\#(member)": "x"}}}"#
            #expect(throws: LockfileError.self, "a lockfile with \(member) must be refused") {
                try codec.decode(Array(text.utf8), file: "l.json")
            }
        }
    }

    @Test(arguments: [0, 1_795_000_000, 951_782_400, 4_102_444_800])
    func roundTripsRFC3339Times(seconds: Int) {
        let date = Date(timeIntervalSince1970: Double(seconds))
        #expect(RFC3339.date(from: RFC3339.string(from: date)) == date)
    }

    @Test func formatsRFC3339InUTC() {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.date(from: "2000-02-29T00:00:00.5Z") == Date(timeIntervalSince1970: 951_782_400.5))
        #expect(RFC3339.date(from: "2000-13-01T00:00:00Z") == nil)
    }
}
