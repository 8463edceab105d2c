import Foundation
import Testing

/// `chatctl plan` and `chatctl graph` on the examples: golden files for what people read.
@Suite struct PlanCommandTests {
    static let examples = ChatctlProcess.packageRoot.appendingPathComponent("examples")

    @Test func printsTheFirstPlanOfTheExamples() throws {
        let result = try ChatctlProcess.run(["plan"], in: Self.examples)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        try GoldenFile.check(result.stdout, against: "plan-examples.txt")
    }

    @Test func printsThePlanAsJSON() throws {
        let result = try ChatctlProcess.run(["plan", "--format", "json"], in: Self.examples)
        #expect(result.status == 0)
        try GoldenFile.check(result.stdout, against: "plan-examples.json")
    }

    @Test func printsThePlanAsMarkdownWithAGraph() throws {
        let result = try ChatctlProcess.run(["plan", "--format", "markdown"], in: Self.examples)
        #expect(result.status == 0)
        #expect(result.stdout.contains("```mermaid\ngraph LR\n"))
        try GoldenFile.check(result.stdout, against: "plan-examples.md")
    }

    @Test func showsWaitingAndKnownAfterApply() throws {
        let result = try ChatctlProcess.run(["plan"], in: Self.examples.appendingPathComponent("continuations"))
        #expect(result.stdout.contains("waiting: claims-intake has not ended (it is launched in this plan)"))
        #expect(result.stdout.contains("persistence.from: claims-intake (known after apply)"))
        #expect(result.stdout.contains(#""SourceContactId": "(known after apply)""#))
        #expect(result.stdout.contains("Plan: 3 to launch, 0 to relaunch, 0 to stop. 1 waiting."))
    }

    @Test func exitsTwoWithDetailedExitcodeWhenThereAreChanges() throws {
        #expect(try ChatctlProcess.run(["plan", "--detailed-exitcode"], in: Self.examples).status == 2)
    }

    @Test func rejectsAnUnknownTarget() throws {
        let result = try ChatctlProcess.run(["plan", "--target", "vip-greting"], in: Self.examples)
        #expect(result.status == 1)
        #expect(result.stderr == "error: --target vip-greting: no profile has this name\n  hint: did you mean vip-greeting?\n")
    }

    @Test func printsTheGraphAsMermaidAndDOT() throws {
        let mermaid = try ChatctlProcess.run(["graph"], in: Self.examples)
        #expect(mermaid.status == 0)
        try GoldenFile.check(mermaid.stdout, against: "graph-examples.mmd")
        let dot = try ChatctlProcess.run(["graph", "--format", "dot"], in: Self.examples)
        #expect(dot.stdout.hasPrefix("digraph chatctl {\n"))
        #expect(dot.stdout.contains(#""order-delay-notice" -> "order-delay-logistics";"#))
    }
}
