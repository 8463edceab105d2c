import Testing

@testable import ChatctlAWS

/// The WebSocket codec: masking, lengths, fragmentation with control frames between
/// fragments, close codes, and every frame a client must refuse.
@Suite struct RFC6455Tests {
    typealias Frame = RFC6455.Frame

    static func decode(_ bytes: [UInt8], limit: Int = 1 << 20) throws -> [Frame] {
        var decoder = RFC6455.FrameDecoder(maxPayloadBytes: limit)
        decoder.append(bytes)
        var frames: [Frame] = []
        while let frame = try decoder.nextFrame() {
            frames.append(frame)
        }
        return frames
    }

    @Test func aClientFrameIsMaskedWithItsKey() {
        // RFC 6455 section 5.7: a masked "Hello".
        let bytes = Frame.text("Hello").encoded(maskingKey: [0x37, 0xfa, 0x21, 0x3d])
        #expect(bytes == [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
        #expect(Frame.text("Hello").encoded(maskingKey: nil) == [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
    }

    @Test(arguments: [0, 125, 126, 65_535, 65_536, 200_000])
    func lengthsRoundTripInTheirThreeEncodings(_ length: Int) throws {
        let frame = Frame(opcode: .binary, payload: (0..<length).map { UInt8(truncatingIfNeeded: $0) })
        let bytes = frame.encoded(maskingKey: nil)
        let headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10
        #expect(bytes.count == headerLength + length)
        #expect(try Self.decode(bytes) == [frame])
    }

    @Test func framesArriveByteByByte() throws {
        let bytes = Frame.text("split across reads").encoded(maskingKey: nil) + Frame(opcode: .ping).encoded(maskingKey: nil)
        var decoder = RFC6455.FrameDecoder(maxPayloadBytes: 1024)
        var frames: [Frame] = []
        for byte in bytes {
            decoder.append([byte])
            while let frame = try decoder.nextFrame() { frames.append(frame) }
        }
        #expect(frames == [.text("split across reads"), Frame(opcode: .ping)])
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func fragmentsMakeOneMessageWithControlFramesBetween() throws {
        var assembler = RFC6455.MessageAssembler(maxMessageBytes: 100)
        #expect(try assembler.take(Frame(fin: false, opcode: .text, payload: Array("Hel".utf8))) == nil)
        #expect(try assembler.take(Frame(opcode: .ping, payload: [1])) == .ping([1]))
        #expect(try assembler.take(Frame(fin: false, opcode: .continuation, payload: Array("lo, ".utf8))) == nil)
        #expect(try assembler.take(Frame(opcode: .pong)) == .pong([]))
        #expect(try assembler.take(Frame(fin: true, opcode: .continuation, payload: Array("world".utf8))) == .text("Hello, world"))
        #expect(try assembler.take(Frame(opcode: .binary, payload: [9])) == .binary([9]))
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var code: UInt16
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "a masked server frame", bytes: Frame.text("x").encoded(maskingKey: [1, 2, 3, 4]), code: 1002),
        Refusal(name: "reserved bits", bytes: [0xC1, 0x00], code: 1002),
        Refusal(name: "an unknown opcode", bytes: [0x83, 0x00], code: 1002),
        Refusal(name: "a fragmented ping", bytes: [0x09, 0x00], code: 1002),
        Refusal(name: "a 126-byte close frame", bytes: [0x88, 0x7E, 0x00, 0x7E] + [UInt8](repeating: 0, count: 126), code: 1002),
        Refusal(name: "a 64-bit length with its top bit", bytes: [0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1], code: 1002),
        Refusal(name: "a frame over the limit, told by its header alone", bytes: [0x82, 0x7F, 0, 0, 0, 0, 0x10, 0, 0, 0], code: 1009),
        Refusal(name: "a 16-bit length over the limit", bytes: [0x82, 0x7E, 0x04, 0x01], code: 1009),
    ]

    @Test(arguments: refusals)
    func refusesWhatAClientMustRefuse(_ refusal: Refusal) {
        do throws(RFC6455.ProtocolViolation) {
            var decoder = RFC6455.FrameDecoder(maxPayloadBytes: 1024)
            decoder.append(refusal.bytes)
            let frame = try decoder.nextFrame()
            Issue.record("accepted \(String(describing: frame))")
        } catch {
            #expect(error.closeCode == refusal.code)
        }
    }

    @Test func refusesBrokenMessages() {
        func code(_ frames: [Frame], limit: Int = 100) -> UInt16? {
            var assembler = RFC6455.MessageAssembler(maxMessageBytes: limit)
            do {
                for frame in frames { _ = try assembler.take(frame) }
                return nil
            } catch {
                return error.closeCode
            }
        }
        #expect(code([Frame(opcode: .continuation, payload: [1])]) == 1002)
        #expect(code([Frame(fin: false, opcode: .text, payload: [0x61]), .text("b")]) == 1002)
        #expect(
            code([Frame(fin: false, opcode: .binary, payload: [1, 2]), Frame(opcode: .continuation, payload: [3, 4])], limit: 3)
                == 1009)
        #expect(code([Frame(opcode: .text, payload: [0xC3, 0x28])]) == 1007)
        // A character split between fragments is whole in the message.
        #expect(
            code([Frame(fin: false, opcode: .text, payload: [0xE2, 0x82]), Frame(opcode: .continuation, payload: [0xAC])])
                == nil)
    }

    @Test func closeFramesCarryTheirCodeAndReason() throws {
        #expect(try Frame.close(code: 1000, reason: "bye").closeStatus() == (1000, "bye"))
        #expect(try Frame(opcode: .close).closeStatus() == (1005, ""))
        var assembler = RFC6455.MessageAssembler(maxMessageBytes: 10)
        #expect(try assembler.take(.close(code: 4001, reason: "custom")) == .close(code: 4001, reason: "custom"))
        for payload: [UInt8] in [[0x03], [0x03, 0xED], [0x03, 0xEE], [0x03, 0xE8, 0xC3, 0x28]] {
            #expect(throws: RFC6455.ProtocolViolation.self) { try Frame(opcode: .close, payload: payload).closeStatus() }
        }
        #expect(Frame.close(code: 1000, reason: String(repeating: "é", count: 100)).payload.count <= 125)
    }

    @Test func theHandshakeChecksTheAcceptValue() throws {
        // RFC 6455 section 1.3's example key and accept value.
        let handshake = RFC6455.Handshake(key: "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(RFC6455.Handshake.acceptValue(forKey: handshake.key) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let request = String(decoding: handshake.request(target: "/chat?x=1", authority: "h:1", userAgent: "ua"), as: UTF8.self)
        #expect(request.hasPrefix("GET /chat?x=1 HTTP/1.1\r\nHost: h:1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"))
        #expect(request.contains("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"))
        #expect(request.hasSuffix("\r\n\r\n"))

        let good =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        try handshake.check(responseHead: good)
        for bad in [
            good.replacingOccurrences(of: "s3pP", with: "AAAA"),
            good.replacingOccurrences(of: "101 Switching Protocols", with: "403 Forbidden"),
            good.replacingOccurrences(of: "Upgrade: websocket\r\n", with: ""), "garbage",
            good + "\r\nSec-WebSocket-Extensions: permessage-deflate",
        ] {
            #expect(throws: RFC6455.Handshake.Refusal.self) { try handshake.check(responseHead: bad) }
        }
    }
}
