import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

/// Replays `Fixtures/fuzz-regressions/FuzzEmulatorRequests/*` as the fuzz target runs
/// them, in process: a flags byte, then up to eight requests as text separated by NUL
/// bytes, sent to a fresh emulator with a fixed clock and seed. Every answer is a
/// restJson1 answer, and a request we signed is never refused for its signature.
///
/// (Here rather than in ChatctlEmulatorTests, whose target has no excluded Fixtures folder.)
@Suite struct EmulatorFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions/FuzzEmulatorRequests")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    static let origin = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let signatureErrors: Set<String> = [
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "UnrecognizedClientException",
        "InvalidSignatureException",
    ]

    @Test func hasInputsToReplay() {
        #expect(Self.inputs.count >= 3)
    }

    @Test(arguments: inputs)
    func answersEveryRequestInRestJSON(name: String) async throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let flags = bytes.first ?? 0
        let configuration = EmulatorConfiguration(
            tps: flags & 0x02 == 0 ? 0 : 5, stopTPS: flags & 0x02 == 0 ? 0 : 10,
            instances: flags & 0x08 == 0 ? [] : ["12345678-1234-1234-1234-123456789012"],
            flows: flags & 0x08 == 0 ? [] : ["846ec553-a005-41c0-8341-0123456789ab"],
            faultRate: flags & 0x04 == 0 ? 0 : 0.3, seed: 42, maxBodyBytes: flags & 0x10 == 0 ? 1 << 20 : 512)
        let emulator = try InProcessEmulator(configuration, clock: ManualEmulatorClock(Self.origin))
        let signer = SigV4Signer(
            credentials: configuration.credentials.awsCredentials, region: configuration.region, service: "connect",
            keyCache: SigningKeyCache())
        var contactID = ""
        for part in bytes.dropFirst().split(separator: 0, maxSplits: 7, omittingEmptySubsequences: false) {
            let text = FuzzRequestText(part)
            let body = FuzzRequestText.substitutingContact(contactID, in: text.body)
            var request = HTTPRequest(
                method: text.method, scheme: "http", authority: text.headers["host"] ?? "127.0.0.1:4566",
                path: text.path, query: text.query, headers: text.headers, body: body)
            if flags & 0x01 != 0 {
                request = signer.sign(request, at: Self.origin)
            }
            guard let response = await emulator.respond(
                method: request.method, target: request.target, headers: request.headers, body: request.body)
            else { continue }
            let json = try JSONParser.parse(response.body)
            if response.status == 200, let id = json["ContactId"]?.stringValue { contactID = id }
            guard request.path != "/_emulator", !request.path.hasPrefix("/_emulator/"), response.status != 200 else { continue }
            let code = try #require(response.headers["x-amzn-errortype"])
            #expect(json["message"]?.stringValue != nil)
            if flags & 0x01 != 0, text.hasTokenHeaderNames {
                #expect(!Self.signatureErrors.contains(code), "\(response.bodyText)")
            }
        }
    }
}
