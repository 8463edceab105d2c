import ChatctlEmulator
import Foundation
import Testing

@Suite struct FlowValidatorTests {
    /// Every rule has a case in Fixtures/flows/invalid: `<case>.json` and the exact problems,
    /// with positions, in `<case>.expected`. `CHATCTL_UPDATE_GOLDEN=1` rewrites them (review
    /// the diff).
    @Test(arguments: FlowFixturePaths.cases(in: "invalid"))
    func reportsEachRuleAtItsPosition(_ name: String) throws {
        let result = FlowValidator().validate(try FlowFixturePaths.bytes("invalid/\(name).json"), file: "\(name).json")
        let actual = result.problems.map(\.description).joined(separator: "\n") + "\n"
        let expectedPath = FlowFixturePaths.root + "/invalid/\(name).expected"
        if ProcessInfo.processInfo.environment["CHATCTL_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(actual == expected)
        #expect(!result.problems.isEmpty)
        // A flow with errors does not load; one with only warnings does.
        let hasErrors = result.problems.contains { $0.severity == .error }
        #expect((result.document == nil) == hasErrors)
    }

    @Test(arguments: FlowFixturePaths.cases(in: "valid"))
    func acceptsTheExampleFlows(_ name: String) throws {
        let result = FlowValidator().validate(try FlowFixturePaths.bytes("valid/\(name).json"), file: "\(name).json")
        #expect(result.problems.isEmpty)
        #expect(result.document?.actions.isEmpty == false)
    }

    @Test func pointsAtTheLineAndColumnOfADanglingNextAction() throws {
        let text = """
            {"Version": "2019-10-30", "StartAction": "a",
             "Actions": [
              {"Identifier": "a", "Type": "EndFlowExecution", "Parameters": {},
               "Transitions": {"NextAction": "ghost"}}]}
            """
        let result = FlowValidator().validate(Array(text.utf8), file: "f.json")
        #expect(result.problems.map(\.description) == [
            #"f.json:4:34: error: Actions[0].Transitions.NextAction: no action has the Identifier "ghost""#
        ])
    }

    @Test func keepsTheActionsOfAValidFlow() throws {
        let result = FlowValidator().validate(try FlowFixturePaths.bytes("valid/example-minimal-chat-flow.json"), file: "m.json")
        let document = try #require(result.document)
        #expect(document.startAction == "greet")
        #expect(document.actions.map(\.identifier) == ["greet", "route", "billing-msg", "bye"])
        #expect(document.action("route")?.transitions.conditions.first?.operands == ["billing"])
        #expect(document.action("route")?.transitions.errors.first?.errorType == "NoMatchingCondition")
    }
}
