import ChatctlAWS
import Testing
@testable import ChatctlCore

@Suite struct ChatDurationTests {
    @Test(arguments: [
        ("90", 90), ("90m", 90), ("1h30m", 90), ("25h", 1500), ("7d", 10_080), ("1d12h", 2160),
        ("1d1h1m", 1501), ("0m", 0), ("60", 60),
    ])
    func readsTheDurationGrammar(text: String, minutes: Int) {
        #expect(ChatDuration.minutes(text) == minutes)
    }

    @Test(arguments: ["", "h", "1H", "30m1h", "1h1h", "1.5h", "1s", "1 h", "-5", "1w", "m30"])
    func rejectsWhatIsNotInTheGrammar(text: String) {
        #expect(ChatDuration.minutes(text) == nil)
    }

    @Test func saturatesNumbersTooLargeForAnInt() {
        #expect(ChatDuration.minutes("99999999999999999999d") == Int.max)
        #expect(ChatDuration.minutes("99999999999999999999") == Int.max)
        #expect(ChatDuration.minutes("9999999999999999d1m") == Int.max)
    }

    @Test func formatsMinutesCompactly() {
        #expect(ChatDuration.format(minutes: 90) == "1h30m")
        #expect(ChatDuration.format(minutes: 10_080) == "7d")
        #expect(ChatDuration.format(minutes: 1500) == "1d1h")
        #expect(ChatDuration.format(minutes: 0) == "0m")
    }

    @Test(arguments: [("30s", 30), ("2m", 120), ("1m30s", 90), ("1h", 3600), ("1h30s", 3630), ("45", 45)])
    func readsWaitsInSecondsWithTheSameGrammar(text: String, seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "s", "30s1m", "1m1m", "1d", "1.5m", "1 m"])
    func rejectsWaitsOutsideTheGrammar(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    /// The grammar is read byte by byte since issue 15, item 3; the Character loop it
    /// replaced is the reference here, on 20,000 generated texts with digits, units,
    /// numbers too large for an Int, other letters, spaces and non-ASCII characters
    /// (combining marks after a digit or a unit, letters that look like none).
    @Test func readingBytesAgreesWithReadingCharacters() {
        var generator = SplitMix64(seed: 3)
        let pieces = ["0", "1", "9", "99999999999", "d", "h", "m", "s", "H", " ", "é", "\u{301}", "\r\n", "ｍ", "x"]
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 7)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            #expect(ChatDuration.minutes(text) == Self.characterAmount(text, units: [("d", 1440), ("h", 60), ("m", 1)]), "\(text)")
            #expect(DurationText.seconds(text) == Self.characterAmount(text, units: [("h", 3600), ("m", 60), ("s", 1)]), "\(text)")
        }
    }

    /// `DurationText.amount` before issue 15, item 3 (Characters), kept as the reference.
    private static func characterAmount(_ text: String, units: [(letter: Character, size: Int)]) -> Int? {
        if !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) {
            return Int(text) ?? Int.max
        }
        var total = 0
        var digits = ""
        var nextUnit = 0
        var sawPart = false
        for character in text {
            if character.isASCII, character.isWholeNumber {
                digits.append(character)
                continue
            }
            guard !digits.isEmpty,
                  let rank = units[nextUnit...].firstIndex(where: { $0.letter == character }) else { return nil }
            let value = Int(digits) ?? Int.max
            let (product, overflow1) = value.multipliedReportingOverflow(by: units[rank].size)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            total = overflow1 || overflow2 ? Int.max : sum
            nextUnit = rank + 1
            digits = ""
            sawPart = true
        }
        return sawPart && digits.isEmpty ? total : nil
    }
}
