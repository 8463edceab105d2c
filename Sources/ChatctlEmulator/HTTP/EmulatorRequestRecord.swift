import Foundation

/// One request the emulator handled, for `chatctl emulator --verbose`. It holds no header,
/// query or body: signatures, session tokens, customer ids and participant tokens travel in
/// those, and a request log must never print them.
public struct EmulatorRequestRecord: Sendable, Equatable, CustomStringConvertible {
    public var method: String
    /// The path without its query.
    public var path: String
    /// The status sent (101 for a WebSocket upgrade), or `nil` when the connection was
    /// closed without an HTTP answer (an injected `drop`, `lost` or `garbage` fault).
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
