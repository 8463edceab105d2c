/// Why a request could not be read. Each is answered (where an answer makes sense) and the
/// connection closed: after a framing error nothing on the connection can be trusted.
enum HTTPProtocolError: Error, Sendable, Equatable {
    /// The peer closed the connection in the middle of a request.
    case closedEarly
    /// The request line is longer than the head limit: 414.
    case requestLineTooLong(limit: Int)
    /// The request line and headers together are longer than the limit: 431.
    case headerTooLarge(limit: Int)
    /// The head is not HTTP/1.x: 400.
    case malformed(String)
    /// A chunked body breaks RFC 9112 section 7.1: 400.
    case malformedChunked(String)
    /// The body is longer than the limit: 413.
    case bodyTooLarge
    /// The request did not arrive within the time allowed: the connection is closed.
    case timedOut

    /// The status answered, or `nil` when the connection is closed without an answer.
    var status: Int? {
        switch self {
        case .closedEarly, .timedOut: nil
        case .requestLineTooLong: 414
        case .headerTooLarge: 431
        case .malformed, .malformedChunked: 400
        case .bodyTooLarge: 413
        }
    }

    /// The reason counted in ``EmulatorStats/refusedRequests``.
    var statisticsReason: String {
        switch self {
        case .closedEarly: "closed mid-request"
        case .requestLineTooLong: "request line too long"
        case .headerTooLarge: "header too large"
        case .malformed: "malformed request"
        case .malformedChunked: "malformed chunked body"
        case .bodyTooLarge: "body too large"
        case .timedOut: "timeout"
        }
    }

    /// The message of the answer, in the services' style.
    var message: String {
        switch self {
        case .closedEarly: "The connection was closed in the middle of a request."
        case .requestLineTooLong(let limit): "The request line is longer than \(limit) bytes."
        case .headerTooLarge(let limit): "The request line and headers are longer than \(limit) bytes."
        case .malformed(let reason): "The request is not valid HTTP/1.1: \(reason)."
        case .malformedChunked(let reason): "The chunked request body is not valid: \(reason)."
        case .bodyTooLarge: "The request body is too large."
        case .timedOut: "The request did not arrive in time."
        }
    }
}
