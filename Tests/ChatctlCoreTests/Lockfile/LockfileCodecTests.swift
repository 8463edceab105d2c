import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

@Suite struct LockfileCodecTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lockfile/golden.lock.json")

    static let version1 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lockfile/version1.lock.json")

    static let sample = Lockfile(serial: 7, endpoint: .custom(url: "http://127.0.0.1:4566"), inputs: LockfileInputs(roots: ["profiles", "../shared/greetings.yaml"]),
        memberSalt: "0123456789abcdef0123456789abcdef", entries: [
        "vip-greeting": LockEntry(
            digest: "sha256:" + String(repeating: "a", count: 64), generation: 2, clientToken: "chatctl-vip-greeting-g2-abc",
            status: .started, contactId: "c-1", participantId: "p-1", participantTokenSha256: String(repeating: "b", count: 64),
            region: "us-west-2", instance: "12345678-1234-1234-1234-123456789012",
            startedAt: Date(timeIntervalSince1970: 1_795_000_000), expiresAt: Date(timeIntervalSince1970: 1_795_090_000),
            attempts: 1, members: [
                "ChatDurationInMinutes": .value(.integer(90)), "Attributes.tier": .digest(String(repeating: "f", count: 64)),
                "SupportedMessagingContentTypes": .value(.array([.string("text/plain")])),
            ], verification: .init(status: .passed, at: Date(timeIntervalSince1970: 1_795_000_090))),
        "intake": LockEntry(
            digest: "sha256:" + String(repeating: "c", count: 64), generation: 1, clientToken: "t", status: .failed,
            attempts: 3, error: .init(code: "InvalidParameterException", message: "bad \"duration\"", requestId: "r-1")),
        "pending-one": LockEntry(
            digest: "sha256:" + String(repeating: "d", count: 64), generation: 1, clientToken: "t2", status: .pending),
        "stopped-one": LockEntry(
            digest: "sha256:" + String(repeating: "e", count: 64), generation: 1, clientToken: "t3", status: .stopped,
            contactId: "c-3", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
            expiresAt: Date(timeIntervalSince1970: 1_795_090_000), stoppedAt: Date(timeIntervalSince1970: 1_795_000_600),
            observed: .init(
                state: .ended, refreshedAt: Date(timeIntervalSince1970: 1_795_000_700),
                disconnectedAt: Date(timeIntervalSince1970: 1_795_000_601), queuedAt: Date(timeIntervalSince1970: 1_795_000_100),
                queueId: "q-1", agentConnectedAt: Date(timeIntervalSince1970: 1_795_000_200)),
            verification: .init(status: .failed, at: Date(timeIntervalSince1970: 1_795_000_300), failedStep: 3)),
    ])

    @Test func writesDeterministicBytesMatchingTheGoldenFile() throws {
        let codec = try LockfileCodec()
        let bytes = codec.encode(Self.sample)
        if ProcessInfo.processInfo.environment["CHATCTL_UPDATE_GOLDEN"] == "1" { try Data(bytes).write(to: Self.golden) }
        #expect(bytes == Array(try Data(contentsOf: Self.golden)))
        #expect(bytes.last == UInt8(ascii: "\n"))
    }

    static let replacement = LockEntry.Replacement(
        contactId: "c-old", instance: "12345678-1234-1234-1234-123456789012", region: "eu-west-2",
        expiresAt: Date(timeIntervalSince1970: 1_795_090_000), then: .stop)

    @Test func readsBackTheReplacedChatAndTheRelatedContactOfAPendingEntry() throws {
        let codec = try LockfileCodec()
        var lockfile = Lockfile(serial: 2, endpoint: .aws)
        lockfile.entries["a"] = LockEntry(
            digest: "sha256:" + String(repeating: "a", count: 64), generation: 2, clientToken: "t", status: .pending,
            relatedContactId: "c-target", replacing: Self.replacement)
        var kept = Self.replacement
        kept.then = .keep
        kept.instance = nil
        kept.region = nil
        kept.expiresAt = nil
        lockfile.entries["b"] = LockEntry(
            digest: "sha256:" + String(repeating: "b", count: 64), generation: 3, clientToken: "u", status: .failed,
            error: .init(code: "InvalidParameterException", message: "bad"), replacing: kept)
        let bytes = codec.encode(lockfile)
        #expect(try codec.decode(bytes, file: "l.json") == lockfile)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""then": "stop""#))
        #expect(text.contains(#""then": "keep""#))
        #expect(text.contains(#""relatedContactId": "c-target""#))
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
            try codec.decode(Array(#"{"lockfileVersion": 4, "serial": 1, "entries": {}}"#.utf8), file: "l.json")
        } throws: { error in
            (error as? LockfileError)?.diagnostic.message == "the lockfile has lockfileVersion 4; this chatctl reads versions 1 to 3"
        }
    }

    /// A version 1 lockfile (the golden file of the previous release) reads, and its next
    /// write is version 3 with every member it had, unchanged, and nothing more.
    @Test func upgradesAVersion1LockfileOnWriteWithNothingLost() throws {
        let codec = try LockfileCodec()
        let old = Array(try Data(contentsOf: Self.version1))
        let lockfile = try codec.decode(old, file: "l.json")
        #expect(lockfile.endpoint == nil && lockfile.recordedEndpoint == .aws)
        guard case .object(var before)? = try? JSONParser.parse(old),
              case .object(var after)? = try? JSONParser.parse(codec.encode(lockfile)) else {
            Issue.record("not objects")
            return
        }
        #expect(before["lockfileVersion"] == .integer(1) && after["lockfileVersion"] == .integer(3))
        before["lockfileVersion"] = nil
        after["lockfileVersion"] = nil
        #expect(before == after)
    }

    @Test func readsEachEndpointBack() throws {
        let codec = try LockfileCodec()
        for endpoint in [LockfileEndpoint.aws, .emulator, .custom(url: "https://connect.example.test")] {
            #expect(try codec.decode(codec.encode(Lockfile(serial: 1, endpoint: endpoint)), file: "l.json").endpoint == endpoint)
        }
        let urlWithoutCustom = #"{"lockfileVersion": 2, "serial": 1, "endpoint": {"kind": "aws", "url": "x"}, "entries": {}}"#
        #expect(throws: LockfileError.self) { try codec.decode(Array(urlWithoutCustom.utf8), file: "l.json") }
        let customWithoutURL = #"{"lockfileVersion": 2, "serial": 1, "endpoint": {"kind": "custom"}, "entries": {}}"#
        #expect(throws: LockfileError.self) { try codec.decode(Array(customWithoutURL.utf8), file: "l.json") }
    }

    /// A verification is passed without a failed step, or failed with one: a record that
    /// says both, or a failure without its step, is refused.
    @Test func refusesAVerificationThatContradictsItself() throws {
        let codec = try LockfileCodec()
        let entry = #""digest": "sha256:\#(String(repeating: "a", count: 64))", "generation": 1, "clientToken": "t", "status": "started", "contactId": "c""#
        func lockfile(_ verification: String) -> [UInt8] {
            Array(#"{"lockfileVersion": 3, "serial": 1, "entries": {"a": {\#(entry), "verification": \#(verification)}}}"#.utf8)
        }
        let passed = try codec.decode(lockfile(#"{"status": "passed", "at": "2026-12-06T02:00:00Z"}"#), file: "l.json")
        #expect(passed.entries["a"]?.verification == .init(status: .passed, at: Date(timeIntervalSince1970: 1_796_522_400)))
        let failed = try codec.decode(lockfile(#"{"status": "failed", "at": "2026-12-06T02:00:00Z", "failedStep": 4}"#), file: "l.json")
        #expect(failed.entries["a"]?.verification?.failedStep == 4)
        for bad in [
            #"{"status": "passed", "at": "2026-12-06T02:00:00Z", "failedStep": 2}"#,
            #"{"status": "failed", "at": "2026-12-06T02:00:00Z"}"#,
            #"{"status": "failed", "at": "2026-12-06T02:00:00Z", "failedStep": 0}"#,
            #"{"status": "passed", "at": "2026-12-06T02:00:00Z", "transcript": "hello"}"#,
        ] {
            #expect(throws: LockfileError.self, "\(bad)") { try codec.decode(lockfile(bad), file: "l.json") }
        }
    }

    @Test func refusesContentThatBreaksTheSchema() throws {
        let codec = try LockfileCodec()
        let text = #"{"lockfileVersion": 1, "serial": 1, "entries": {"a": {"digest": "x", "generation": 1, "clientToken": "t", "status": "started"}}}"#
        #expect(throws: LockfileError.self) { try codec.decode(Array(text.utf8), file: "l.json") }
    }

    /// Content that breaks the lockfile's rules is reported where it is, as bad JSON is: the
    /// line and column of the value (of the member's name for one that is not allowed, of
    /// the object lacking a required member), not the file's first character.
    @Test func namesTheLineAndColumnOfContentThatBreaksTheRules() throws {
        let codec = try LockfileCodec()
        let text = String(decoding: try codec.encode(Self.sample), as: UTF8.self)
        /// `text` with `old` (once) replaced by `new`, and where `marker` starts in it.
        func edited(_ old: String, _ new: String, marker: String) throws -> (bytes: [UInt8], line: Int, column: Int) {
            let range = try #require(text.range(of: old), "\(old)")
            #expect(text.range(of: old, range: range.upperBound..<text.endIndex) == nil, "\(old) occurs once")
            let changed = text.replacingCharacters(in: range, with: new)
            let start = try #require(changed.range(of: marker), "\(marker)").lowerBound
            let before = changed[..<start]
            let line = before.filter { $0 == "\n" }.count + 1
            let column = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex) + 1
            return (Array(changed.utf8), line, column)
        }
        let cases: [(old: String, new: String, marker: String, code: String, path: String?)] = [
            // A value of the wrong shape (the schema).
            (#""status": "started""#, #""status": "begun""#, #""begun""#, "lockfile.invalid", "entries.vip-greeting.status"),
            // A member the schema does not allow: at its name.
            (#""attempts": 1,"#, #""attempts": 1, "customerId": "c","#, #""customerId""#, "lockfile.invalid", "entries.vip-greeting.customerId"),
            // A time the schema's pattern takes but no calendar has (the reader's own check).
            (#""at": "2026-11-18T11:08:10Z""#, #""at": "2026-02-30T11:08:10Z""#, #""2026-02-30"#,
             "lockfile.invalid", "entries.vip-greeting.verification.at"),
            // A required member missing: at the object that lacks it.
            (#""clientToken": "t3","# + "\n      ", "", "{\n      \"contactId\": \"c-3\"", "lockfile.invalid", "entries.stopped-one"),
            // A number beyond Int.max.
            (#""serial": 7"#, #""serial": 1e30"#, "1e30", "lockfile.invalid", "serial"),
            // A newer format.
            (#""lockfileVersion": 3"#, #""lockfileVersion": 4"#, "4,", "lockfile.version", nil),
        ]
        for (old, new, marker, code, path) in cases {
            let (bytes, line, column) = try edited(old, new, marker: marker)
            #expect(LockfileDecoder.decode(bytes) == nil, "the typed reading gives up: \(new)")
            let error = #expect(throws: LockfileError.self) { try codec.decode(bytes, file: "l.json") }
            let diagnostic = error?.diagnostic
            #expect(diagnostic?.code == code && diagnostic?.path == path, "\(new): \(String(describing: diagnostic))")
            #expect(diagnostic?.location == SourceLocation(file: "l.json", line: line, column: column), "\(new): \(String(describing: diagnostic?.location))")
            #expect(line > 1, "\(new)")
        }
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
            attempts: 2, error: .init(code: "LimitExceededException", message: "m", requestId: "r-2"),
            stoppedAt: Date(timeIntervalSince1970: 1_795_000_100), observed: .init(state: .gone, refreshedAt: Date(timeIntervalSince1970: 1_795_000_200)),
            relatedContactId: "c-0", replacing: Self.replacement,
            members: ["Region": .value(.string("eu-west-2"))],
            verification: .init(status: .failed, at: Date(timeIntervalSince1970: 1_795_000_050), failedStep: 1))
        let written = try JSONParser.parse(codec.encode(sample))
        let listed: Set<String> = [
            "digest", "generation", "clientToken", "status", "contactId", "participantId", "participantTokenSha256",
            "continuedFromContactId", "region", "instance", "startedAt", "expiresAt", "attempts", "error",
            "stoppedAt", "observed", "relatedContactId", "replacing", "members", "verification",
        ]
        func members(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue.map { Array($0.keys) } ?? []) }
        #expect(members(written) == ["lockfileVersion", "serial", "endpoint", "inputs", "memberSalt", "entries"])
        #expect(members(written["inputs"]) == ["roots"], "paths only")
        let entries = written["entries"]?.objectValue ?? [:]
        #expect(entries.count == 5)
        // The observation: state and times only, never anything else DescribeContact said.
        #expect(members(entries["stopped-one"]?["observed"])
            == ["state", "refreshedAt", "disconnectedAt", "queuedAt", "queueId", "agentConnectedAt"])
        #expect(members(entries["continued"]) == listed, "every member is written once it is set")
        // The verification: its outcome only, never the conversation's messages.
        #expect(members(entries["continued"]?["verification"]) == ["status", "at", "failedStep"])
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
            let observed = #""observed": {"state": "ended", "refreshedAt": "2026-01-01T00:00:00Z", "\#(member)": "x"}"#
            let inObserved = #"{"lockfileVersion": 2, "serial": 1, "entries": {"a": {\#(entry), \#(observed)}}}"#
            #expect(throws: LockfileError.self, "an observation with \(member) must be refused") {
                try codec.decode(Array(inObserved.utf8), file: "l.json")
            }
        }
    }

    @Test(arguments: [0, 1_795_000_000, 951_782_400, 4_102_444_800])
    func roundTripsRFC3339Times(seconds: Int) {
        let date = Date(timeIntervalSince1970: Double(seconds))
        #expect(RFC3339.date(from: RFC3339.string(from: date)) == date)
    }

    /// A day its month does not have is refused, not read as another day (02-30 as 03-02)
    /// and written back as that one.
    @Test func refusesADayItsMonthDoesNotHave() {
        for text in ["2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                     "2026-06-31T12:00:00Z", "2026-09-31T00:00:00Z", "2026-11-31T00:00:00Z", "2026-01-32T00:00:00Z",
                     "2026-01-00T00:00:00Z"] {
            #expect(RFC3339.date(from: text) == nil, "\(text)")
        }
        for text in ["2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2026-02-28T23:59:59Z", "2026-04-30T00:00:00Z",
                     "2026-12-31T23:59:59Z", "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z"] {
            let date = RFC3339.date(from: text)
            #expect(date.map(RFC3339.string(from:)) == text, "\(text)")
        }
    }

    @Test func formatsRFC3339InUTC() {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.date(from: "2000-02-29T00:00:00.5Z") == Date(timeIntervalSince1970: 951_782_400.5))
        #expect(RFC3339.date(from: "2000-13-01T00:00:00Z") == nil)
    }
}
