import ChatctlAWS
import Foundation

/// Writes an answer as HTTP/1.1 bytes: status line, the response's headers (its own
/// `Content-Length` and `Connection` replaced), `Content-Length`, `Connection: close` when
/// the connection closes after it, and the body — one buffer, so one `send`.
enum HTTPResponseEncoder {
    static func encode(_ response: HTTPResponse, closing: Bool, http10KeepAlive: Bool, headOnly: Bool) -> Data {
        var text = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
        for field in response.headers {
            let name = field.name.lowercased()
            guard name != "content-length", name != "connection", name != "transfer-encoding" else { continue }
            text += "\(field.name): \(field.value)\r\n"
        }
        text += "Content-Length: \(response.body.count)\r\n"
        if closing {
            text += "Connection: close\r\n"
        } else if http10KeepAlive {
            text += "Connection: keep-alive\r\n"
        }
        text += "\r\n"
        var data = Data(text.utf8)
        if !headOnly {
            data.append(contentsOf: response.body)
        }
        return data
    }

    /// `101 Switching Protocols` for a WebSocket.
    static func switchingProtocols(accept: String) -> Data {
        Data(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(accept)\r\n\r\n").utf8)
    }

    /// `100 Continue`, sent before reading a body the client holds back until it sees it.
    /// Built per use: a `Data` kept in a global is reported by LeakSanitizer (its storage
    /// pointer is stored with enum tag bits that LSan's scan does not recognise).
    static var continueLine: Data { Data("HTTP/1.1 100 Continue\r\n\r\n".utf8) }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 426: "Upgrade Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        default: "Status \(status)"
        }
    }
}
