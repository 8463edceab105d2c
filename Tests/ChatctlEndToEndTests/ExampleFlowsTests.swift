import ChatctlCore
import ChatctlEmulator
import Foundation
import Testing

/// The flows of examples/flows run with examples/flows/fixtures.yaml: what `apply
/// --emulator` over examples/ serves, read the way chatctl reads it.
@Suite struct ExampleFlowsTests {
    static let folder = ChatctlProcess.packageRoot.appendingPathComponent("examples/flows").path

    static func runner() throws -> FlowRunner {
        let library = FlowLibrary.load(directory: folder)
        #expect(library.problems.isEmpty)
        let loaded = try FlowFixturesLoader().load(file: folder + "/fixtures.yaml")
        #expect(loaded.diagnostics.isEmpty)
        return FlowRunner(library: library.library, fixtures: try FlowFixtures(json: try #require(loaded.document)))
    }

    @Test func vipGreetingQueuesAPlatinumCustomer() throws {
        let host = RecordingFlowHost(attributes: ["loyaltyTier": "platinum", "accountManager": "a.nguyen"])
        let interpreter = try #require(try Self.runner().install(
            on: host, contactFlowId: "arn:aws:connect:us-west-2:123456789012:instance/4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d/contact-flow/5e8f1a2b-9c3d-4e7f-8a6b-1d2c3e4f5a6b",
            contactId: "c-1", now: { Date(timeIntervalSince1970: 0) }))
        host.connect()
        #expect(host.messages.map(\.description) == [
            "SYSTEM: Hi, thanks for contacting us. We see you are a platinum member.",
            "SYSTEM: Your account manager a.nguyen will be with you shortly.",
        ])
        #expect(host.queuedIn?.hasSuffix("/queue/7d1c3b5a-9e2f-4a6b-8c0d-1e2f3a4b5c6d") == true)
        #expect(interpreter.path.last?.action == "to-queue")
    }

    @Test func supportFlowLooksUpAsksTheBotAndAnswers() throws {
        let host = RecordingFlowHost()
        _ = try #require(try Self.runner().install(
            on: host, contactFlowId: "846ec553-a005-41c0-8341-5f0d4b0c9a17", contactId: "c-2",
            now: { Date(timeIntervalSince1970: 0) }))
        host.connect()
        host.send("how much is my balance")
        #expect(host.messages.map(\.description) == [
            "BOT: Hi Sam, how can I help? (balance / agent)",
            "CUSTOMER: how much is my balance",
            "SYSTEM: Your balance is 42.00.",
        ])
        #expect(host.endReason == .disconnected)
    }
}
