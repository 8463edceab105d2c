import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

/// The typed lockfile decoder against the generic reading (parser and schema): it must
/// read every valid lockfile to the same value, and accept nothing the generic reading
/// refuses (whose error is then the one reported).
@Suite struct LockfileDecoderTests {
    /// Every field the format has: each status, an observation, a replaced chat, both
    /// verifications, members of both kinds, strings with escapes and non-ASCII text.
    static let rich: Lockfile = {
        var lockfile = LockfileCodecTests.sample
        lockfile.entries["pending-one"]?.replacing = LockfileCodecTests.replacement
        lockfile.entries["pending-one"]?.relatedContactId = "c-target"
        lockfile.entries["intake"]?.error = .init(code: "Bad", message: "tab\there, quote \" é 😀 \\ /", requestId: "r")
        lockfile.entries["intake"]?.members = [
            "Attributes.ünï": .digest(String(repeating: "0", count: 64)),
            "ParticipantConfiguration": .value(.object(["ResponseMode": .string("INCREMENTAL"), "n": .array([.null, .bool(true)])])),
            "ChatDurationInMinutes": .value(.double(1.5)),
        ]
        return lockfile
    }()

    static func bytes(_ lockfile: Lockfile) throws -> [UInt8] { try LockfileCodec().encode(lockfile) }

    /// What the generic reading makes of `bytes`: the lockfile, or its error's text.
    static func generic(_ bytes: [UInt8]) throws -> Result<Lockfile, LockfileError> {
        let codec = try LockfileCodec()
        do {
            return .success(try codec.decodeGenerically(bytes, file: "chatctl.lock.json"))
        } catch {
            return .failure(error)
        }
    }

    /// The typed decoder, whole and in pieces of `pieceSize`, agrees with the generic
    /// reading on `bytes`; returns whether it accepted them.
    @discardableResult
    static func expectAgreement(_ bytes: [UInt8], pieceSizes: [Int] = [], _ comment: Comment? = nil) throws -> Bool {
        let typed = LockfileDecoder.decode(bytes)
        switch try generic(bytes) {
        case .success(let expected):
            if let typed { #expect(typed == expected, comment) }
        case .failure(let error):
            #expect(typed == nil, "accepted what the generic reading refuses: \(error.diagnostic.message) \(comment?.description ?? "")")
        }
        for size in pieceSizes {
            let streamed = try streamed(bytes, pieceSize: size)
            #expect(streamed == typed, "pieces of \(size) bytes \(comment?.description ?? "")")
        }
        return typed != nil
    }

    static func streamed(_ bytes: [UInt8], pieceSize: Int) throws -> Lockfile? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decoder-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        return LockfileDecoder.decode(reading: handle, pieceSize: pieceSize)
    }

    @Test func readsEveryFieldAsTheGenericReadingDoesWholeAndInPieces() throws {
        let bytes = try Self.bytes(Self.rich)
        #expect(try Self.expectAgreement(bytes, pieceSizes: [1, 2, 3, 7, 64, 4096]))
        #expect(LockfileDecoder.decode(bytes) == Self.rich)
    }

    @Test func readsTheGoldenAndVersion1FilesAsTheGenericReadingDoes() throws {
        for url in [LockfileCodecTests.golden, LockfileCodecTests.version1] {
            let bytes = Array(try Data(contentsOf: url))
            #expect(try Self.expectAgreement(bytes, pieceSizes: [5]), "\(url.lastPathComponent)")
        }
    }

    @Test func keepsTheMembersAsBytesUntilReadAndThenReadsThemExactly() throws {
        let typed = try #require(LockfileDecoder.decode(try Self.bytes(Self.rich)))
        let entry = try #require(typed.entries["intake"])
        guard case .encoded? = entry.memberStorage else {
            Issue.record("the members were decoded while reading")
            return
        }
        #expect(entry.members == Self.rich.entries["intake"]?.members)
        #expect(typed.entries["vip-greeting"]?.members == Self.rich.entries["vip-greeting"]?.members)
        #expect(typed.entries["pending-one"]?.members == nil)
    }

    /// For a reader that never writes (plan), the members stay in the file: where they lie
    /// is kept, and reading them gives exactly what the generic reading gives, whatever the
    /// size of the pieces the file was read in.
    @Test func keepsTheMembersWhereTheyLieInTheFileAndReadsThemExactly() throws {
        let bytes = try Self.bytes(Self.rich)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decoder-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let expected = try Self.generic(bytes).get()
        for pieceSize in [3, 64, LockfileDecoder.pieceSize] {
            let handle = try #require(FileHandle(forReadingAtPath: path))
            let typed = try #require(LockfileDecoder.decode(reading: handle, pieceSize: pieceSize, membersFile: LockfileMembersFile(handle, path: path)))
            let entry = try #require(typed.entries["intake"])
            guard case .inFile? = entry.memberStorage else {
                Issue.record("the members were kept in memory")
                return
            }
            #expect(entry.members == expected.entries["intake"]?.members, "pieces of \(pieceSize)")
            #expect(typed.entries["vip-greeting"]?.members == expected.entries["vip-greeting"]?.members)
            #expect(typed == expected, "pieces of \(pieceSize)")
            // Written again, the lockfile is the same bytes.
            #expect(try LockfileCodec().encode(typed) == bytes)
        }
    }

    /// Members kept in the file are read back through the handle held open: a lockfile
    /// renamed over it (an apply's fold) is not what is read, and the read-back check
    /// passes; the same file rewritten in place (`cp`, `git show … >`) or cut short fails
    /// the check, so a plan stops instead of showing member changes from another file.
    @Test func membersInTheFileAreCheckedToBeTheOnesDecoded() throws {
        let bytes = try Self.bytes(Self.rich)
        let expected = try Self.generic(bytes).get()
        let folder = try TemporaryFolder()
        func decoded(_ name: String) throws -> (path: String, lockfile: Lockfile) {
            let path = try folder.write(name, String(decoding: bytes, as: UTF8.self))
            // Written well before it is read, as a committed lockfile is: file times are
            // only as fine as the kernel's clock tick, and a rewrite in the same tick as
            // the first write would keep its modification time.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: path)
            let handle = try #require(FileHandle(forReadingAtPath: path))
            return (path, try #require(LockfileDecoder.decode(reading: handle, membersFile: LockfileMembersFile(handle, path: path))))
        }

        let untouched = try decoded("untouched.json")
        #expect(untouched.lockfile.entries["intake"]?.members == expected.entries["intake"]?.members)
        try untouched.lockfile.checkMembersReadBack()

        let renamedOver = try decoded("renamed.json")
        let other = try folder.write("other.json", "{}")
        #expect(rename(other, renamedOver.path) == 0)
        #expect(renamedOver.lockfile.entries["intake"]?.members == expected.entries["intake"]?.members)
        try renamedOver.lockfile.checkMembersReadBack()

        let truncated = try decoded("truncated.json")
        #expect(truncate(truncated.path, 200) == 0)
        _ = truncated.lockfile.entries["intake"]?.members
        #expect(throws: LockfileError.self) { try truncated.lockfile.checkMembersReadBack() }

        // Rewritten in place with bytes of the same length: only the file's identity tells.
        let rewritten = try decoded("rewritten.json")
        let writer = try #require(FileHandle(forWritingAtPath: rewritten.path))
        try writer.write(contentsOf: Data(bytes))
        try writer.close()
        let error = #expect(throws: LockfileError.self) { try rewritten.lockfile.checkMembersReadBack() }
        #expect(error?.diagnostic.message.contains("changed while chatctl was reading it") == true)
        #expect(rewritten.lockfile.entries["intake"]?.members == [:], "a read after the change gets nothing")
    }

    // The long loops yield: on two cores the test pool has two threads, and the emulator
    // tests' servers running beside these must get their turn.
    @Test func neverAcceptsATruncatedFileAndAgreesAtEveryOffset() async throws {
        let bytes = try Self.bytes(Self.rich)
        for end in stride(from: 0, to: bytes.count, by: 3) {
            try Self.expectAgreement(Array(bytes[..<end]), "truncated at \(end)")
            await Task.yield()
        }
    }

    /// Each field's value replaced by a value of every other type (and by out-of-range
    /// numbers): the typed decoder refuses exactly what the schema refuses.
    @Test func agreesOnAWrongTypeAtEveryField() async throws {
        let document = try JSONParser.parse(try Self.bytes(Self.rich))
        let replacements: [JSONValue] = [
            .null, .bool(true), .integer(0), .integer(-1), .integer(1), .integer(Int.max), .double(1.0), .double(2.5),
            .double(1e300), .string(""), .string("x"), .string("2024-05-01T12:00:00Z"), .array([]), .array([.string("a")]),
            .object([:]), .object(["value": .integer(1)]),
        ]
        var checked = 0
        for path in Self.paths(in: document) {
            for replacement in replacements {
                let changed = Self.replacing(document, at: path, with: replacement)
                try Self.expectAgreement(JSONWriter.pretty.bytes(changed), "\(path.joined(separator: ".")) = \(replacement)")
                checked += 1
            }
            await Task.yield()
        }
        #expect(checked > 500)
    }

    @Test func refusesADuplicateKeyInEveryObject() async throws {
        let text = String(decoding: try Self.bytes(Self.rich), as: UTF8.self)
        // Every member line `"key": value,` written twice.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var checked = 0
        for (number, line) in lines.enumerated() where line.hasSuffix(",") && line.contains("\": ") && !line.hasSuffix("{,") {
            var doubled = lines
            doubled.insert(line, at: number)
            let bytes = Array(doubled.joined(separator: "\n").utf8)
            #expect(LockfileDecoder.decode(bytes) == nil, "line \(number + 1): \(line)")
            guard case .failure(let error) = try Self.generic(bytes) else {
                Issue.record("the generic reading accepted a duplicate key at line \(number + 1)")
                continue
            }
            #expect(error.diagnostic.message.contains("duplicate key"), "\(error.diagnostic.message)")
            checked += 1
            await Task.yield()
        }
        #expect(checked > 20)
    }

    @Test(arguments: [
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e19", "1.0", "-0", "00", "1e", "1.",
        "99999999999999999999999999999999",
    ])
    func agreesOnHugeAndOddNumbers(number: String) throws {
        for field in ["\"serial\": 1", "\"generation\": 1", "\"attempts\": 1", "\"lockfileVersion\": 3", "\"failedStep\": 3"] {
            let text = String(decoding: try Self.bytes(LockfileCodecTests.sample), as: UTF8.self)
            guard let range = text.range(of: field) else { continue }
            let key = field.split(separator: ":")[0]
            let changed = text.replacingCharacters(in: range, with: "\(key): \(number)")
            try Self.expectAgreement(Array(changed.utf8), pieceSizes: [3], "\(key) = \(number)")
        }
    }

    @Test(arguments: [
        "", " ", "{", "[]", "null", "{}", "{\"entries\": {}}", "\u{FEFF}{}", "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}} x",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}}", "{\"lockfileVersion\": 4, \"serial\": 0, \"entries\": {}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"A\": {}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}, \"memberSalt\": \"0123456789abcdef0123456789ABCDEF\"}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}, \"endpoint\": {\"kind\": \"aws\", \"url\": \"http://x\"}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}, \"endpoint\": {\"kind\": \"custom\"}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}, \"inputs\": {\"roots\": [\"a\", \"a\"]}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}, \"inputs\": {\"roots\": [\"/a\"]}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {}, \"inputs\": {\"roots\": []}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"started\"}}}",
        // A profile's entry written twice (the same again, or another after a third).
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\"}, \"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\"}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\"}, \"b\": {\"digest\": \"sha256:\(String(repeating: "b", count: 64))\", \"generation\": 1, \"clientToken\": \"u\", \"status\": \"pending\"}, \"a\": {\"digest\": \"sha256:\(String(repeating: "c", count: 64))\", \"generation\": 2, \"clientToken\": \"v\", \"status\": \"pending\"}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\\u00e9\\ud83d\\ude00\", \"status\": \"pending\"}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"\\ud83d\", \"status\": \"pending\"}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": {\"X.a\\nb\": {\"digest\": \"\(String(repeating: "a", count: 64))\"}}}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": {\"X\": {\"value\": {\"k\": 1, \"k\": 2}}}}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": {\"X\": {\"value\": truex}}}}}",
        // A member value no Double holds: the generic reading refuses it ("too large"), so
        // the typed one must not keep it as bytes no later reading accepts.
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": {\"X\": {\"value\": 1e400}}}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": {\"X\": {\"value\": [-1\(String(repeating: "9", count: 400))]}}}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": {\"X\": {\"value\": 1.5e300}}}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"startedAt\": \"2024-02-30T12:00:00Z\"}}}",
        "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"region\": \"us--1\"}}}",
    ])
    func agreesOnHandWrittenCases(text: String) throws {
        try Self.expectAgreement(Array(text.utf8), pieceSizes: [1, 4])
    }

    /// A lockfile of one entry whose `members` object is `members`.
    static func withMembers(_ members: String) -> [UInt8] {
        let digest = String(repeating: "a", count: 64)
        return Array(("{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(digest)\", "
            + "\"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": \(members)}}}").utf8)
    }

    static let hex = String(repeating: "0", count: 64)

    /// The `members` objects read on their bytes (plain names, `digest` or `value`
    /// records) next to those that only the general reading may decide: the two must
    /// agree with the generic reading, whole and with the window moving at every byte.
    @Test(arguments: [
        "{}", "{\"A\": {\"digest\": \"\(hex)\"}}", "{ \"Attributes.tier\" : { \"value\" : [1, {\"k\": null}] } , \"B\": {\"digest\": \"\(hex)\"} }",
        "{\"Attributes.a b/c:d\": {\"value\": \"x\"}}", "{\"A.\": {\"value\": 1}}", "{\"A..\": {\"value\": 1}}",
        "{\"a\": {\"value\": 1}}", "{\"A1\": {\"value\": 1}}", "{\"\": {\"value\": 1}}", "{\"A-b\": {\"value\": 1}}",
        "{\"A\": {\"value\": 1}, \"A\": {\"value\": 1}}", "{\"A.x\": {\"value\": 1}, \"B\": {\"value\": 2}, \"A.x\": {\"value\": 1}}",
        "{\"A\": {\"value\": 1}, \"\\u0041\": {\"value\": 1}}", "{\"\\u0041\": {\"value\": 1}}", "{\"A.\\n\": {\"value\": 1}}",
        "{\"A.é\": {\"value\": 1}}", "{\"A\": {\"d\\u0069gest\": \"\(hex)\"}}", "{\"A\": {\"digest\": \"\(hex)\", \"value\": 1}}",
        "{\"A\": {}}", "{\"A\": {\"value\": 1,}}", "{\"A\": {\"digest\": \"\(hex.uppercased())\"}}", "{\"A\": {\"valuex\": 1}}",
        "{\"A\": {\"value\": 1}", "{\"A\" {\"value\": 1}}", "{\"A\": {\"value\": 1}}}",
        "{\"A.\(String(repeating: "x", count: 1022))\": {\"value\": 1}}", "{\"A.\(String(repeating: "x", count: 1023))\": {\"value\": 1}}",
        "{" + (0..<70).map { "\"M.\($0)\": {\"value\": \($0)}" }.joined(separator: ", ") + "}",
        "{" + (0..<70).map { "\"M.\($0 % 69)\": {\"value\": \($0)}" }.joined(separator: ", ") + "}",
    ])
    func agreesOnPlainAndOtherMemberNames(members: String) throws {
        try Self.expectAgreement(Self.withMembers(members), pieceSizes: [1, 5], "\(members.prefix(80))")
    }

    /// Member values and records of every shape near the one scan's (``PlainMembersScanner``):
    /// numbers, literals, strings, arrays, objects, nesting, whitespace, names out of order,
    /// digests near their form. Each must agree with the generic reading, whole and with the
    /// window moving at every byte, and be accepted whenever the generic reading accepts it.
    @Test(arguments: [
        "1", "-1", "0", "-0", "01", "-01", "00", "1.5", "1e5", "1E+5", "-", "--1", "+1", "1.", ".5",
        "123456789012345678", "1234567890123456789", "-123456789012345678", "1e400", "1" + String(repeating: "0", count: 400),
        "true", "false", "null", "tru", "truex", "nul", "True", "nulll", "true false",
        "\"x\"", "\"\"", "\"é\"", "\"a\\nb\"", "\"a\\\"b\"", "\"\\u0041\"", "\"\u{7F}\"", "\"\t\"", "\"x", "x\"",
        "[]", "[ ]", "[1,]", "[,1]", "[1 2]", "[[[]]]", "[1, \"a\", true, null, [], {}]", "[", "]",
        "{}", "{ }", "{\"a\": 1, \"b\": 2}", "{\"b\": 1, \"a\": 2}", "{\"a\": 1, \"a\": 2}", "{\"a\": 1, \"b\": 2, \"a\": 3}",
        "{\"a\" 1}", "{\"a\": 1,}", "{1: 2}", "{\"a\": {\"a\": {\"a\": []}}}", "{\"é\": 1}", "{\"\\u0061\": 1, \"a\": 2}",
        "{\"ResponseMode\": \"INCREMENTAL\"}", "[\"text/plain\", \"text/markdown\"]",
        String(repeating: "[", count: 15) + String(repeating: "]", count: 15),
        String(repeating: "[", count: 17) + String(repeating: "]", count: 17),
        String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
        String(repeating: "{\"a\": ", count: 40) + "1" + String(repeating: "}", count: 40),
        // Deeper than the generic parser allows.
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ])
    func agreesOnMemberValuesOfEveryShape(value: String) throws {
        for members in [
            "{\"A\": {\"value\": \(value)}}", "{\"A\": {\"digest\": \"\(Self.hex)\"}, \"B.x\": {\"value\": \(value)}}",
            " {\n  \"A\" :\t{ \"value\" : \(value) } ,\r\n \"B\": { \"value\": [ \(value) , \(value) ] } } ",
            "{\"B\": {\"value\": \(value)}, \"A\": {\"value\": 1}}",
        ] {
            try Self.expectFullAgreement(Self.withMembers(members), members)
        }
    }

    /// Records near their two shapes, and the members object itself near its shape.
    @Test(arguments: [
        "{\"A\": {\"digest\": \"\(hex)\"}}", "{\"A\": {\"digest\": \"\(hex.dropLast())\"}}", "{\"A\": {\"digest\": \"\(hex)0\"}}",
        "{\"A\": {\"digest\": \"\(hex.dropLast())g\"}}", "{\"A\": {\"digest\": \"\(hex.dropLast())A\"}}",
        "{\"A\": {\"digest\": \"\\u0030\(hex.dropFirst())\"}}", "{\"A\": {\"digest\": 1}}", "{\"A\": {\"digest\": null}}",
        "{\"A\": {\"digest\" : \"\(hex)\" }}", "{\"A\": {\"digests\": \"\(hex)\"}}", "{\"A\": {\"Value\": 1}}",
        "{\"A\": {\"value\": 1, \"value\": 1}}", "{\"A\": {\"value\": 1, \"digest\": \"\(hex)\"}}", "{\"A\": 1}",
        "{\"A\": []}", "{\"A\": {\"value\"}}", "{\"A\": {\"value\": }}", "{\"A\": {\"value\": 1}, }", "{, \"A\": {\"value\": 1}}",
        "{\"A\": {\"value\": 1}} ", "[]", "null", "{\"A\": {\"value\": 1}, \"A.b\": {\"value\": 1}, \"Ab\": {\"value\": 1}}",
        "{\"A\\u002eb\": {\"value\": 1}}", "{\"A.\\\"\": {\"value\": 1}}", "{\"A.\u{7F}\": {\"value\": 1}}",
        "{\"A.\u{2028}\": {\"value\": 1}}", "{\"A.\\u2028\": {\"value\": 1}}", "{\"A.\\n\": {\"value\": 1}}",
        "{" + (0..<64).map { "\"M.\(1000 + $0)\": {\"value\": \($0)}" }.joined(separator: ", ") + "}",
        "{" + (0..<65).map { "\"M.\(1000 + $0)\": {\"value\": \($0)}" }.joined(separator: ", ") + "}",
    ])
    func agreesOnRecordsAndObjectsNearTheirShape(members: String) throws {
        try Self.expectFullAgreement(Self.withMembers(members), "\(members.prefix(80))")
    }

    /// A lockfile whose one entry has one member, `A`, recorded with `value` as its raw bytes.
    static func withMemberValue(_ value: [UInt8]) throws -> [UInt8] {
        var bytes = withMembers("{\"A\": {\"value\": VALUE}}")
        let marker = Array("VALUE".utf8)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: marker) })
        bytes.replaceSubrange(at..<(at + marker.count), with: value)
        return bytes
    }

    /// A member value's string with every kind of content (invalid UTF-8, control
    /// characters, escapes, non-ASCII), as a value and as a key inside one.
    @Test func agreesOnEveryKindOfStringInAMemberValue() throws {
        for content in Self.stringContents {
            let string = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
            for value in [string, Array("{".utf8) + string + Array(": 1}".utf8), Array("[1, ".utf8) + string + Array("]".utf8)] {
                try Self.expectFullAgreement(Self.withMemberValue(value), "member value \(value)")
            }
        }
    }

    /// The plain names the bytes are checked for are accepted, and a repeated one refused,
    /// as the generic reading does.
    @Test func acceptsPlainNamesAndRefusesARepeatedOne() throws {
        #expect(LockfileDecoder.decode(Self.withMembers("{\"A.x\": {\"value\": 1}, \"B\": {\"digest\": \"\(Self.hex)\"}}")) != nil)
        #expect(LockfileDecoder.decode(Self.withMembers("{\"A.x\": {\"value\": 1}, \"B\": {\"value\": 2}, \"A.x\": {\"value\": 3}}")) == nil)
        #expect(LockfileDecoder.decode(Self.withMembers("{\"a\": {\"value\": 1}}")) == nil)
    }

    // MARK: The fast paths: strings from their bytes, keys and enums matched on bytes, dates without a string

    /// A lockfile of one entry, `fields` (raw JSON text after each key, as bytes, so that
    /// they may hold invalid UTF-8) replacing or adding to the four required ones.
    static func entry(_ fields: [(key: String, value: [UInt8])]) -> [UInt8] {
        entry(bytes: fields.map { (Array($0.key.utf8), $0.value) })
    }

    /// ``entry(_:)`` with keys as bytes.
    static func entry(bytes fields: [(key: [UInt8], value: [UInt8])]) -> [UInt8] {
        var members: [(key: [UInt8], value: [UInt8])] = [
            (Array("\"digest\"".utf8), Array("\"sha256:\(hex)\"".utf8)), (Array("\"generation\"".utf8), Array("1".utf8)),
            (Array("\"clientToken\"".utf8), Array("\"t\"".utf8)), (Array("\"status\"".utf8), Array("\"pending\"".utf8)),
        ]
        for field in fields {
            if let index = members.firstIndex(where: { $0.key == field.key }) { members[index] = field } else { members.append(field) }
        }
        var bytes = Array("{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {".utf8)
        for (number, member) in members.enumerated() {
            bytes += Array((number > 0 ? ", " : "").utf8) + member.key + Array(": ".utf8) + member.value
        }
        return bytes + Array("}}}".utf8)
    }

    /// The typed reading and the generic one agree on `bytes`, whole and with the window
    /// moving at every byte, and the typed reading accepts whatever the generic one does
    /// (these are its own fast paths, not cases it leaves to the generic reading).
    static func expectFullAgreement(_ bytes: [UInt8], _ comment: String) throws {
        let accepted = try expectAgreement(bytes, pieceSizes: [1, 3], Comment(rawValue: comment))
        let expected: Bool
        if case .success = try generic(bytes) { expected = true } else { expected = false }
        #expect(accepted == expected, "typed \(accepted), generic \(expected): \(comment)")
    }

    /// A string's content as raw bytes: ASCII, other valid UTF-8, invalid UTF-8 of each
    /// kind, escapes, and a raw control character.
    static let stringContents: [[UInt8]] = [
        Array("x".utf8), Array("é".utf8), Array("😀".utf8), Array("a\u{7F}b".utf8), [0xFF], [0x61, 0xC3], [0xC0, 0xAF],
        [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], Array("\\u0041".utf8), Array("\\\\".utf8),
        Array("\\ud83d\\ude00".utf8), [0x09], Array("".utf8),
    ]

    /// Every string field of an entry, and its keys, written with each kind of content:
    /// invalid UTF-8 is refused (ASCII alone is made into text without validation), other
    /// text read exactly, escapes decoded before the field's check.
    @Test(arguments: [
        "clientToken", "contactId", "participantId", "continuedFromContactId", "relatedContactId", "instance", "region",
        "digest", "participantTokenSha256", "status", "startedAt",
    ])
    func agreesOnEveryKindOfStringInEachField(field: String) throws {
        for content in Self.stringContents {
            let value = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
            try Self.expectFullAgreement(Self.entry([("\"\(field)\"", value)]), "\(field) = \(content)")
            // The same content around a valid value of the field, and as a key.
            let valid: [String: String] = [
                "region": "us-west-2", "digest": "sha256:\(Self.hex)", "participantTokenSha256": Self.hex, "status": "started",
                "startedAt": "2026-01-02T03:04:05Z",
            ]
            let around = Array((valid[field] ?? "abc").utf8)
            try Self.expectFullAgreement(
                Self.entry([("\"\(field)\"", [UInt8(ascii: "\"")] + around.prefix(3) + content + around.dropFirst(3) + [UInt8(ascii: "\"")])]),
                "\(field) with \(content) inside")
            try Self.expectFullAgreement(
                Self.entry(bytes: [([UInt8(ascii: "\"")] + Array(field.utf8) + content + [UInt8(ascii: "\"")], Array("\"x\"".utf8))]),
                "key \(field) + \(content)")
        }
    }

    /// A byte a string's content cannot simply hold (an escape, a control character, a
    /// quote, non-ASCII, invalid UTF-8) at every offset of a long value and of a member's
    /// value: the reader looks at eight bytes at a time (``ByteWords``), so each place in
    /// a word and across two words is tried, whole and in small pieces.
    @Test func agreesOnASpecialByteAtEveryOffsetOfALongString() throws {
        let specials: [[UInt8]] = [Array("\\n".utf8), [0x09], [0x1F], [0x22], [0x7F], Array("é".utf8), [0xFF], [0x80]]
        let long = Array("chatctl-p000001-g1-f08f9bf8a3a49cf31addcfc1".utf8)
        for special in specials {
            for offset in 0...24 {
                let content = Array(long.prefix(offset)) + special + long.dropFirst(offset)
                let value = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
                try Self.expectFullAgreement(Self.entry([("\"clientToken\"", value)]), "clientToken \(content)")
                try Self.expectFullAgreement(Self.withMemberValue(value), "member value \(content)")
            }
        }
    }

    /// A number the typed pass must read whole (a fraction, an exponent, more than 18
    /// digits) in a `members` object the one scan leaves to it (an escape), split by a read
    /// of the file or cut by its end: read as the generic reading reads it, never a trap.
    /// (Found by a review: the number's start was an offset in the window, which a read
    /// moves, and a range from it past the number's end trapped.)
    @Test func aNumberSplitByAReadOrCutByTheEndIsReadAsTheGenericReadingDoes() throws {
        let head = "{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\"a\": {\"digest\": \"sha256:\(Self.hex)\", "
            + "\"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", \"members\": {\"A\": {\"value\": [\"\\u0041\", "
        for number in ["12345.5", "1e5", "-0.25E-3", "1234567890123456789012", "7"] {
            // Cut right after the number: refused, as the generic reading refuses it.
            let cut = Array((head + number).utf8)
            #expect(try Self.streamed(cut, pieceSize: LockfileDecoder.pieceSize) == nil, "\(number) at the end")
            try Self.expectAgreement(cut, pieceSizes: [32], "\(number) at the end")
            // Whole, with the number across a read's end at every place of it.
            for pieceSize in [32, LockfileDecoder.pieceSize] {
                for shift in 0...number.utf8.count {
                    let padding = pieceSize - head.utf8.count % pieceSize + pieceSize - shift
                    let bytes = Array((String(repeating: " ", count: padding) + head + number + "]}}}}}").utf8)
                    let streamed = try Self.streamed(bytes, pieceSize: pieceSize)
                    #expect(streamed == LockfileDecoder.decode(bytes), "\(number), pieces of \(pieceSize), shift \(shift)")
                    #expect(streamed != nil, "\(number), pieces of \(pieceSize), shift \(shift)")
                }
            }
        }
    }

    /// Keys and enum values written with escapes mean what they decode to; a near miss
    /// of a key or a value is refused; a key repeated through an escape is refused.
    @Test(arguments: [
        ("\"d\\u0069gest\"", "\"sha256:\(hex)\""), ("\"status\"", "\"st\\u0061rted\""), ("\"status\"", "\"start\""),
        ("\"status\"", "\"started \""), ("\"status\"", "\"Started\""), ("\"status\"", "\"startedd\""), ("\"status\"", "\"\""),
        ("\"statu\"", "\"pending\""), ("\"statuss\"", "\"pending\""), ("\"Status\"", "\"pending\""), ("\"\"", "1"),
        ("\"stat\\u0075s\"", "\"failed\""), ("\"generation\"", "2"), ("\"g\\u0065neration\"", "2"),
        ("\"region\"", "\"us-west-2\", \"r\\u0065gion\": \"us-west-2\""), ("\"instance\"", "\"i\", \"instance\": \"i\""),
        ("\"digest\"", "\"sha256:\(hex)\", \"d\\u0069gest\": \"sha256:\(hex)\""),
        ("\"digest\"", "\"sha256\\u003a\(hex)\""), ("\"digest\"", "\"sha256:\(hex.uppercased())\""),
        ("\"digest\"", "\"sha257:\(hex)\""), ("\"digest\"", "\"sha256:\(hex)0\""), ("\"digest\"", "\"\(hex)\""),
        ("\"error\"", "{\"code\": \"X\", \"message\": \"m\"}"), ("\"observed\"", "{\"state\": \"in-flow\", \"refreshedAt\": \"2026-01-02T03:04:05Z\"}"),
        ("\"observed\"", "{\"state\": \"in-flowx\", \"refreshedAt\": \"2026-01-02T03:04:05Z\"}"),
        ("\"observed\"", "{\"state\": \"in\\u002dflow\", \"refreshedAt\": \"2026-01-02T03:04:05\\u005a\"}"),
    ])
    func agreesOnEscapedAndNearlyRightKeysAndValues(key: String, value: String) throws {
        try Self.expectFullAgreement(Self.entry([(key, Array(value.utf8))]), "\(key): \(value)")
    }

    /// Timestamps of every shape near the schema's pattern and the calendar's edges.
    @Test(arguments: [
        "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.5Z", "2026-01-02T03:04:05.123456789Z", "2026-01-02T03:04:05.1234567890Z",
        "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05z", "2026-01-02t03:04:05Z", "2026-01-02T03:04:05", "2026-01-02T03:04:05+00:00",
        "2026-1-02T03:04:05Z", "2026-13-02T03:04:05Z", "2026-00-02T03:04:05Z", "2026-01-32T03:04:05Z", "2026-01-00T03:04:05Z",
        "2026-02-30T03:04:05Z", "2026-01-02T24:00:00Z", "2026-01-02T23:60:00Z", "2026-01-02T23:59:60Z", "2026-01-02T23:59:61Z",
        "9999-12-31T23:59:59Z", "9999-12-31T23:59:60Z", "9999-12-31T23:59:59.9Z", "0000-01-01T00:00:00Z", "20260-01-02T03:04:05Z",
        "2026-01-02T03:04:05ZZ", "2026-01-02 03:04:05Z", "2026-01-02T03:04:0xZ", "\\u0032026-01-02T03:04:05Z",
        "2026-01-02T03:04:05\\u005a", "２026-01-02T03:04:05Z", "2026-01-02T03:04:05.1é", "",
    ])
    func agreesOnTimestampsOfEveryShape(text: String) throws {
        for field in ["startedAt", "expiresAt", "stoppedAt"] {
            try Self.expectFullAgreement(Self.entry([("\"\(field)\"", Array("\"\(text)\"".utf8))]), "\(field) = \(text)")
        }
        let typed = LockfileDecoder.decode(Self.entry([("\"startedAt\"", Array("\"\(text)\"".utf8))]))
        if case .success(let expected) = try Self.generic(Self.entry([("\"startedAt\"", Array("\"\(text)\"".utf8))])) {
            #expect(typed?.entries["a"]?.startedAt == expected.entries["a"]?.startedAt, "\(text)")
        }
    }

    /// Region shapes: the decoder checks the schema's pattern on the bytes.
    @Test(arguments: [
        "us-west-2", "us-gov-west-1", "ap-southeast-12", "cn-north-1", "abcd-west-2", "abcde-west-2", "a-west-2", "us-west-123",
        "us--2", "us-west-", "us-2", "-us-west-2", "US-west-2", "us-west-2a", "us-west-x", "us-wEst-2", "us-west-2-", "us_west-2",
        "us-west-02", "us-we st-2", "",
    ])
    func agreesOnRegionsOfEveryShape(region: String) throws {
        for field in ["\"region\"", "\"replacing\""] {
            let value = field == "\"region\"" ? "\"\(region)\"" : "{\"contactId\": \"c\", \"region\": \"\(region)\", \"then\": \"keep\"}"
            try Self.expectFullAgreement(Self.entry([(field, Array(value.utf8))]), "\(field) \(region)")
        }
    }

    /// Contact and participant ids of the UUID shape (kept as 16 bytes from the file's
    /// bytes) and near it (kept as text): each reads back as the file's text, escapes
    /// decoded, whole and with the window moving at every byte.
    @Test(arguments: [
        "901a6215-d700-48d5-96a9-31648f049acb", "901A6215-d700-48d5-96a9-31648f049acb", "901a6215-d700-48d5-96a9-31648f049ac",
        "901a6215-d700-48d5-96a9-31648f049acbb", "901a6215d-700-48d5-96a9-31648f049acb", "901a6215-d700-48d5-96a9-31648f049acg",
        "901a6215\\u002dd700-48d5-96a9-31648f049acb", "901a6215-d700-48d5-96a9-31648f049ac\\u0062", "901a6215-d700-48d5-96a9-31648f049acé",
        "c", "", String(repeating: "a", count: 256), String(repeating: "a", count: 257),
    ])
    func readsIdsOfTheUUIDShapeAndNearItAsTheirText(id: String) throws {
        let decoded = id.replacingOccurrences(of: "\\u002d", with: "-").replacingOccurrences(of: "\\u0062", with: "b")
        for field in ["contactId", "participantId", "continuedFromContactId", "relatedContactId"] {
            let bytes = Self.entry([("\"status\"", Array("\"started\"".utf8)), ("\"contactId\"", Array("\"c\"".utf8)),
                                    ("\"\(field)\"", Array("\"\(id)\"".utf8))])
            try Self.expectFullAgreement(bytes, "\(field) = \(id)")
            // The schema's bounds: 1 to 256 characters.
            guard !id.isEmpty, id.count <= 256 else { continue }
            for size in [0, 1, 5] {
                let typed = try #require(size == 0 ? LockfileDecoder.decode(bytes) : Self.streamed(bytes, pieceSize: size), "\(field) = \(id)")
                let entry = try #require(typed.entries["a"])
                let read = [
                    "contactId": entry.contactId, "participantId": entry.participantId,
                    "continuedFromContactId": entry.continuedFromContactId, "relatedContactId": entry.relatedContactId,
                ]
                #expect(read[field] == decoded, "\(field) = \(id), pieces of \(size)")
            }
        }
    }

    /// Entries that repeat the instance and region of the one before share them; each
    /// entry still reads its own: the same, another of the same length, escaped, back again.
    @Test func readsEachEntrysOwnInstanceAndRegion() throws {
        let values: [(instance: String, region: String)] = [
            ("11111111-aaaa", "us-west-2"), ("11111111-aaaa", "us-west-2"), ("22222222-bbbb", "us-east-1"),
            ("11111111-aaa\\u0061", "us-west-2"), ("11111111-aaaa", "eu-west-1"), ("11111111-aaab", "eu-west-2"),
            ("1111111", "us-west-2"), ("11111111-aaaa", "us-west-2"), ("é", "us-west-2"), ("11111111-aaaa", "us-west-2"),
        ]
        let entries = values.enumerated().map { number, value in
            "\"p\(number)\": {\"digest\": \"sha256:\(Self.hex)\", \"generation\": 1, \"clientToken\": \"t\", \"status\": \"pending\", "
                + "\"instance\": \"\(value.instance)\", \"region\": \"\(value.region)\"}"
        }
        let bytes = Array("{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\(entries.joined(separator: ", "))}}".utf8)
        try Self.expectFullAgreement(bytes, "instances and regions")
        let typed = try #require(LockfileDecoder.decode(bytes))
        for (number, value) in values.enumerated() {
            #expect(typed.entries["p\(number)"]?.instance == value.instance.replacingOccurrences(of: "\\u0061", with: "a"))
            #expect(typed.entries["p\(number)"]?.region == value.region)
        }
    }

    @Test func keepsEachEntrysTokenAsItsPartsWhenChatctlMadeIt() throws {
        // Each entry's own name in its token, one token of another name, one by hand, one
        // with an escape: each read back as written, those of chatctl's form as parts.
        let tokens: [(name: String, token: String, compact: Bool)] = [
            ("care", "chatctl-care-g1-0123456789abcdef01234567", true),
            ("a-profile-name-of-many-bytes", "chatctl-a-profile-name-of-many-bytes-g12-0123456789abcdef01234567", true),
            ("sales", "chatctl-care-g1-0123456789abcdef01234567", true),
            ("hand", "my-own-token", false),
            ("escaped", "chatctl-escaped-g2-0123456789abcdef0123456\\u0037", true),
        ]
        let entries = tokens.map { value in
            "\"\(value.name)\": {\"digest\": \"sha256:\(Self.hex)\", \"generation\": 1, \"clientToken\": \"\(value.token)\", "
                + "\"status\": \"pending\"}"
        }
        let bytes = Array("{\"lockfileVersion\": 3, \"serial\": 0, \"entries\": {\(entries.joined(separator: ", "))}}".utf8)
        try Self.expectFullAgreement(bytes, "client tokens")
        let typed = try #require(LockfileDecoder.decode(bytes))
        for value in tokens {
            let entry = try #require(typed.entries[value.name])
            #expect(entry.clientToken == value.token.replacingOccurrences(of: "\\u0037", with: "7"))
            #expect(entry.storedClientToken.isCompact == value.compact, "\(value.name)")
        }
    }

    // MARK: Helpers

    /// The path of every value in `value` (object keys and array indexes as text).
    static func paths(in value: JSONValue, prefix: [String] = []) -> [[String]] {
        var paths: [[String]] = prefix.isEmpty ? [] : [prefix]
        switch value {
        case .object(let members):
            for (key, member) in members { paths += Self.paths(in: member, prefix: prefix + [key]) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { paths += Self.paths(in: element, prefix: prefix + ["\(index)"]) }
        default: break
        }
        return paths
    }

    static func replacing(_ value: JSONValue, at path: [String], with replacement: JSONValue) -> JSONValue {
        guard let first = path.first else { return replacement }
        switch value {
        case .object(var members):
            members[first] = members[first].map { replacing($0, at: Array(path.dropFirst()), with: replacement) }
            return .object(members)
        case .array(var elements):
            if let index = Int(first), elements.indices.contains(index) {
                elements[index] = replacing(elements[index], at: Array(path.dropFirst()), with: replacement)
            }
            return .array(elements)
        default:
            return value
        }
    }
}
