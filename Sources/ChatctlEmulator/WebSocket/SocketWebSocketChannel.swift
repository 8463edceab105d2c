import ChatctlAWS
import Foundation

/// A WebSocket over an upgraded connection: the reader side turns client frames into
/// ``messages`` (answering pings, assembling fragments, echoing the close), the writer side
/// sends queued frames in order. At most ``outboundLimit`` frames wait for a client that
/// does not read; past that, ``send(text:)`` throws and the session ends.
final class SocketWebSocketChannel: WebSocketChannel {
    static let outboundLimit = 1024

    let messages: AsyncStream<WebSocketMessage>
    /// The encoded frames to write, in order; finishes after the close frame.
    let outboundFrames: AsyncStream<[UInt8]>
    private let inbound: AsyncStream<WebSocketMessage>.Continuation
    private let outbound: AsyncStream<[UInt8]>.Continuation
    private let closed = Locked(false)
    /// Called once, when the closing handshake starts (the server bounds how long it takes).
    private let onClosing: @Sendable () -> Void

    init(onClosing: @escaping @Sendable () -> Void) {
        (messages, inbound) = AsyncStream.makeStream(of: WebSocketMessage.self, bufferingPolicy: .bufferingOldest(1024))
        (outboundFrames, outbound) = AsyncStream.makeStream(
            of: [UInt8].self, bufferingPolicy: .bufferingOldest(Self.outboundLimit))
        self.onClosing = onClosing
    }

    struct Closed: Error {}

    func send(text: String) async throws {
        try enqueue(WebSocketFrame(fin: true, opcode: .text, payload: Array(text.utf8)))
    }

    func close(code: UInt16) async {
        startClosing(code: code)
    }

    /// Queues a frame unless the channel is closing.
    func enqueue(_ frame: WebSocketFrame) throws {
        try closed.withLock { closed in
            guard !closed, case .enqueued = outbound.yield(frame.encoded()) else {
                throw Closed()
            }
        }
    }

    /// Queues the close frame (once) and ends the outbound queue after it.
    func startClosing(code: UInt16) {
        let first = closed.withLock { closed in
            guard !closed else { return false }
            closed = true
            outbound.yield(WebSocketFrame.close(code).encoded())
            outbound.finish()
            return true
        }
        if first {
            onClosing()
        }
        inbound.finish()
    }

    /// Reads client frames until the client closes, the connection ends or a frame breaks
    /// the protocol; then starts the closing handshake.
    func readFrames(from reader: inout HTTPConnectionReader, messageLimit: Int) async {
        var fragments: (opcode: WebSocketFrame.Opcode, payload: [UInt8])?
        do {
            while true {
                let frame = try await WebSocketFrame.read(from: &reader, limit: messageLimit)
                switch frame.opcode {
                case .ping:
                    try? enqueue(WebSocketFrame(fin: true, opcode: .pong, payload: frame.payload))
                case .pong:
                    break
                case .close:
                    let code = frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : 1000
                    startClosing(code: code)
                    return
                case .text, .binary:
                    guard fragments == nil else { throw WebSocketFrame.Violation(code: 1002) }
                    fragments = (frame.opcode, frame.payload)
                case .continuation:
                    guard fragments != nil else { throw WebSocketFrame.Violation(code: 1002) }
                    fragments?.payload += frame.payload
                }
                // Only a data frame completes a message: a ping or pong (always final) may
                // come between the fragments of one (RFC 6455 section 5.4).
                let isData = frame.opcode == .text || frame.opcode == .binary || frame.opcode == .continuation
                if frame.fin, isData, let (opcode, payload) = fragments {
                    fragments = nil
                    guard payload.count <= messageLimit else { throw WebSocketFrame.Violation(code: 1009) }
                    if opcode == .text {
                        guard let text = String(bytes: payload, encoding: .utf8) else {
                            throw WebSocketFrame.Violation(code: 1007)
                        }
                        inbound.yield(.text(text))
                    } else {
                        inbound.yield(.binary(payload))
                    }
                } else if let current = fragments, current.payload.count > messageLimit {
                    throw WebSocketFrame.Violation(code: 1009)
                }
            }
        } catch let violation as WebSocketFrame.Violation {
            startClosing(code: violation.code)
        } catch {
            startClosing(code: 1001)  // the connection ended without a close frame ("going away")
        }
    }
}
