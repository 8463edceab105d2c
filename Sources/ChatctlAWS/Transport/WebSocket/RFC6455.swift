/// The WebSocket protocol (RFC 6455) as a client speaks it: frames (``Frame``), their
/// incremental decoding with every check a client owes (``FrameDecoder``), messages from
/// fragments (``MessageAssembler``) and the opening handshake (``Handshake``). Pure values,
/// no I/O: ``WebSocketConnection`` runs them over a ``CurlStreamConnection``.
///
/// chatctl frames WebSockets itself because libcurl 7.88 here lacks `curl_ws_*`, and a
/// package would bring SwiftNIO into the build (docs/verify.md, "The live channel").
public enum RFC6455 {
    /// Close codes (section 7.4.1) chatctl sends or reads.
    public enum CloseCode {
        /// 1000: normal closure.
        public static let normal: UInt16 = 1000
        /// 1001: going away.
        public static let goingAway: UInt16 = 1001
        /// 1002: protocol error.
        public static let protocolError: UInt16 = 1002
        /// 1005: no status code was present (never sent on the wire).
        public static let noStatus: UInt16 = 1005
        /// 1007: a text message that is not UTF-8.
        public static let invalidPayload: UInt16 = 1007
        /// 1009: a message too big to process.
        public static let messageTooBig: UInt16 = 1009
    }

    /// Why the peer broke the protocol, and the close code to answer with.
    public struct ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
        /// The close code: 1002, 1007 or 1009.
        public var closeCode: UInt16
        /// What was wrong, lowercase.
        public var detail: String

        /// Creates a violation.
        public init(closeCode: UInt16, detail: String) {
            self.closeCode = closeCode
            self.detail = detail
        }

        /// `detail (close code N)`.
        public var description: String { "\(detail) (close code \(closeCode))" }
    }
}
