internal import Foundation

/// A client WebSocket (RFC 6455) over a libcurl connection (``CurlStreamConnection``): TLS
/// always verified, proxies and the trust store as for HTTPS (``WebSocketConfiguration``).
///
/// A thread of its own reads the socket, answers pings, puts fragments together and yields
/// ``events`` until the server closes, the connection breaks or ``close(code:)`` is called;
/// blocking never happens on Swift's cooperative pool. Writes take the same lock as reads,
/// one libcurl call at a time.
public final class WebSocketConnection: Sendable {
    /// What the socket delivers.
    public enum Event: Sendable, Equatable {
        /// A text message.
        case text(String)
        /// A binary message.
        case binary([UInt8])
        /// The end: the server's close code (1005 when it gave none, 1006 when the connection
        /// broke without a close frame), or the failure that ended it.
        case closed(code: UInt16, failure: WebSocketError?)
    }

    /// 1006: closed without a close frame (never sent on the wire).
    public static let abnormalClosure: UInt16 = 1006

    /// The messages, then one ``Event/closed(code:failure:)``.
    public let events: AsyncStream<Event>
    /// The URL without its query.
    public let displayURL: String
    private let continuation: AsyncStream<Event>.Continuation
    private let stream: CurlStreamConnection
    private let stop = CurlCancellation()
    private let closeSent = Locked(false)

    private init(stream: CurlStreamConnection, displayURL: String) {
        self.stream = stream
        self.displayURL = displayURL
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
    }

    /// Opens a WebSocket: connects, sends the opening handshake and checks the answer.
    ///
    /// - Parameters:
    ///   - url: a `ws://` or `wss://` URL; its query is never logged or quoted.
    ///   - configuration: trust store, proxies, limits.
    ///   - clock: what times the handshake (tests inject one).
    ///   - handshakeTimeout: seconds allowed for connecting and the handshake.
    /// - Returns: the open connection, its reader running.
    /// - Throws: ``WebSocketError``.
    public static func open(
        url: String, configuration: WebSocketConfiguration, clock: any AWSClock, handshakeTimeout: Double
    ) async throws(WebSocketError) -> WebSocketConnection {
        guard let parts = URLParts(url) else {
            throw WebSocketError(.invalidURL, url: URLParts.withoutQuery(url))
        }
        let handshake: RFC6455.Handshake
        do {
            handshake = try RFC6455.Handshake.random()
        } catch {
            throw WebSocketError(.random(error), url: parts.display)
        }
        let settings = CurlEasyHandle.TransferSettings(
            timeouts: HTTPTimeouts(connect: configuration.connectTimeout, total: configuration.connectTimeout),
            caBundle: configuration.caBundle,
            proxy: configuration.proxies.proxy(scheme: parts.httpScheme, host: CurlTransport.host(of: parts.authority)),
            maxResponseBodyBytes: 0, userAgent: configuration.userAgent, offersHTTP2: false)
        let cancellation = CurlCancellation()
        let timedOut = Locked(false)
        let timer = Task {
            try? await clock.sleep(seconds: handshakeTimeout)
            guard !Task.isCancelled else { return }
            timedOut.withLock { $0 = true }
            cancellation.cancel()
        }
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Result<(CurlStreamConnection, [UInt8]), WebSocketError>, Never>) in
                let thread = Thread {
                    done.resume(
                        returning: connect(
                            parts: parts, handshake: handshake, settings: settings, configuration: configuration,
                            cancellation: cancellation))
                }
                thread.name = "chatctl-websocket-open"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        switch result {
        case .success(let (stream, leftover)):
            let connection = WebSocketConnection(stream: stream, displayURL: parts.display)
            connection.startReading(leftover: leftover, maxMessageBytes: configuration.maxMessageBytes)
            return connection
        case .failure(let error):
            if timedOut.withLock({ $0 }) { throw WebSocketError(.timeout, url: parts.display) }
            if Task.isCancelled { throw WebSocketError(.cancelled, url: parts.display) }
            throw error
        }
    }

    /// Sends a text message (one masked frame).
    ///
    /// - Throws: ``WebSocketError`` when the connection is closed or the write fails.
    public func send(text: String) throws(WebSocketError) {
        try write(.text(text))
    }

    /// Starts the closing handshake with `code` (once) and stops reading: ``events`` ends
    /// with `closed(code:failure:)` carrying `code`.
    public func close(code: UInt16 = RFC6455.CloseCode.normal) {
        let first = closeSent.withLock { sent in
            defer { sent = true }
            return !sent
        }
        guard first else { return }
        try? writeFrame(RFC6455.Frame.close(code: code))
        stop.cancel()
        stream.close()
    }

    // MARK: - Internals

    private func write(_ frame: RFC6455.Frame) throws(WebSocketError) {
        guard !closeSent.withLock({ $0 }) else { throw WebSocketError(.closed, url: displayURL) }
        try writeFrame(frame)
    }

    private func writeFrame(_ frame: RFC6455.Frame) throws(WebSocketError) {
        let mask: [UInt8]
        do {
            mask = try SecureRandom.bytes(count: 4)
        } catch {
            throw WebSocketError(.random(error), url: displayURL)
        }
        do {
            try stream.write(frame.encoded(maskingKey: mask), cancellation: stop)
        } catch {
            throw WebSocketError(.transport(error), url: displayURL)
        }
    }

    private func startReading(leftover: [UInt8], maxMessageBytes: Int) {
        let thread = Thread { [self] in
            let ending = readLoop(leftover: leftover, maxMessageBytes: maxMessageBytes)
            continuation.yield(.closed(code: ending.code, failure: ending.failure))
            continuation.finish()
        }
        thread.name = "chatctl-websocket"
        thread.start()
    }

    /// Reads until the end; returns the close code and any failure.
    private func readLoop(leftover: [UInt8], maxMessageBytes: Int) -> (code: UInt16, failure: WebSocketError?) {
        var decoder = RFC6455.FrameDecoder(maxPayloadBytes: maxMessageBytes)
        var assembler = RFC6455.MessageAssembler(maxMessageBytes: maxMessageBytes)
        decoder.append(leftover)
        while true {
            do {
                while let frame = try decoder.nextFrame() {
                    guard let event = try assembler.take(frame) else { continue }
                    switch event {
                    case .text(let text): continuation.yield(.text(text))
                    case .binary(let bytes): continuation.yield(.binary(bytes))
                    case .ping(let payload): try? writeFrame(RFC6455.Frame(opcode: .pong, payload: payload))
                    case .pong: break
                    case .close(let code, _):
                        close(code: code == RFC6455.CloseCode.noStatus ? RFC6455.CloseCode.normal : code)
                        return (code, nil)
                    }
                }
            } catch {
                close(code: error.closeCode)
                return (error.closeCode, WebSocketError(.protocolViolation(error), url: displayURL))
            }
            if stop.isCancelled {
                return (closeSent.withLock { $0 } ? RFC6455.CloseCode.normal : Self.abnormalClosure, nil)
            }
            do {
                switch try stream.read() {
                case .bytes(let bytes): decoder.append(bytes)
                case .idle: continue
                case .closed:
                    if stop.isCancelled { continue }
                    return (Self.abnormalClosure, WebSocketError(.closed, url: displayURL))
                }
            } catch {
                if stop.isCancelled { continue }
                return (Self.abnormalClosure, WebSocketError(.transport(error), url: displayURL))
            }
        }
    }

    /// Connects and runs the handshake on the calling (non-pool) thread; returns the stream
    /// and the bytes that came after the answer's head (the first frames, if any).
    private static func connect(
        parts: URLParts, handshake: RFC6455.Handshake, settings: CurlEasyHandle.TransferSettings,
        configuration: WebSocketConfiguration, cancellation: CurlCancellation
    ) -> Result<(CurlStreamConnection, [UInt8]), WebSocketError> {
        func failure(_ kind: WebSocketError.Kind) -> Result<(CurlStreamConnection, [UInt8]), WebSocketError> {
            .failure(WebSocketError(kind, url: parts.display))
        }
        let stream: CurlStreamConnection
        do {
            stream = try CurlStreamConnection(
                url: "\(parts.httpScheme)://\(parts.authority)\(parts.target)", displayURL: parts.display,
                settings: settings, cancellation: cancellation)
            try stream.write(
                handshake.request(target: parts.target, authority: parts.authority, userAgent: configuration.userAgent),
                cancellation: cancellation)
        } catch {
            return failure(.transport(error))
        }
        var received: [UInt8] = []
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = received.firstRange(of: end) {
                let head = String(decoding: received[..<range.lowerBound], as: UTF8.self)
                do {
                    try handshake.check(responseHead: head)
                } catch {
                    return failure(.handshake(error))
                }
                return .success((stream, Array(received[range.upperBound...])))
            }
            guard received.count <= RFC6455.Handshake.maxResponseHeadBytes else {
                return failure(.handshake(.init(status: nil, detail: "the answer's head is over 16 KiB")))
            }
            guard !cancellation.isCancelled else { return failure(.cancelled) }
            do {
                switch try stream.read() {
                case .bytes(let bytes): received += bytes
                case .idle: continue
                case .closed:
                    return failure(.handshake(.init(status: nil, detail: "the server closed the connection without answering")))
                }
            } catch {
                return failure(.transport(error))
            }
        }
    }

    /// A `ws(s)://authority/path?query` URL taken apart.
    struct URLParts {
        /// `http` for `ws`, `https` for `wss`.
        var httpScheme: String
        var authority: String
        /// The path and query, `/` at least.
        var target: String
        /// `ws(s)://authority/path`, without the query.
        var display: String

        init?(_ url: String) {
            guard let schemeEnd = url.range(of: "://") else { return nil }
            let scheme = url[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "ws" || scheme == "wss" else { return nil }
            httpScheme = scheme == "wss" ? "https" : "http"
            let rest = url[schemeEnd.upperBound...].prefix { $0 != "#" }
            let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            authority = String(rest[..<slash])
            guard !authority.isEmpty, !authority.contains("@"),
                !authority.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
                !rest.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
            else { return nil }
            var target = String(rest[slash...])
            if !target.hasPrefix("/") { target = "/" + target }
            self.target = target
            display = Self.withoutQuery(url)
        }

        /// The URL up to its query or fragment.
        static func withoutQuery(_ url: String) -> String {
            String(url.prefix { $0 != "?" && $0 != "#" })
        }
    }
}
