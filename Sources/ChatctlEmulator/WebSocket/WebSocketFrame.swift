/// One WebSocket frame (RFC 6455 section 5.2), and its encoding as a server sends it
/// (never masked).
struct WebSocketFrame: Sendable, Equatable {
    enum Opcode: UInt8, Sendable {
        case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA

        var isControl: Bool { rawValue >= 0x8 }
    }

    var fin: Bool
    var opcode: Opcode
    var payload: [UInt8]

    /// The frame's bytes, unmasked.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode.rawValue]
        switch payload.count {
        case 0..<126:
            bytes.append(UInt8(payload.count))
        case 126...0xFFFF:
            bytes.append(126)
            bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            bytes.append(127)
            bytes += stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: payload.count >> $0) }
        }
        return bytes + payload
    }

    /// A close frame with `code` and no reason.
    static func close(_ code: UInt16) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// Why a client's frame breaks the protocol: the close code to answer with.
    struct Violation: Error, Equatable {
        /// 1002 protocol error, 1007 invalid UTF-8, 1009 message too big.
        var code: UInt16
    }

    /// Reads one client frame: it must be masked, a control frame at most 125 bytes and
    /// unfragmented, and the payload at most `limit` bytes.
    static func read(from reader: inout HTTPConnectionReader, limit: Int) async throws -> WebSocketFrame {
        let header = try await reader.read(count: 2)
        guard header[0] & 0x70 == 0, let opcode = Opcode(rawValue: header[0] & 0x0F) else {
            throw Violation(code: 1002)
        }
        guard header[1] & 0x80 != 0 else {
            throw Violation(code: 1002)  // client frames are masked
        }
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            let extended = try await reader.read(count: 2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            let extended = try await reader.read(count: 8)
            guard extended[0] & 0x80 == 0 else { throw Violation(code: 1002) }
            var value: UInt64 = 0
            for byte in extended {
                value = value << 8 | UInt64(byte)
            }
            guard value <= UInt64(limit) else { throw Violation(code: 1009) }
            length = Int(value)
        }
        let fin = header[0] & 0x80 != 0
        if opcode.isControl, length > 125 || !fin {
            throw Violation(code: 1002)
        }
        guard length <= limit else { throw Violation(code: 1009) }
        let mask = try await reader.read(count: 4)
        var payload = try await reader.read(count: length)
        for index in payload.indices {
            payload[index] ^= mask[index % 4]
        }
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }
}
