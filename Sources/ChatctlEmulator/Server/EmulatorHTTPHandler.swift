import ChatctlAWS
import FlyingFox
import Foundation

/// The FlyingFox side of the server: it turns a FlyingFox request into ChatctlAWS's plain
/// `HTTPRequest` (raw target, headers as received, body bytes), hands it to
/// ``EmulatorCore``, and turns the reply back into a FlyingFox response.
///
/// Header names arrive as sent; FlyingFox keeps one value per name (the last), which is what
/// the signature covers for every client that sends each header once.
struct EmulatorHTTPHandler: FlyingFox.HTTPHandler {
    let core: EmulatorCore
    /// Receives one ``EmulatorRequestRecord`` per request, when set.
    var requestLog: (@Sendable (EmulatorRequestRecord) -> Void)?

    func handleRequest(_ request: FlyingFox.HTTPRequest) async throws -> FlyingFox.HTTPResponse {
        guard let requestLog else { return try await answer(request) }
        let started = ContinuousClock.now
        let response = try await answer(request)
        let elapsed = started.duration(to: .now)
        let path = request.target.rawValue.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let dropped = if case .webSocket = response.payload { true } else { false }
        requestLog(EmulatorRequestRecord(
            method: request.method.rawValue, path: path.isEmpty ? "/" : path,
            status: dropped ? nil : response.statusCode.code,
            errorType: response.headers[FlyingFox.HTTPHeader("X-Amzn-ErrorType")],
            milliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))
        return response
    }

    private func answer(_ request: FlyingFox.HTTPRequest) async throws -> FlyingFox.HTTPResponse {
        let limit = core.configuration.maxBodyBytes
        if let count = request.bodySequence.count, count > limit {
            return Self.flyingFoxResponse(core.tooLargeResponse())
        }
        var body: [UInt8] = []
        for try await chunk in request.bodySequence {
            body.append(contentsOf: chunk)
            if body.count > limit {
                return Self.flyingFoxResponse(core.tooLargeResponse())
            }
        }
        var headers = ChatctlAWS.HTTPHeaders()
        for (name, value) in request.headers {
            headers.add(name: name.rawValue, value: value)
        }
        let plain = EmulatorCore.request(
            method: request.method.rawValue, target: request.target.rawValue, headers: headers, body: body)
        switch await core.handleCounted(plain) {
        case .answer(let response):
            return Self.flyingFoxResponse(response)
        case .drop:
            return FlyingFox.HTTPResponse(webSocket: DroppedConnection())
        }
    }

    static func flyingFoxResponse(_ response: ChatctlAWS.HTTPResponse) -> FlyingFox.HTTPResponse {
        var headers = FlyingFox.HTTPHeaders()
        for field in response.headers {
            headers.addValue(field.value, for: FlyingFox.HTTPHeader(field.name))
        }
        return FlyingFox.HTTPResponse(
            statusCode: HTTPStatusCode(response.status, phrase: reasonPhrase(response.status)), headers: headers,
            body: Data(response.body))
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        default: "Status \(status)"
        }
    }
}

/// One request the emulator handled, for `chatctl emulator --verbose`. It holds no header,
/// query or body: signatures, session tokens, customer ids and participant tokens travel in
/// those, and a request log must never print them.
public struct EmulatorRequestRecord: Sendable, Equatable, CustomStringConvertible {
    public var method: String
    /// The path without its query.
    public var path: String
    /// The status sent, or `nil` when the connection was closed without an answer (a fault).
    public var status: Int?
    /// `X-Amzn-ErrorType` of an error answer.
    public var errorType: String?
    public var milliseconds: Double

    /// `PUT /contact/chat 200 3.1 ms`, `PUT /contact/chat 429 TooManyRequestsException 0.2 ms`,
    /// `PUT /contact/chat closed without an answer 15.0 ms`.
    public var description: String {
        let outcome = status.map { "\($0)" + (errorType.map { " \($0)" } ?? "") } ?? "closed without an answer"
        return "\(method) \(path) \(outcome) \(String(format: "%.1f", milliseconds)) ms"
    }
}

/// Closes the connection without sending a byte.
///
/// FlyingFox has no call for "close without answering", but it asks a WebSocket handler for
/// its frames *before* it writes the `101` status line, and closes the connection when that
/// throws. Throwing here therefore drops the connection with nothing written, which is what a
/// client sees when a server or load balancer dies mid-request. (Relies on FlyingFox 0.27's
/// `HTTPConnection.switchToWebSocket`; `EmulatorServerTests` checks the client sees no answer.)
struct DroppedConnection: WSHandler {
    struct Dropped: Error {}

    func makeFrames(for client: AsyncThrowingStream<WSFrame, any Error>) async throws -> AsyncStream<WSFrame> {
        throw Dropped()
    }
}
