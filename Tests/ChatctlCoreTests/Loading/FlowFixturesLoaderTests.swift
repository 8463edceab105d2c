import ChatctlCore
import ChatctlJSON
import Foundation
import Testing

@Suite struct FlowFixturesLoaderTests {
    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("fixtures-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func loadsAValidFile() throws {
        let path = try Self.write("""
            apiVersion: chatctl/v1
            kind: FlowFixtures
            seed: 7
            lexBots:
              "arn:aws:lex:us-east-1:111122223333:bot-alias/BOTID/ALIASID":
                intents:
                  - name: CheckBalance
                    utterances: [balance]
                    sessionAttributes: {balance: "42.00"}
            lambdas:
              "arn:aws:lambda:us-east-1:111122223333:function:lookup": {response: {tier: gold}}
              "arn:aws:lambda:us-east-1:111122223333:function:broken": {error: timed out}
            hoursOfOperation:
              default: {open: true}
              support: {timeZone: Europe/Paris, weekly: [{day: MONDAY, start: "09:00", end: "17:00"}]}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try FlowFixturesLoader().load(file: path)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.document?["seed"] == .integer(7))
        #expect(loaded.document?["lambdas"]?["arn:aws:lambda:us-east-1:111122223333:function:broken"]?["error"] == .string("timed out"))
    }

    @Test func reportsEachProblemAtItsLine() throws {
        let path = try Self.write("""
            apiVersion: chatctl/v1
            kind: FlowFixtures
            seed: -1
            lambdas:
              "arn:f": {response: {tier: gold}, error: boom}
            hoursOfOperation:
              default: {weekly: [{day: MONDAY, start: "9am", end: "17:00"}]}
            lexbots: {}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try FlowFixturesLoader().load(file: path)
        #expect(loaded.document == nil)
        let lines = loaded.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.text)" }
        #expect(lines == [
            "3:7 seed: must be at least 0",
            "5:12 lambdas.arn:f: must have at most 1 field",
            "7:43 hoursOfOperation.default.weekly[0].start: must be a time HH:MM, such as 09:00",
            "8:1 lexbots: unknown field",
        ])
    }

    @Test func refusesMoreThanOneDocument() throws {
        let path = try Self.write("apiVersion: chatctl/v1\nkind: FlowFixtures\n---\napiVersion: chatctl/v1\nkind: FlowFixtures\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try FlowFixturesLoader().load(file: path)
        #expect(loaded.diagnostics.map(\.code) == ["fixtures.documents"])
    }
}
