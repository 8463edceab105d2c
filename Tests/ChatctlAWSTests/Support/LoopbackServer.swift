import ChatctlAWS
import Foundation

/// `fake_connect_server.py` (next to this file) running on 127.0.0.1 for one test: a Connect
/// stand-in that checks every request's SigV4 signature with botocore, independently of
/// chatctl's signer, and can be scripted to fail.
///
/// Start it with ``start(credentials:region:clockOffset:tls:)``; the process ends when the
/// value is released: `deinit` closes its stdin, on which the script watches for end-of-file
/// (so it also never outlives the test process), and terminates it. Nothing here waits for
/// the process synchronously: `waitUntilExit` would block a thread of the small cooperative
/// pool.
final class LoopbackServer: Sendable {
    /// A scripted answer for the next Connect request that passes the signature check.
    struct Action: Encodable, Sendable {
        var status: Int?
        var code: String?
        var message: String?
        var retryAfterMs: Int?
        var drop: Bool?
        var delay: Double?
        var bodyBytes: Int?
        var json: [String: String]?
        var contactIdLength: Int?
        var raw: String?
        var hold: Bool?

        /// Answer 200 with this JSON object of strings.
        static func json(_ object: [String: String]) -> Action {
            Action(json: object)
        }

        /// Create the chat, then answer something that is not a whole HTTP response:
        /// `garbage`, `http09` (a body without a status line) or `truncated`.
        static func raw(_ kind: String) -> Action {
            Action(raw: kind)
        }

        /// Answer only after ``LoopbackServer/release()``.
        static let hold = Action(hold: true)

        /// An error response.
        static func error(_ status: Int, _ code: String, message: String = "scripted failure", retryAfterMs: Int? = nil)
            -> Action
        {
            Action(status: status, code: code, message: message, retryAfterMs: retryAfterMs)
        }

        /// Reset the connection without answering.
        static let drop = Action(drop: true)

        /// Answer normally after `seconds`.
        static func delay(_ seconds: Double) -> Action {
            Action(delay: seconds)
        }

        /// Answer 200 with `count` bytes of body.
        static func body(bytes count: Int) -> Action {
            Action(bodyBytes: count)
        }
    }

    /// One Connect request as the server saw it.
    struct RecordedRequest: Decodable, Sendable {
        var method: String
        var path: String
        var httpVersion: String
        var userAgent: String?
        var accept: String?
        var expect: String?
        var contentType: String?
        var amzDate: String?
        var securityToken: Bool
        var bodyLength: Int
        var clientToken: String?
        /// `valid`, or the error code the server answered with.
        var signature: String
    }

    /// What the server saw so far.
    struct Stats: Decodable, Sendable {
        /// TCP connections that carried Connect requests (control-only ones are not counted).
        var connections: Int
        /// Connections open now, the stats request's own not counted.
        var openConnections: Int
        /// Connect requests, in arrival order (control requests excluded).
        var requests: [RecordedRequest]
        /// A port on 127.0.0.1 the server holds bound without listening: connecting is refused.
        var closedPort: Int
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// The port on 127.0.0.1.
    let port: Int
    /// `http`, or `https` when started with a certificate.
    let scheme: String
    /// The certificate served over HTTPS (self-signed, so also the CA bundle that trusts it).
    let caBundle: String?
    /// The credentials the server accepts.
    let credentials: AWSCredentials
    /// The region the server expects in the credential scope.
    let region: String
    private let process: Process
    private let input: Pipe

    /// The test credentials, fixed so failures are reproducible.
    static let testCredentials = AWSCredentials(
        accessKeyId: "AKIDLOOPBACKEXAMPLE", secretAccessKey: "loopback/secret+key/EXAMPLEKEY0123456789")

    private init(
        port: Int, caBundle: String?, credentials: AWSCredentials, region: String, process: Process, input: Pipe
    ) {
        self.port = port
        self.scheme = caBundle == nil ? "http" : "https"
        self.caBundle = caBundle
        self.credentials = credentials
        self.region = region
        self.process = process
        self.input = input
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.stopAndReap()
    }

    /// The server's base URL.
    var endpoint: ServiceEndpoint {
        ServiceEndpoint(scheme: scheme, authority: "127.0.0.1:\(port)")
    }

    /// Starts a server and waits (at most 60 s) for its `PORT` line.
    ///
    /// - Parameters:
    ///   - credentials: the credentials it accepts.
    ///   - region: the region it expects.
    ///   - clockOffset: seconds added to its clock.
    ///   - tls: a PEM certificate and key to serve HTTPS with, or `nil` for plain HTTP.
    /// - Throws: ``StartError`` with the script's own message (for example when botocore
    ///   is not installed).
    static func start(
        credentials: AWSCredentials = testCredentials, region: String = "us-east-1", clockOffset: Double = 0,
        tls: (certificate: String, key: String)? = nil
    ) async throws -> LoopbackServer {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("fake_connect_server.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = [
            "python3", script.path, "--access-key", credentials.accessKeyId, "--secret-key",
            credentials.secretAccessKey, "--region", region, "--clock-offset", String(clockOffset), "--lifetime", "240",
        ]
        if let token = credentials.sessionToken {
            arguments += ["--session-token", token]
        }
        if let tls {
            arguments += ["--tls-cert", tls.certificate, "--tls-key", tls.key]
        }
        process.arguments = arguments
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()

        let reader = output.fileHandleForReading
        let lineRead = CredentialTestBox(false)
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { [process] in
            if !lineRead.get(), process.isRunning { process.terminate() }
        }
        let line: String = await withCheckedContinuation { continuation in
            let thread = Thread {
                var data = Data()
                while !data.contains(0x0A) {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                // Here, not after the await: under load the test's task may resume long
                // after the line came, and a watchdog left armed until then kills a server
                // that had started (connections refused, seen in loaded sanitizer runs).
                lineRead.set(true)
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
            thread.start()
        }
        let first = line.split(separator: "\n").first.map(String.init) ?? ""
        guard first.hasPrefix("PORT "), let port = Int(first.dropFirst(5)) else {
            process.stopAndReap()
            let why = first.hasPrefix("ERROR ") ? String(first.dropFirst(6)) : "no PORT line (got \"\(first)\")"
            throw StartError(description: "fake_connect_server.py did not start: \(why)")
        }
        return LoopbackServer(
            port: port, caBundle: tls?.certificate, credentials: credentials, region: region,
            process: process, input: input)
    }

    // MARK: - Control

    /// Polls ``stats()`` until `condition` holds or `seconds` pass.
    ///
    /// - Returns: the last stats read.
    func waitForStats(upTo seconds: Double = 30, until condition: (Stats) -> Bool) async throws -> Stats {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var stats = try await self.stats()
        while !condition(stats), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            stats = try await self.stats()
        }
        return stats
    }

    /// Queues actions for the next Connect requests.
    func script(_ actions: [Action]) async throws {
        struct Body: Encodable { var actions: [Action] }
        _ = try await control("POST", "/__control/script", body: JSONEncoder().encode(Body(actions: actions)))
    }

    /// Answers every request held by a ``Action/hold`` action.
    func release() async throws {
        _ = try await control("POST", "/__control/release", body: Data())
    }

    /// Moves the server clock `offset` seconds from the real time.
    func setClockOffset(_ offset: Double) async throws {
        _ = try await control("POST", "/__control/clock", body: Data(#"{"offset":\#(offset)}"#.utf8))
    }

    /// What the server saw so far.
    func stats() async throws -> Stats {
        try JSONDecoder().decode(Stats.self, from: Data(try await control("GET", "/__control/stats", body: Data())))
    }

    /// A control request on a fresh connection (so it does not disturb connection counts
    /// of a transport under test beyond its own one connection).
    private func control(_ method: String, _ path: String, body: Data) async throws -> [UInt8] {
        let transport = CurlTransport(configuration: .init(caBundle: caBundle, maxIdleHandles: 0))
        let request = endpoint.request(
            method: method, path: path, headers: ["Content-Type": "application/json"], body: Array(body))
        let response = try await transport.send(request, timeouts: HTTPTimeouts(connect: 5, total: 10))
        guard response.isSuccess else {
            throw StartError(description: "control request \(path) failed: HTTP \(response.status)")
        }
        return response.body
    }
}
