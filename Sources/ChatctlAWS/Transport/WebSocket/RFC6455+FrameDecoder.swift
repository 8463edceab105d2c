extension RFC6455 {
    /// Cuts frames out of the bytes a server sends, as they arrive, and refuses what a client
    /// must refuse (section 5): reserved bits without an extension, unknown opcodes, masked
    /// frames (a server never masks, section 5.1), control frames that are fragmented or over
    /// 125 bytes, 64-bit lengths with the top bit set, and payloads over ``maxPayloadBytes``
    /// (1009, checked on the header, before any payload byte is buffered).
    public struct FrameDecoder: Sendable {
        /// The largest payload accepted in one frame.
        public let maxPayloadBytes: Int
        private var buffer: [UInt8] = []
        private var start = 0

        /// Creates a decoder.
        ///
        /// - Parameter maxPayloadBytes: the largest payload of one frame.
        public init(maxPayloadBytes: Int) {
            self.maxPayloadBytes = max(125, maxPayloadBytes)
        }

        /// Adds received bytes.
        public mutating func append(_ bytes: [UInt8]) {
            if start > 0, start >= buffer.count / 2 {
                buffer.removeFirst(start)
                start = 0
            }
            buffer += bytes
        }

        /// How many received bytes are not part of a returned frame yet.
        public var bufferedByteCount: Int { buffer.count - start }

        /// The next whole frame, or `nil` when more bytes are needed.
        ///
        /// - Throws: ``ProtocolViolation`` when the bytes break the protocol; the decoder is
        ///   then of no further use.
        public mutating func nextFrame() throws(ProtocolViolation) -> Frame? {
            let available = buffer.count - start
            guard available >= 2 else { return nil }
            let first = buffer[start]
            let second = buffer[start + 1]
            guard first & 0x70 == 0 else {
                throw ProtocolViolation(closeCode: CloseCode.protocolError, detail: "reserved bits set without an extension")
            }
            guard let opcode = Frame.Opcode(rawValue: first & 0x0F) else {
                throw ProtocolViolation(closeCode: CloseCode.protocolError, detail: "unknown opcode \(first & 0x0F)")
            }
            guard second & 0x80 == 0 else {
                throw ProtocolViolation(closeCode: CloseCode.protocolError, detail: "a masked frame from the server")
            }
            let fin = first & 0x80 != 0
            var headerLength = 2
            var length = Int(second & 0x7F)
            if length == 126 {
                guard available >= 4 else { return nil }
                length = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
                headerLength = 4
            } else if length == 127 {
                guard available >= 10 else { return nil }
                guard buffer[start + 2] & 0x80 == 0 else {
                    throw ProtocolViolation(closeCode: CloseCode.protocolError, detail: "a 64-bit length with its top bit set")
                }
                var value: UInt64 = 0
                for byte in buffer[(start + 2)..<(start + 10)] {
                    value = value << 8 | UInt64(byte)
                }
                guard value <= UInt64(maxPayloadBytes) else {
                    throw Self.tooBig(value)
                }
                length = Int(value)
                headerLength = 10
            }
            if opcode.isControl {
                guard fin else {
                    throw ProtocolViolation(closeCode: CloseCode.protocolError, detail: "a fragmented control frame")
                }
                guard length <= 125 else {
                    throw ProtocolViolation(
                        closeCode: CloseCode.protocolError, detail: "a control frame of \(length) bytes (at most 125)")
                }
            }
            guard length <= maxPayloadBytes else {
                throw Self.tooBig(UInt64(length))
            }
            guard available >= headerLength + length else { return nil }
            let payloadStart = start + headerLength
            let payload = Array(buffer[payloadStart..<(payloadStart + length)])
            start = payloadStart + length
            return Frame(fin: fin, opcode: opcode, payload: payload)
        }

        private static func tooBig(_ length: UInt64) -> ProtocolViolation {
            ProtocolViolation(closeCode: CloseCode.messageTooBig, detail: "a frame of \(length) bytes is over the limit")
        }
    }
}
