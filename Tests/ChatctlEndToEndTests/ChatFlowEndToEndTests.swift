import Foundation
import Testing

/// `chatctl emulator --flows examples/flows --fixtures examples/flows/fixtures.yaml` runs a
/// chat's contact flow for a client no one here wrote: boto3 starts the chat with the
/// smoke-support-flow's id and talks to its stub Lex bot.
@Suite(.serialized) struct ChatFlowEndToEndTests {
    static let script = ChatctlProcess.fixtures.appendingPathComponent("emulator/flow.py")

    @Test(.timeLimit(.minutes(2)))
    func botoTalksToTheExampleSupportFlow() async throws {
        // The processes are waited for on a thread of their own: blocking one of the few
        // threads of Swift's cooperative pool stalls every other test meanwhile.
        let (run, ending) = try await Self.offThePool { try Self.runScript() }
        try #require(run.status == 0, "flow.py failed: \(run.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])

        let prompt = "CUSTOM_BOT: Hi Sam, how can I help? (balance / agent)"
        #expect(results["asked"] as? [String] == [prompt])
        #expect(results["queued_transcript"] as? [String] == [prompt, "CUSTOMER: agent"])
        #expect(results["queued"] as? Bool == true)
        #expect(results["flow_state"] as? String == "queued")
        #expect(results["ended_transcript"] as? [AnyHashable] == ["AccessDeniedException", 403])
        #expect(results["answered"] as? [String] == [
            prompt, "CUSTOMER: balance", "SYSTEM: Your balance is 42.00.", "PARTICIPANT_LEFT", "CHAT_ENDED",
        ])
        #expect(results["path"] as? [String] == [
            "logging:NextAction", "lookup:NextAction", "ask:waiting", "ask:Conditions[0]", "balance:NextAction", "bye:end",
        ])
        #expect(ending.status == 0)
    }

    /// Runs `body` on a dispatch thread.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Starts the emulator with the examples' flows, runs flow.py against it, stops it.
    static func runScript() throws -> (ChatctlProcess.Result, EmulatorProcess.Ending) {
        let python = try ConformancePython.find()
        let examples = ChatctlProcess.packageRoot.appendingPathComponent("examples/flows")
        let emulator = try EmulatorProcess.start([
            "--seed", "16", "--flows", examples.path, "--fixtures", examples.appendingPathComponent("fixtures.yaml").path,
        ])
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        let run = try ChatctlProcess.runProgram(
            python, [Self.script.path, emulator.endpoint, "AKIDCHATCTLEMULATOR", "chatctl-emulator-secret", "us-east-1"],
            in: ChatctlProcess.packageRoot, environment: environment)
        return (run, emulator.stop())
    }
}
