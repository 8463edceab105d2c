import FlyingSocks

/// Reads one connection's bytes through one buffer, in whole socket reads, and finds the
/// end of a request head by scanning each byte once: the work per request is linear in its
/// size, and every read stops at a limit (FlyingFox 0.27 rebuilt a string per byte, so one
/// 256 KB header line cost 29 s of CPU).
struct HTTPConnectionReader {
    let socket: AsyncSocket
    private var buffer: [UInt8] = []
    /// The first byte not yet consumed.
    private var start = 0

    init(socket: AsyncSocket) {
        self.socket = socket
    }

    /// Bytes received and not yet consumed.
    var bufferedCount: Int {
        buffer.count - start
    }

    /// Waits until a byte is buffered.
    ///
    /// - Returns: `false` when the peer closed the connection first.
    mutating func waitForData() async throws -> Bool {
        while bufferedCount == 0 {
            guard try await fill() else { return false }
        }
        return true
    }

    /// The request head, from the request line through the last header line, without the
    /// blank line that ends it (consumed). Empty lines before the request line are skipped
    /// (RFC 9112 section 2.2).
    ///
    /// - Parameter limit: the most bytes the head may take; the request line alone more
    ///   than that is ``HTTPProtocolError/requestLineTooLong(limit:)``.
    mutating func readHead(limit: Int) async throws -> [UInt8] {
        var lineStart = 0  // offsets from `start`, which compaction keeps valid
        var scanned = 0
        while true {
            while start + scanned < buffer.count {
                let index = start + scanned
                scanned += 1
                guard buffer[index] == 0x0A else { continue }
                let lineLength = index - (start + lineStart)
                let isEmpty = lineLength == 0 || (lineLength == 1 && buffer[index - 1] == 0x0D)
                if isEmpty && lineStart == 0 {
                    start = index + 1  // an empty line before the request line
                    scanned = 0
                    continue
                }
                if isEmpty {
                    guard lineStart <= limit else { throw HTTPProtocolError.headerTooLarge(limit: limit) }
                    let head = Array(buffer[start..<(start + lineStart)])
                    start = index + 1
                    return head
                }
                if lineStart == 0, scanned > limit {
                    throw HTTPProtocolError.requestLineTooLong(limit: limit)
                }
                lineStart = scanned
            }
            if scanned > limit {
                throw lineStart == 0 ? HTTPProtocolError.requestLineTooLong(limit: limit) : .headerTooLarge(limit: limit)
            }
            guard try await fill() else { throw HTTPProtocolError.closedEarly }
        }
    }

    /// One line (a chunk size or a trailer field), without its line end.
    ///
    /// - Parameter limit: the most bytes the line may take.
    mutating func readLine(limit: Int) async throws -> [UInt8] {
        var scanned = 0
        while true {
            while start + scanned < buffer.count {
                let index = start + scanned
                scanned += 1
                if buffer[index] == 0x0A {
                    var end = index
                    if end > start, buffer[end - 1] == 0x0D {
                        end -= 1
                    }
                    let line = Array(buffer[start..<end])
                    start = index + 1
                    return line
                }
            }
            if scanned > limit {
                throw HTTPProtocolError.malformedChunked("a line is longer than \(limit) bytes")
            }
            guard try await fill() else { throw HTTPProtocolError.closedEarly }
        }
    }

    /// Exactly `count` bytes.
    mutating func read(count: Int) async throws -> [UInt8] {
        while bufferedCount < count {
            guard try await fill() else { throw HTTPProtocolError.closedEarly }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// Drops what is buffered, then waits for more bytes and drops them too.
    ///
    /// - Returns: how many bytes were dropped; 0 when the peer closed the connection.
    mutating func discardAvailable() async throws -> Int {
        let buffered = bufferedCount
        buffer.removeAll(keepingCapacity: true)
        start = 0
        guard try await fill() else { return buffered }
        return buffered + bufferedCount
    }

    /// Reads more bytes into the buffer.
    ///
    /// - Returns: `false` at the end of the stream.
    private mutating func fill() async throws -> Bool {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 1 << 16 {
            buffer.removeFirst(start)
            start = 0
        }
        do {
            let bytes = try await socket.read(atMost: 1 << 16)
            guard !bytes.isEmpty else { return false }
            buffer.append(contentsOf: bytes)
            return true
        } catch SocketError.disconnected {
            return false
        }
    }
}
