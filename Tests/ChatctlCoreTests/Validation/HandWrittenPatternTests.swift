import Testing

@testable import ChatctlCore

/// The hand-written matchers accept exactly what their regular expressions accept: each
/// is run next to the general engine (``PatternProgram``, the Pike VM) on edge cases and
/// on many strings generated near the pattern's shape (valid ones, then mutated).
@Suite struct HandWrittenPatternTests {
    /// Edge cases for every pattern: each is checked on both engines, whatever its answer.
    static let edgeCases: [String] = [
        "", "a", "-", "a-", "-a", "a-b", "abc", "ABC", "a_b", "a.b", "0", "00", "a--b", "é", "aé",
        String(repeating: "a", count: 63), String(repeating: "a", count: 64),
        "us-west-2", "us-west-22", "us-west-222", "us-west-", "us--west-2", "u-west-2", "usaa-west-2",
        "usaaa-west-2", "us-2", "us-west-east-1", "us-west-2a", "us-we5t-2", "US-west-2", "us-west-2\n",
        "cn-north-1", "us-gov-west-1", "eu-central-1 ",
        "arn:aws:connect:us-west-2:123456789012:instance/abc",
        "arn:aws:connect:us-west-2:123456789012:instance/",
        "arn:aws:connect:us-west-2:12345678901:instance/abc",
        "arn:aws:connect:us-west-2:1234567890123:instance/abc",
        "arn:aws-cn:connect:cn-north-1:123456789012:instance/abc",
        "arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/abc",
        "arn:aws-:connect:us-west-2:123456789012:instance/abc",
        "arn:aws-US:connect:us-west-2:123456789012:instance/abc",
        "arn:awsx:connect:us-west-2:123456789012:instance/abc",
        "arn:aws:connect:us-west-2:123456789012:instance/abc/contact-flow/def",
        "arn:aws:connect:us-west-2:123456789012:instance/abc/contact-flow/",
        "arn:aws:connect:us-west-2:123456789012:instance/abc/contact-flow/de:f",
        "arn:aws:connect:us-west-2:123456789012:instance/abc/contact-flowx/def",
        "arn:aws:connect:us-west-2:123456789012:instance/abc/queue/def",
        "arn:aws:connect:us-west-2:123456789012:instance/" + String(repeating: "a", count: 100),
        "arn:aws:connect:us-west-2:123456789012:instance/" + String(repeating: "a", count: 101),
        "arn:aws:connect:us-west-2:123456789012:instance/a/contact-flow/" + String(repeating: "b", count: 500),
        "arn:aws:connect:us-west-2:123456789012:instance/a/contact-flow/" + String(repeating: "b", count: 501),
        "arn:aws:s3:::bucket", "arn:aws:s3:::", "arn:aws:s3:::a b", "arn:aws:s3:::a\u{00A0}b", "arn:aws:s3:::a\u{3000}",
        "arn:aws:s3:::é", "arn:aws:iam::aws:policy/x", "arn:aws:iam::awsx:policy/x", "arn:aws:iam::123:policy/x",
        "arn:aws::us-west-2:123456789012:x", "arn:aws:S3:::x", "arn:aws:s3:eu_west:123456789012:x",
        "arn:aws:lambda:us-west-2:123456789012:function:a:b", "arn:aws:sns:us-west-2:123456789012:\t",
        "arn:aws:sns:us-west-2:123456789012:a\u{FEFF}",
        "90", "90m", "2h", "1h30m", "1d", "1d12h", "1d30m", "1d2h3m", "7d", "m", "h", "1", "1x", "1m2h", "1h1h",
        "1d1d", "1dh", "d1", "1d2", "01m", "1h30m0s", "1s", "1m1s", "1h1s", "1h1m1s", "1s1m", "1d1s", "1h1m1m",
        "1 m", "１m", "1m\n",
    ]

    /// Runs `pattern` on both engines over the edge cases and `count` generated strings.
    private func expectSameAnswers(_ pattern: HandWrittenPattern, count: Int = 4000) throws {
        let fast = try ECMAPattern(pattern.source)
        let general = try ECMAPattern(pattern.source, handWritten: false)
        #expect(fast.isHandWritten)
        #expect(!general.isHandWritten)
        var generator = ShapeGenerator(seed: UInt64(pattern.source.utf8.count))
        var accepted = 0
        var texts = Self.edgeCases
        for _ in 0..<count { texts.append(generator.next(for: pattern)) }
        for text in texts {
            let answer = general.matches(text)
            if answer { accepted += 1 }
            #expect(fast.matches(text) == answer, "\(pattern) on \(text.debugDescription)")
        }
        // The generator must reach both sides of the pattern, or the comparison proves little.
        #expect(accepted > texts.count / 10)
        #expect(accepted < texts.count * 9 / 10)
    }

    @Test(arguments: HandWrittenPattern.allCases)
    func acceptsExactlyWhatTheRegularExpressionAccepts(_ pattern: HandWrittenPattern) throws {
        try expectSameAnswers(pattern)
    }

    /// Every hand-written pattern is one the embedded schemas use, so a schema edit that
    /// changes a pattern's text falls back to the general engine rather than to a stale matcher.
    @Test(arguments: HandWrittenPattern.allCases)
    func standsForAPatternOfTheEmbeddedSchemas(_ pattern: HandWrittenPattern) {
        let escaped = pattern.source.replacingOccurrences(of: "\\", with: "\\\\")
        #expect(EmbeddedSchemas.profile.contains("\"pattern\": \"\(escaped)\""))
    }

    /// `^` and literal characters with no `$` run as a comparison of the text's first
    /// bytes, answering as the general engine does; a pattern with anything else in it
    /// (a class, a repetition, `.`, an end anchor) stays on the general engine.
    @Test func aLiteralPrefixAnswersAsTheRegularExpressionDoes() throws {
        let texts = [
            "", "a", "ar", "arn", "arn:", "arn:aws:connect:x", "ARN:", " arn:", "xarn:", "arn;", "connect:", "connect:Subtype",
            "connect", "Connect:x", "custom:connect:", "é", "é:", "é:x", "e\u{301}:", "ü:é", "\u{1F600}!", "\u{1F600}!x", "\u{1F600}",
        ]
        for source in ["^arn:", "^connect:", "^é:", "^\u{1F600}!", "^a"] {
            let fast = try ECMAPattern(source)
            let general = try ECMAPattern(source, handWritten: false)
            #expect(fast.isHandWritten && !general.isHandWritten, "\(source)")
            var accepted = 0
            for text in texts + texts.map({ $0 + "tail" }) + texts.map({ "x" + $0 }) {
                let answer = general.matches(text)
                if answer { accepted += 1 }
                #expect(fast.matches(text) == answer, "\(source) on \(text.debugDescription)")
            }
            #expect(accepted > 0)
        }
        for source in ["^a$", "^a.", "^[ab]", "^a*", "^a|b", "a", "^", "^\\d"] {
            #expect(try !ECMAPattern(source).isHandWritten, "\(source)")
        }
    }
}

/// Strings near the shapes of the hand-written patterns: built from the shape's pieces,
/// then often mutated by one edit (a byte changed, dropped, doubled, or a piece repeated).
private struct ShapeGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    private mutating func random(_ bound: Int) -> Int {
        // xorshift64*: deterministic, so a failure is reproducible.
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
    }

    private mutating func pick(_ choices: [String]) -> String { choices[random(choices.count)] }

    private mutating func run(_ alphabet: String, _ range: ClosedRange<Int>) -> String {
        let characters = Array(alphabet)
        let length = range.lowerBound + random(range.count)
        return String((0..<length).map { _ in characters[random(characters.count)] })
    }

    /// Picks `valid` most of the time, so that strings built of several pieces are
    /// often valid as a whole.
    private mutating func usually() -> Bool { random(8) != 0 }

    private mutating func validRegion() -> String {
        run("abcdefghijklmnopqrstuvwxyz", 2...4) + "-" + run("abcdefghijklmnopqrstuvwxyz", 1...5)
            + (random(3) == 0 ? "-" + run("abcdefghijklmnopqrstuvwxyz", 1...3) : "") + "-" + run("0123456789", 1...2)
    }

    private mutating func region() -> String {
        run("abcdefghijklmnopqrstuvwxyz", 1...5) + (0..<random(3)).map { _ in "-" + run("abcdefghijklmnopqrstuvwxyz", 0...4) }.joined()
            + "-" + run("0123456789", 0...3)
    }

    private mutating func partition() -> String {
        usually() ? pick(["aws", "aws-cn", "aws-us-gov"]) : pick(["aws-", "awsx", "aws-C", "AWS", "aws-cn-"])
    }

    private mutating func id(_ range: ClosedRange<Int>) -> String {
        run("abcXYZ019_-", range)
    }

    private mutating func account() -> String {
        usually() ? run("0123456789", 12...12) : pick([run("0123456789", 10...13), "aws", "", "12345678901a"])
    }

    private mutating func shape(for pattern: HandWrittenPattern) -> String {
        switch pattern {
        case .profileName:
            return run("abz09-", 0...8) + pick(["", "", "-", "A", "_", "é"])
        case .region:
            return region()
        case .instanceARN, .flowARN:
            var text = "arn:\(partition()):" + (usually() ? "connect" : pick(["s3", "", "Connect"])) + ":"
            text += (usually() ? validRegion() : region()) + ":\(account()):"
            text += (usually() ? "instance/" : pick(["instances/", "instance", "instance:"])) + id(0...4)
            if pattern == .flowARN || random(3) == 0 {
                text += (usually() ? "/contact-flow/" : pick(["/queue/", "/contact-flow", "/contact-flow/x/"])) + id(0...4)
            }
            return text
        case .anyARN:
            var text = "arn:\(partition()):" + (usually() ? run("abz09-", 1...4) : run("abz09-:A", 0...4))
            text += ":" + (usually() ? run("az09-", 0...3) : run("az09-_", 0...3))
            text += ":" + (usually() ? pick(["aws", ""]) : account())
            return text + ":" + (usually() ? run("ab:/é", 1...4) : run("ab:/ \t\u{A0}é", 0...4))
        case .durationDHM:
            return (0..<(1 + random(3))).map { _ in run("0123456789", 0...2) + pick(["d", "h", "m", "", "s", "D"]) }.joined()
        case .durationHMS:
            return (0..<(1 + random(3))).map { _ in run("0123456789", 0...2) + pick(["h", "m", "s", "", "d"]) }.joined()
        }
    }

    mutating func next(for pattern: HandWrittenPattern) -> String {
        var scalars = Array(shape(for: pattern).unicodeScalars)
        guard random(3) == 0, !scalars.isEmpty else { return String(String.UnicodeScalarView(scalars)) }
        let at = random(scalars.count)
        switch random(4) {
        case 0: scalars.remove(at: at)
        case 1: scalars.insert(scalars[at], at: at)
        case 2: scalars[at] = Array("a0-:/ Z".unicodeScalars)[random(7)]
        default: scalars.insert(contentsOf: scalars[at...], at: at)
        }
        return String(String.UnicodeScalarView(scalars))
    }
}
