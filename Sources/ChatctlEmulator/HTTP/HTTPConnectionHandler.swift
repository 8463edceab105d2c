import ChatctlAWS
import FlyingSocks
import Foundation

/// Serves one TCP connection: reads requests one after the other (keep-alive), each within
/// the configured limits and time, hands them to the ``EmulatorCore`` and carries out its
/// ``EmulatorReply`` — an answer, a closed connection, garbage, or a WebSocket.
struct HTTPConnectionHandler: Sendable {
    let socket: AsyncSocket
    let core: EmulatorCore
    let limits: EmulatorConfiguration
    let requestLog: (@Sendable (EmulatorRequestRecord) -> Void)?
    /// When the current wait must be over; the ``ConnectionWatchdog`` closes the connection then.
    let deadline: ConnectionWatchdog

    /// Serves requests until the client closes, a reply closes, or an error or timeout ends
    /// the connection.
    func serve() async {
        var reader = HTTPConnectionReader(socket: socket)
        do {
            while !Task.isCancelled {
                deadline.arm(seconds: limits.idleTimeout)
                guard try await reader.waitForData() else { return }
                deadline.arm(seconds: limits.requestTimeout)
                guard try await serveOne(&reader) else { return }
            }
        } catch let error as HTTPProtocolError {
            await refuse(error)
            await linger(&reader)
        } catch {
            if deadline.expired {
                core.statistics.recordRefused(HTTPProtocolError.timedOut.statisticsReason)
            }
        }
    }

    /// Reads, handles and answers one request.
    ///
    /// - Returns: whether the connection stays open for another.
    private func serveOne(_ reader: inout HTTPConnectionReader) async throws -> Bool {
        let started = ContinuousClock.now
        let head = try HTTPRequestHead.parse(try await reader.readHead(limit: limits.maxHeaderBytes))
        let framing = try head.bodyFraming()
        let body: [UInt8]
        switch framing {
        case .length(let length) where length > limits.maxBodyBytes:
            try await write(HTTPResponseEncoder.encode(core.tooLargeResponse(), closing: true, http10KeepAlive: false, headOnly: false))
            log(head, status: 413, errorType: "RequestEntityTooLargeException", since: started)
            await linger(&reader)
            return false
        case .length(let length):
            if head.expectsContinue, reader.bufferedCount < length {
                try await write(HTTPResponseEncoder.continueLine)
            }
            body = try await reader.read(count: length)
        case .chunked:
            if head.expectsContinue, reader.bufferedCount == 0 {
                try await write(HTTPResponseEncoder.continueLine)
            }
            do {
                body = try await ChunkedBodyDecoder.read(from: &reader, limit: limits.maxBodyBytes, trailerLimit: limits.maxHeaderBytes)
            } catch HTTPProtocolError.bodyTooLarge {
                try await write(HTTPResponseEncoder.encode(core.tooLargeResponse(), closing: true, http10KeepAlive: false, headOnly: false))
                log(head, status: 413, errorType: "RequestEntityTooLargeException", since: started)
                await linger(&reader)
                return false
            }
        }
        deadline.disarm()
        let request = EmulatorCore.request(method: head.method, target: head.target, headers: head.headers, body: body)
        let reply = await core.handleCounted(request)
        deadline.arm(seconds: limits.requestTimeout)
        switch reply {
        case .answer(let response):
            let closing = !head.keepsAlive || response.headers["connection"]?.lowercased() == "close"
            try await write(
                HTTPResponseEncoder.encode(
                    response, closing: closing, http10KeepAlive: head.minorVersion == 0 && !closing,
                    headOnly: head.method == "HEAD"))
            log(head, status: response.status, errorType: response.headers["x-amzn-errortype"], since: started)
            return !closing
        case .dropConnection:
            log(head, status: nil, errorType: nil, since: started)
            return false
        case .garbage(let bytes):
            try await write(Data(bytes))
            log(head, status: nil, errorType: nil, since: started)
            return false
        case .webSocket(let accept, let session):
            try await write(HTTPResponseEncoder.switchingProtocols(accept: accept))
            log(head, status: 101, errorType: nil, since: started)
            deadline.disarm()
            await runWebSocket(session, reader: reader)
            return false
        }
    }

    /// Runs a WebSocket session until it ends and the close frame is written.
    private func runWebSocket(_ session: WebSocketSession, reader: HTTPConnectionReader) async {
        let watchdog = deadline
        let timeout = limits.requestTimeout
        let channel = SocketWebSocketChannel { watchdog.arm(seconds: timeout) }
        let messageLimit = limits.maxBodyBytes
        enum Part { case reader, writer, session }
        await withTaskGroup(of: Part.self) { group in
            group.addTask {
                for await frame in channel.outboundFrames {
                    guard (try? await socket.write(Data(frame))) != nil else { break }
                }
                return .writer
            }
            group.addTask {
                var reader = reader
                await channel.readFrames(from: &reader, messageLimit: messageLimit)
                return .reader
            }
            group.addTask {
                await session.run(channel)
                channel.startClosing(code: 1000)
                return .session
            }
            for await part in group where part == .writer {
                group.cancelAll()
            }
        }
    }

    /// After answering a request whose rest was not read, reads and discards what the client
    /// still sends — until it closes, for at most a second and ``lingerLimit`` bytes — before
    /// the connection is closed. Closing with unread bytes makes the kernel send a reset,
    /// which can destroy the answer before the client reads it (RFC 9112 section 9.6).
    private func linger(_ reader: inout HTTPConnectionReader) async {
        deadline.arm(seconds: min(1, limits.requestTimeout))
        var discarded = 0
        while discarded < Self.lingerLimit, !Task.isCancelled {
            guard let bytes = try? await reader.discardAvailable(), bytes > 0 else { return }
            discarded += bytes
        }
    }

    /// The most bytes ``linger(_:)`` reads: 4 MiB.
    static let lingerLimit = 4 << 20

    private func write(_ data: Data) async throws {
        try await socket.write(data)
    }

    /// Answers a request that could not be read (when an answer makes sense) and counts it.
    private func refuse(_ error: HTTPProtocolError) async {
        core.statistics.recordRefused(error.statisticsReason)
        guard let status = error.status else { return }
        let response = error == .bodyTooLarge ? core.tooLargeResponse() : core.protocolErrorResponse(status: status, message: error.message)
        try? await write(HTTPResponseEncoder.encode(response, closing: true, http10KeepAlive: false, headOnly: false))
    }

    private func log(_ head: HTTPRequestHead, status: Int?, errorType: String?, since started: ContinuousClock.Instant) {
        guard let requestLog else { return }
        let elapsed = started.duration(to: .now)
        let path = head.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        requestLog(
            EmulatorRequestRecord(
                method: head.method, path: path.isEmpty ? "/" : path, status: status, errorType: errorType,
                milliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))
    }
}

