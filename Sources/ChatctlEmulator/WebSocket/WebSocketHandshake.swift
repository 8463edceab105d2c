import ChatctlAWS
import ChatctlJSON
import Foundation

/// The opening handshake of RFC 6455 section 4.2: whether a request asks for a WebSocket,
/// and the `Sec-WebSocket-Accept` value that proves the server read its key.
enum WebSocketHandshake {
    /// The GUID every server appends to the client's key (RFC 6455 section 1.3).
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The reply to a request for a WebSocket route: the upgrade to `session`, or 400
    /// (426 for another protocol version) saying what is missing.
    static func reply(to request: HTTPRequest, session: WebSocketSession) -> EmulatorReply {
        switch accept(request) {
        case .success(let accept):
            return .webSocket(accept: accept, session: session)
        case .failure(let refusal):
            var headers: HTTPHeaders = ["Content-Type": "application/json"]
            if refusal.status == 426 {
                headers.add(name: "Sec-WebSocket-Version", value: "13")
            }
            return .answer(
                HTTPResponse(
                    status: refusal.status, headers: headers,
                    body: JSONWriter.compact.bytes(.object(["message": .string(refusal.message)]))))
        }
    }

    /// Why a request is not a valid WebSocket opening handshake.
    struct Refusal: Error, Equatable {
        var status: Int
        var message: String
    }

    /// The `Sec-WebSocket-Accept` value for a valid opening handshake.
    static func accept(_ request: HTTPRequest) -> Result<String, Refusal> {
        func tokens(_ name: String) -> [String] {
            request.headers.values(for: name).flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        }
        guard request.method.uppercased() == "GET" else {
            return .failure(Refusal(status: 400, message: "a WebSocket opening handshake is a GET request"))
        }
        guard tokens("upgrade").contains("websocket"), tokens("connection").contains("upgrade") else {
            return .failure(
                Refusal(status: 400, message: "this path serves a WebSocket: send Upgrade: websocket and Connection: Upgrade"))
        }
        guard request.headers["sec-websocket-version"] == "13" else {
            return .failure(Refusal(status: 426, message: "only WebSocket version 13 is served"))
        }
        guard let key = request.headers["sec-websocket-key"], Data(base64Encoded: key)?.count == 16 else {
            return .failure(Refusal(status: 400, message: "Sec-WebSocket-Key must be 16 bytes in base64"))
        }
        return .success(acceptValue(forKey: key))
    }

    /// base64(SHA-1(key + GUID)).
    static func acceptValue(forKey key: String) -> String {
        Data(SHA1.digest(Array((key + guid).utf8))).base64EncodedString()
    }
}
