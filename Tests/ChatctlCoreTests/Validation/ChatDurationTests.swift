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
}
