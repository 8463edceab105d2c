import ChatctlAWS
import ChatctlJSON
import Testing
@testable import ChatctlCore

@Suite struct ConnectARNTests {
    @Test func parsesAnInstanceARN() throws {
        let arn = try ConnectARN.parse("arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012").get()
        #expect(arn.region == "us-west-2")
        #expect(arn.account == "123456789012")
        #expect(arn.instanceID == "12345678-1234-1234-1234-123456789012")
        #expect(arn.resource == .instance)
    }

    @Test func parsesAContactFlowARN() throws {
        let arn = try ConnectARN.parse("arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/abc/contact-flow/def").get()
        #expect(arn.partition == "aws-us-gov")
        #expect(arn.resource == .contactFlow(id: "def"))
    }

    @Test func recognisesOtherConnectResources() throws {
        let arn = try ConnectARN.parse("arn:aws:connect:us-east-1:123456789012:instance/abc/queue/q1").get()
        #expect(arn.resource == .other("queue"))
    }

    @Test(arguments: [
        ("arn:aws:connect:us-east-1:123456789012", "is not a well-formed ARN (arn:partition:connect:region:account:resource)"),
        ("arn:aws:s3:us-east-1:123456789012:instance/a", "is an ARN of the service \"s3\", not of Amazon Connect"),
        ("arn:gcp:connect:us-east-1:123456789012:instance/a", "has an unknown partition \"gcp\" (expected aws, aws-cn, aws-us-gov, …)"),
        ("arn:aws:connect:useast1:123456789012:instance/a", "has an invalid region \"useast1\""),
        ("arn:aws:connect:us-east-1:1234:instance/a", "has an invalid account id \"1234\" (12 digits expected)"),
        ("arn:aws:connect:us-east-1:123456789012:flow/a", "has no instance/<id> resource"),
    ])
    func explainsWhyATextIsNotAConnectARN(text: String, reason: String) {
        guard case .failure(let failure) = ConnectARN.parse(text) else {
            Issue.record("parsed \(text)")
            return
        }
        #expect(failure.reason == reason)
    }

    /// The parser scans fields in place (since issue 15, item 3, as offsets into one array
    /// of bytes); the split-based parser it replaced is the
    /// reference here, run on 20,000 generated ARNs with fields dropped, doubled, emptied and
    /// mistyped, so any difference in results or reasons fails.
    @Test func scanningAgreesWithSplittingOnGeneratedARNs() {
        var generator = SplitMix64(seed: 15)
        // Each field from its own candidates, mostly valid, so that most texts get far into the parser.
        let candidates: [[String]] = [
            ["arn", "arn", "arn", "arm", ""],
            // Non-ASCII partitions: a letter passes the partition's rule, a combining mark after
            // the dash does not (the parser falls back to Character.isLetter for them).
            ["aws", "aws-cn", "aws-us-gov", "gcp", "aws-1", "", "aws-é", "aws-\u{301}x", "awś"],
            ["connect", "connect", "connect", "s3", ""],
            ["us-west-2", "us-gov-west-1", "a-b-c-1", "useast1", "us-1", "us--1", "-us-1", "us-east-", "US-east-1", ""],
            ["123456789012", "123456789012", "12345678901", "1234567890123", "12345678901a", ""],
            [
                "instance/abc", "instance/a_b-C9", "instance/abc/contact-flow/def", "instance/abc/contact-flow/",
                "instance/abc/contact-flow/d/e", "instance/abc/contact-flow/d:e", "instance/abc/queue/q1",
                "instance//x", "instance/é", "instance/abc/", "instance", "flow/a", "", "/",
            ],
        ]
        for _ in 0..<20_000 {
            var fields = candidates.map { $0[Int(generator.next() % UInt64($0.count))] }
            switch generator.next() % 6 {
            case 0: fields.remove(at: Int(generator.next() % UInt64(fields.count)))
            case 1: fields.insert(fields[Int(generator.next() % 6)], at: Int(generator.next() % 6))
            default: break
            }
            let text = fields.joined(separator: ":")
            #expect(ConnectARN.parse(text) == Self.splitParse(text), "\(text)")
        }
    }

    /// The parser before issue 15 (arrays of split fields), kept as the reference.
    private static func splitParse(_ text: String) -> Result<ConnectARN, ConnectARN.ParseFailure> {
        let parts = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
            .map { Substring($0) }
        guard parts.count == 6, parts[0] == "arn" else {
            return .failure(.init("is not a well-formed ARN (arn:partition:connect:region:account:resource)"))
        }
        let (partition, service, region, account, resource) = (parts[1], parts[2], parts[3], parts[4], parts[5])
        guard partition == "aws" || partition.hasPrefix("aws-"), partition.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            return .failure(.init("has an unknown partition \(JSONPointer.quoted(String(partition))) (expected aws, aws-cn, aws-us-gov, …)"))
        }
        guard service == "connect" else {
            return .failure(.init("is an ARN of the service \(JSONPointer.quoted(String(service))), not of Amazon Connect"))
        }
        let regionParts = region.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        let isDigit = { (byte: UInt8) in (UInt8(48)...UInt8(57)).contains(byte) }
        let isLower = { (byte: UInt8) in (UInt8(97)...UInt8(122)).contains(byte) }
        var isRegion = regionParts.count >= 3
        if let last = regionParts.last, isRegion {
            isRegion = !last.isEmpty && last.allSatisfy(isDigit)
                && regionParts.dropLast().allSatisfy { part in !part.isEmpty && part.allSatisfy(isLower) }
        }
        guard isRegion else { return .failure(.init("has an invalid region \(JSONPointer.quoted(String(region)))")) }
        guard account.count == 12, account.utf8.allSatisfy(isDigit) else {
            return .failure(.init("has an invalid account id \(JSONPointer.quoted(String(account))) (12 digits expected)"))
        }
        let segments = resource.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { Substring($0) }
        let isIDByte = { (byte: UInt8) in
            isLower(byte) || (UInt8(65)...UInt8(90)).contains(byte) || isDigit(byte) || byte == 45 || byte == 95
        }
        let isID = { (text: Substring) in !text.isEmpty && text.utf8.count <= 256 && text.utf8.allSatisfy(isIDByte) }
        guard segments.count >= 2, segments[0] == "instance", isID(segments[1]) else {
            return .failure(.init("has no instance/<id> resource"))
        }
        let kind: ConnectARN.Resource
        switch segments.count {
        case 2: kind = .instance
        case 4 where segments[2] == "contact-flow" && isID(segments[3]): kind = .contactFlow(id: String(segments[3]))
        default: kind = .other(segments.dropFirst(2).first.map(String.init) ?? "")
        }
        return .success(ConnectARN(partition: String(partition), region: String(region), account: String(account),
                                   instanceID: String(segments[1]), resource: kind))
    }
}
