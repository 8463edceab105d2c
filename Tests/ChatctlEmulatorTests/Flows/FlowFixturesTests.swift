import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

@Suite struct FlowFixturesTests {
    @Test func readsEveryKindOfFixture() throws {
        let json = try JSONParser.parse("""
            {"apiVersion": "chatctl/v1", "kind": "FlowFixtures", "seed": 9,
             "lexBots": {"bot": {"intents": [{"name": "Hi", "utterances": ["hello"], "slots": {"s": "1"},
                                             "sessionAttributes": {"a": "2"}}]}},
             "lambdas": {"ok": {"response": {"k": "v"}}, "bad": {"error": "boom"}},
             "hoursOfOperation": {"default": {"open": false},
                                  "week": {"timeZone": "Europe/Paris", "weekly": [{"day": "FRIDAY", "start": "09:00", "end": "17:00"}]}}}
            """)
        let fixtures = try FlowFixtures(json: json)
        #expect(fixtures.seed == 9)
        #expect(fixtures.lexBots["bot"]?.recognise("Well HELLO there")?.sessionAttributes == ["a": "2"])
        #expect(fixtures.lexBots["bot"]?.recognise("bye") == nil)
        #expect(fixtures.lambdas == ["ok": .response(["k": "v"]), "bad": .error("boom")])
        #expect(fixtures.hoursOfOperation["default"] == .fixed(false))
        // Friday 2027-01-15 08:30 UTC is 09:30 in Paris: open; 16:30 UTC is 17:30: closed.
        let week = try #require(fixtures.hoursOfOperation["week"])
        #expect(week.isOpen(at: Date(timeIntervalSince1970: 1_800_000_000 + 1_800)))
        #expect(!week.isOpen(at: Date(timeIntervalSince1970: 1_800_000_000 + 8.5 * 3_600)))
    }

    @Test func refusesAValueTheSchemaWouldHaveRefused() throws {
        let json = try JSONParser.parse(#"{"hoursOfOperation": {"x": {"weekly": [{"day": "FUNDAY", "start": "09:00", "end": "10:00"}]}}}"#)
        #expect(throws: FlowFixturesError.self) { try FlowFixtures(json: json) }
    }
}
