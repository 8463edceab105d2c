/// What libcurl's callbacks collect during one transfer: the response header lines and the
/// body, with the body capped. The callbacks reach it through `Unmanaged` (see
/// ``CurlEasyHandle``); it is used by the one thread running `curl_easy_perform`, then read
/// by that same thread, so it needs no lock.
final class CurlTransferContext {
    /// The most body bytes accepted; more aborts the transfer.
    let bodyLimit: Int
    /// Set by the caller's task when it is cancelled; read by the progress callback.
    let cancellation: CurlCancellation
    /// The header fields of the last response block (after the last status line).
    private(set) var headers = HTTPHeaders()
    /// The body bytes received so far.
    private(set) var body: [UInt8] = []
    /// Whether the body went over ``bodyLimit`` and the transfer was aborted for it.
    private(set) var bodyLimitExceeded = false

    init(bodyLimit: Int, cancellation: CurlCancellation) {
        self.bodyLimit = bodyLimit
        self.cancellation = cancellation
    }

    /// Takes one header line as libcurl delivers it (with its CR LF): a status line starts a
    /// new block (after `100 Continue`, for example), a line starting with a space or tab
    /// continues the previous field (obs-fold), the empty line ends the block.
    func receiveHeaderLine(_ bytes: some Collection<UInt8>) {
        var line = String(decoding: bytes, as: UTF8.self)
        while line.hasSuffix("\n") || line.hasSuffix("\r") {
            line.removeLast()
        }
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            return
        }
        guard !line.isEmpty else { return }
        if line.first == " " || line.first == "\t" {
            guard let last = headers.fields.last else { return }
            var fields = headers.fields
            fields[fields.count - 1] = HTTPHeader(
                name: last.name, value: last.value + " " + line.trimmingASCIIWhitespace())
            headers = HTTPHeaders(fields)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingASCIIWhitespace()
        let value = String(line[line.index(after: colon)...]).trimmingASCIIWhitespace()
        guard !name.isEmpty else { return }
        headers.add(name: name, value: value)
    }

    /// Takes body bytes.
    ///
    /// - Returns: `false` when the body would exceed ``bodyLimit`` (the bytes are not kept).
    func receiveBody(_ bytes: some Collection<UInt8>) -> Bool {
        guard body.count + bytes.count <= bodyLimit else {
            bodyLimitExceeded = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }
}

/// A flag set when the task waiting for a transfer is cancelled, read by the thread running
/// the transfer.
final class CurlCancellation: Sendable {
    private let flag = Locked(false)

    /// Marks the transfer as cancelled; libcurl aborts it at its next progress callback.
    func cancel() {
        flag.withLock { $0 = true }
    }

    /// Whether ``cancel()`` was called.
    var isCancelled: Bool {
        flag.withLock { $0 }
    }
}
