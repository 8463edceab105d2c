import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// The faults that act first and then give no usable answer: the contact exists, and a
/// retry with the same ClientToken gets it back.
@Suite struct AnswerFaultTests {
    typealias Client = EmulatorTestClient

    /// `request` as bytes on the wire.
    static func wire(_ request: HTTPRequest) -> String {
        var text = "\(request.method) \(request.path) HTTP/1.1\r\n"
        for field in request.headers {
            text += "\(field.name): \(field.value)\r\n"
        }
        return text + "Content-Length: \(request.body.count)\r\n\r\n" + String(decoding: request.body, as: UTF8.self)
    }

    static let startBody = #"{"InstanceId":"i-1","ContactFlowId":"f-1","ParticipantDetails":{"DisplayName":"Ann"},"ClientToken":"t"}"#

    @Test func garbageCreatesTheContactThenAnswersBytesThatAreNotHTTP() async throws {
        try await Client.with(EmulatorConfiguration(tps: 0, faultRate: 1, faults: [.garbage], seed: 1)) { client in
            let connection = try await RawConnection.open(port: client.emulator.port)
            defer { connection.close() }
            var request = client.request("PUT", "/contact/chat", body: Self.startBody)
            request.headers.add(name: "Host", value: "127.0.0.1:\(client.emulator.port)")
            try await connection.send(Self.wire(client.signed(request)))
            let answer = try await connection.readUntilClosed()
            #expect(!answer.isEmpty)
            #expect(!String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/"))
            #expect(client.emulator.contacts(clientToken: "t").count == 1)
            #expect(client.emulator.stats.count("StartChatContact", "GarbageAnswer") == 1)
            #expect(client.emulator.stats.faults == ["garbage": 1])

            await #expect(throws: TransportError.self) { _ = try await client.start(token: "t") }
            #expect(client.emulator.contacts(clientToken: "t").count == 1, "a retry never creates a second chat")
        }
    }

    @Test func malformed200CreatesTheContactAndAnswersWithoutOrWithAnOversizedContactId() async throws {
        try await Client.with(EmulatorConfiguration(tps: 0, faultRate: 1, faults: [.malformed200], seed: 1)) { client in
            let lacking = try await client.start(token: "a")
            #expect(lacking.status == 200)
            let lackingJSON = try lacking.json
            #expect(lackingJSON["ContactId"] == nil)
            #expect(lackingJSON["ParticipantToken"]?.stringValue != nil)

            let oversized = try await client.start(token: "b")
            #expect(oversized.status == 200)
            #expect(try oversized.json["ContactId"]?.stringValue?.count == 1 << 20)

            #expect(client.emulator.contacts.count == 2)
            #expect(client.emulator.stats.count("StartChatContact", "Malformed200") == 2)
            let stopped = try await client.stop(try #require(client.emulator.contacts.first?.contactID))
            #expect(stopped.status == 200)
            #expect((try? stopped.json) == nil, "truncated JSON")
            #expect(client.emulator.contacts.first?.stoppedAt != nil, "the stop was carried out")
        }
    }

    @Test func aRetryAfterAMalformedAnswerGetsTheContactThatWasCreated() async throws {
        // A seed whose first request gets malformed-200 and whose second gets no fault.
        let seed = try #require((UInt64(0)..<10_000).first { seed in
            var probe = FaultInjector(rate: 0.5, kinds: [.malformed200], seed: seed)
            return probe.next() == .malformed200 && probe.next() == nil
        })
        try await Client.with(EmulatorConfiguration(tps: 0, faultRate: 0.5, faults: [.malformed200], seed: seed)) { client in
            let first = try await client.start(token: "t")
            #expect(try first.json["ContactId"] == nil)
            let retry = try await client.start(token: "t")
            #expect(try retry.json["ContactId"]?.stringValue == client.emulator.contacts.first?.contactID)
            #expect(client.emulator.contacts.count == 1)
        }
    }

    @Test func theInProcessEmulatorAnswersNothingForGarbage() async throws {
        let configuration = EmulatorConfiguration(tps: 0, faultRate: 1, faults: [.garbage], seed: 1)
        let emulator = try InProcessEmulator(configuration, clock: ManualEmulatorClock(Client.origin))
        let signer = SigV4Signer(
            credentials: configuration.credentials.awsCredentials, region: configuration.region, service: "connect",
            keyCache: SigningKeyCache())
        let request = signer.sign(
            HTTPRequest(
                method: "PUT", scheme: "http", authority: "127.0.0.1", path: "/contact/chat",
                headers: ["Host": "127.0.0.1", "Content-Type": "application/json"], body: Array(Self.startBody.utf8)),
            at: Client.origin)
        let answer = await emulator.respond(method: "PUT", target: "/contact/chat", headers: request.headers, body: request.body)
        #expect(answer == nil)
    }
}
