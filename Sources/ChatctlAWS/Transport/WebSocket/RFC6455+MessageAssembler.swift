extension RFC6455 {
    /// What a frame amounts to once fragments are put together.
    public enum Event: Sendable, Equatable {
        /// A whole text message.
        case text(String)
        /// A whole binary message.
        case binary([UInt8])
        /// A ping, to be answered with a pong carrying the same payload.
        case ping([UInt8])
        /// A pong.
        case pong([UInt8])
        /// The peer's close frame: its code (1005 when it had none) and reason.
        case close(code: UInt16, reason: String)
    }

    /// Puts messages together from frames (section 5.4): a text or binary frame starts a
    /// message, continuations extend it, and control frames may come between its fragments.
    /// Refuses a continuation with no message begun, a new message before the last one ended
    /// (1002), a message over ``maxMessageBytes`` (1009) and text that is not UTF-8 (1007).
    public struct MessageAssembler: Sendable {
        /// The largest message accepted.
        public let maxMessageBytes: Int
        private var partial: (opcode: Frame.Opcode, payload: [UInt8])?

        /// Creates an assembler.
        public init(maxMessageBytes: Int) {
            self.maxMessageBytes = maxMessageBytes
        }

        /// Takes the next frame.
        ///
        /// - Returns: the event it completes, or `nil` for a fragment that ends nothing.
        /// - Throws: ``ProtocolViolation``.
        public mutating func take(_ frame: Frame) throws(ProtocolViolation) -> Event? {
            switch frame.opcode {
            case .ping:
                return .ping(frame.payload)
            case .pong:
                return .pong(frame.payload)
            case .close:
                let status = try frame.closeStatus()
                return .close(code: status.code, reason: status.reason)
            case .text, .binary:
                guard partial == nil else {
                    throw ProtocolViolation(
                        closeCode: CloseCode.protocolError, detail: "a new message began inside a fragmented one")
                }
                partial = (frame.opcode, [])
            case .continuation:
                guard partial != nil else {
                    throw ProtocolViolation(
                        closeCode: CloseCode.protocolError, detail: "a continuation frame with no message begun")
                }
            }
            guard var current = partial else { return nil }
            guard current.payload.count + frame.payload.count <= maxMessageBytes else {
                throw ProtocolViolation(
                    closeCode: CloseCode.messageTooBig,
                    detail: "a message of more than \(maxMessageBytes) bytes is over the limit")
            }
            current.payload += frame.payload
            guard frame.fin else {
                partial = current
                return nil
            }
            partial = nil
            guard current.opcode == .text else { return .binary(current.payload) }
            guard let text = String(validating: current.payload, as: UTF8.self) else {
                throw ProtocolViolation(closeCode: CloseCode.invalidPayload, detail: "a text message that is not UTF-8")
            }
            return .text(text)
        }
    }
}
