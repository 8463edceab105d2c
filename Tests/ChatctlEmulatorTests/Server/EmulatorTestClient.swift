import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

/// A client of an emulator under test: signs requests with ChatctlAWS's SigV4 signer at the
/// emulator's (manual) clock and sends them over real loopback HTTP with `CurlTransport`.
struct EmulatorTestClient {
    static let origin = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    let emulator: EmulatorServer
    let clock: ManualEmulatorClock
    let transport: CurlTransport

    /// Starts an emulator on a free port with a manual clock, runs `body`, stops it.
    @discardableResult
    static func with<T>(
        _ configuration: EmulatorConfiguration = EmulatorConfiguration(tps: 0, stopTPS: 0, seed: 1),
        requestLog: (@Sendable (EmulatorRequestRecord) -> Void)? = nil,
        flowLog: (@Sendable (String) -> Void)? = nil,
        _ body: (EmulatorTestClient) async throws -> T
    ) async throws -> T {
        let clock = ManualEmulatorClock(origin)
        let emulator = try await EmulatorServer.start(configuration, clock: clock, requestLog: requestLog, flowLog: flowLog)
        let client = EmulatorTestClient(emulator: emulator, clock: clock, transport: CurlTransport())
        do {
            let result = try await body(client)
            await emulator.stop()
            return result
        } catch {
            await emulator.stop()
            throw error
        }
    }

    /// A request to the emulator, unsigned.
    func request(_ method: String, _ path: String, body: String = "", query: String? = nil) -> HTTPRequest {
        HTTPRequest(
            method: method, scheme: "http", authority: "127.0.0.1:\(emulator.port)", path: path, query: query,
            headers: ["Content-Type": "application/json"], body: Array(body.utf8))
    }

    /// Signs `request` as a client with `credentials` would, at the clock's time (or `date`).
    func signed(
        _ request: HTTPRequest, credentials: AWSCredentials? = nil, region: String? = nil, service: String = "connect",
        date: Date? = nil, options: SigV4Signer.Options = .init()
    ) -> HTTPRequest {
        SigV4Signer(
            credentials: credentials ?? emulator.awsCredentials, region: region ?? emulator.region, service: service,
            options: options, keyCache: SigningKeyCache()
        ).sign(request, at: date ?? clock.now())
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await transport.send(request, timeouts: HTTPTimeouts(connect: 5, total: 20))
    }

    /// A signed StartChatContact (of the contact flow `flow`).
    func start(token: String? = nil, instance: String = "i-1", flow: String = "f-1", extra: String = "") async throws
        -> HTTPResponse
    {
        var body = #"{"InstanceId":"\#(instance)","ContactFlowId":"\#(flow)","ParticipantDetails":{"DisplayName":"Ann"}"#
        if let token {
            body += #","ClientToken":"\#(token)""#
        }
        if !extra.isEmpty {
            body += "," + extra
        }
        return try await send(signed(request("PUT", "/contact/chat", body: body + "}")))
    }

    /// A signed StopContact.
    func stop(_ contactID: String, instance: String = "i-1") async throws -> HTTPResponse {
        try await send(
            signed(request("POST", "/contact/stop", body: #"{"ContactId":"\#(contactID)","InstanceId":"\#(instance)"}"#)))
    }

    /// An admin request (unsigned).
    func admin(_ method: String, _ path: String, query: String? = nil) async throws -> JSONValue {
        let response = try await send(request(method, path, query: query))
        #expect(response.status == 200, "\(method) \(path): \(response.bodyText)")
        return try JSONParser.parse(response.body)
    }
}

extension HTTPResponse {
    /// The body parsed as JSON.
    var json: JSONValue {
        get throws { try JSONParser.parse(body) }
    }

    /// `X-Amzn-ErrorType`.
    var errorType: String? { headers["x-amzn-errortype"] }

    /// The `message` of an error body.
    var message: String? { (try? json)?["message"]?.stringValue }
}
