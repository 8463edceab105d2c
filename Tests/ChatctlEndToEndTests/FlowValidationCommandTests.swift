import Foundation
import Testing

/// `chatctl validate` on a project whose `spec.flows` and `spec.flowFixtures` have problems:
/// each is reported at its file, line and column in every output format.
@Suite struct FlowValidationCommandTests {
    static let project = ChatctlProcess.fixtures.appendingPathComponent("broken-flows")
    static let flow = "flows/11111111-2222-3333-4444-555555555555.json"

    @Test func reportsFlowAndFixtureProblemsWithPositions() throws {
        let result = try ChatctlProcess.run(["validate"], in: Self.project)
        #expect(result.status == 1)
        #expect(result.stderr == """
            fixtures.yaml:4:13: error: lambdas.arn:f.respnse: unknown field
              hint: did you mean "response"?
            \(Self.flow):10:38: error: Actions[1].Transitions.Conditions[0].NextAction: no action has the Identifier "billing"
            \(Self.flow):11:36: warning: Actions[2].Type: unknown action type "ShowCarousel"; the emulator takes its error branch
            flows/22222222-2222-3333-4444-555555555555.json:1:59: error: expected a JSON value, found ','
            found 3 errors and 1 warning in 1 profile, 5 files

            """)
    }

    @Test func reportsFlowProblemsInJSONAndGitHubFormats() throws {
        let json = try ChatctlProcess.run(["validate", "--format", "json"], in: Self.project)
        #expect(json.status == 1)
        #expect(json.stdout.contains(#""path": "Actions[1].Transitions.Conditions[0].NextAction""#))
        #expect(json.stdout.contains(#""code": "flow.reference""#))
        let github = try ChatctlProcess.run(["validate", "--format", "github"], in: Self.project)
        #expect(github.stdout.contains(
            "::error file=\(Self.flow),line=10,col=38,title=chatctl flow.reference::Actions[1].Transitions.Conditions[0].NextAction: "))
    }

    @Test func emulatorServesTheExamplesFlows() throws {
        let examples = ChatctlProcess.packageRoot.appendingPathComponent("examples/flows").path
        let emulator = try EmulatorProcess.start(["--flows", examples, "--fixtures", examples + "/fixtures.yaml"])
        let ending = emulator.stop()
        #expect(ending.status == 0)
        #expect(ending.stderr.hasPrefix("serving 2 contact flows\n"))
    }

    @Test func emulatorRefusesInvalidFlowsBeforeItStarts() throws {
        let result = try ChatctlProcess.run(
            ["emulator", "--flows", "flows", "--fixtures", "fixtures.yaml", "--port", "0"], in: Self.project)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(Self.flow):10:38: error: Actions[1].Transitions.Conditions[0].NextAction"))
        #expect(result.stdout == "")
    }
}
