extension RFC6455 {
    /// One frame (section 5.2).
    public struct Frame: Sendable, Equatable {
        /// The opcode.
        public enum Opcode: UInt8, Sendable, Equatable {
            case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA

            /// Close, ping and pong: at most 125 bytes, never fragmented.
            public var isControl: Bool { rawValue >= 0x8 }
        }

        /// FIN: the last frame of a message.
        public var fin: Bool
        /// The opcode.
        public var opcode: Opcode
        /// The payload, unmasked.
        public var payload: [UInt8]

        /// Creates a frame.
        public init(fin: Bool = true, opcode: Opcode, payload: [UInt8] = []) {
            self.fin = fin
            self.opcode = opcode
            self.payload = payload
        }

        /// A final text frame.
        public static func text(_ text: String) -> Frame {
            Frame(opcode: .text, payload: Array(text.utf8))
        }

        /// A close frame with `code` and a UTF-8 `reason` (cut to fit 125 bytes).
        public static func close(code: UInt16, reason: String = "") -> Frame {
            let reasonBytes = Array(String(decoding: Array(reason.utf8.prefix(123)), as: UTF8.self).utf8.prefix(123))
            return Frame(opcode: .close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)] + reasonBytes)
        }

        /// The frame's bytes. A client masks every frame (section 5.3) with a fresh key;
        /// a server (the tests' loopback peers) sends without one.
        ///
        /// - Parameter maskingKey: 4 bytes, or `nil` for an unmasked frame.
        public func encoded(maskingKey: [UInt8]?) -> [UInt8] {
            var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode.rawValue]
            let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
            switch payload.count {
            case 0..<126:
                bytes.append(maskBit | UInt8(payload.count))
            case 126...0xFFFF:
                bytes += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
            default:
                bytes.append(maskBit | 127)
                bytes += stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: payload.count >> $0) }
            }
            guard let maskingKey, maskingKey.count == 4 else {
                return bytes + payload
            }
            bytes += maskingKey
            bytes.reserveCapacity(bytes.count + payload.count)
            for (index, byte) in payload.enumerated() {
                bytes.append(byte ^ maskingKey[index & 3])
            }
            return bytes
        }

        /// The close code and reason of a close frame's payload: 1005 when it has none.
        ///
        /// - Throws: ``ProtocolViolation`` (1002) for a one-byte payload or a code that may
        ///   not be sent (section 7.4), (1007) for a reason that is not UTF-8.
        public func closeStatus() throws(ProtocolViolation) -> (code: UInt16, reason: String) {
            guard !payload.isEmpty else { return (CloseCode.noStatus, "") }
            guard payload.count >= 2 else {
                throw ProtocolViolation(closeCode: CloseCode.protocolError, detail: "a close frame with a 1-byte payload")
            }
            let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            let allowed = (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code)
            guard allowed else {
                throw ProtocolViolation(closeCode: CloseCode.protocolError, detail: "the close code \(code) may not be sent")
            }
            guard let reason = String(validating: payload[2...], as: UTF8.self) else {
                throw ProtocolViolation(closeCode: CloseCode.invalidPayload, detail: "a close reason that is not UTF-8")
            }
            return (code, reason)
        }
    }
}
