import Foundation
import Testing

/// `chatctl emulator`'s Participant Service against a client no one here wrote: boto3's
/// `connectparticipant` runs the whole customer side and gets the model's errors (issue 16's
/// first "Done when").
@Suite(.serialized) struct ParticipantConformanceTests {
    static let script = ChatctlProcess.fixtures.appendingPathComponent("emulator/participant.py")

    @Test(.timeLimit(.minutes(2)))
    func botoRunsTheCustomerSide() throws {
        let python = try ConformancePython.find()
        let emulator = try EmulatorProcess.start(["--seed", "16", "--participant-quota", "SendEvent=0.5/3"])
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        let run = try ChatctlProcess.runProgram(
            python,
            [Self.script.path, emulator.endpoint, "AKIDCHATCTLEMULATOR", "chatctl-emulator-secret", "us-east-1"],
            in: ChatctlProcess.packageRoot, environment: environment)
        let ending = emulator.stop()
        try #require(run.status == 0, "participant.py failed: \(run.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])

        let connection = try #require(results["connection"] as? [String: Any])
        #expect(connection["status"] as? Int == 200)
        #expect((connection["websocket_url"] as? String)?.hasPrefix(emulator.endpoint.replacingOccurrences(of: "http://", with: "ws://")) == true)
        #expect(results["sent_ids_unique"] as? Bool == true)
        #expect(results["event_status"] as? Int == 200)

        let paged = try #require(results["paged"] as? [String: Any])
        // Joined, 12 messages, 1 typing event: 14 items, 5 a page.
        #expect(paged["pages"] as? Int == 3)
        #expect(paged["contents"] as? [String] == (0..<12).map { "message \($0)" })
        #expect((paged["types"] as? [String])?.first == "PARTICIPANT_JOINED")
        #expect((paged["types"] as? [String])?.last == "TYPING")
        #expect(results["default_page"] as? [String] == ["TYPING"] + (3..<12).reversed().map { "message \($0)" })

        for name in ["bad_content_type", "too_long", "bad_receipt", "bad_next_token"] {
            #expect(results[name] as? [AnyHashable] == ["ValidationException", 400], "\(name)")
        }
        for name in ["wrong_token", "swapped_participant_token", "swapped_connection_token", "ended_message", "ended_connection"] {
            #expect(results[name] as? [AnyHashable] == ["AccessDeniedException", 403], "\(name)")
        }
        #expect(results["throttled_status"] as? [AnyHashable] == ["ThrottlingException", 429])
        #expect(results["disconnect_status"] as? Int == 200)
        #expect(
            results["backward_pages"] as? [[String]] == [
                ["p6", "p5", "p4"], ["p3", "p2", "p1"], ["p0", "PARTICIPANT_JOINED"],
            ])
        #expect(ending.status == 0)
    }

    /// Bad input: 1,000 WebSockets that never read or write leave the emulator serving, each
    /// holding one bounded subscription. A separate emulator process, so that the sockets'
    /// work does not slow the in-process emulators of other tests.
    @Test(.timeLimit(.minutes(2)))
    func aThousandIdleWebSocketsLeaveTheEmulatorServing() throws {
        let python = try ConformancePython.find()
        let emulator = try EmulatorProcess.start(["--seed", "17"])
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        let script = ChatctlProcess.fixtures.appendingPathComponent("emulator/idle-websockets.py")
        let run = try ChatctlProcess.runProgram(
            python, [script.path, emulator.endpoint, "AKIDCHATCTLEMULATOR", "chatctl-emulator-secret", "us-east-1"],
            in: ChatctlProcess.packageRoot, environment: environment)
        let ending = emulator.stop()
        try #require(run.status == 0, "idle-websockets.py failed: \(run.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(results["upgraded"] as? Int == 1000)
        #expect(results["event_subscribers"] as? Int == 1000)
        #expect(results["message_status"] as? Int == 200)
        #expect(results["start_status"] as? Int == 200)
        #expect(ending.status == 0)
    }
}
