internal import CLibCurl
internal import Foundation

/// Owns one libcurl easy handle (`CURL *`) and runs transfers on it; frees it in `deinit`.
///
/// A handle keeps its connection cache across transfers (`curl_easy_reset` clears the options
/// but not the live connections), which is how ``CurlTransport`` reuses connections: it
/// pools handles. A handle is used by one thread at a time — the pool hands it to exactly
/// one transfer — which is why it is `@unchecked Sendable`.
///
/// Everything C-shaped stays in here: the handle, the error buffer, the header list, the
/// callbacks (which reach their ``CurlTransferContext`` through `Unmanaged`) and `CURLcode`s,
/// which become ``CurlError`` / ``TransportError`` before they leave.
final class CurlEasyHandle: @unchecked Sendable {
    /// How one transfer is made, besides the request itself.
    struct TransferSettings: Sendable, Equatable {
        /// Connect and total time limits.
        var timeouts: HTTPTimeouts
        /// A PEM CA bundle that replaces the system's (`AWS_CA_BUNDLE`), or `nil`.
        var caBundle: String?
        /// The proxy URL for this request, or `nil` to connect directly.
        var proxy: String?
        /// The most response body bytes accepted.
        var maxResponseBodyBytes: Int
        /// The `User-Agent` sent when the request has none.
        var userAgent: String
        /// Whether to offer HTTP/2 on TLS connections.
        var offersHTTP2: Bool
    }

    /// `curl_global_init` runs once per process, the first time a handle is made; Swift
    /// initialises a static `let` exactly once, thread-safely. libcrypto is initialised first,
    /// so that libcurl's TLS does not initialise it with an `atexit` cleanup
    /// (``LibCrypto/initialize()``).
    private static let globalInitResult: CURLcode = {
        LibCrypto.initialize()
        return chatctl_curl_global_init_default()
    }()

    /// The libcurl version text, for example `libcurl/7.88.1 OpenSSL/3.0.11 zlib/1.2.13`.
    static var versionText: String {
        _ = globalInitResult
        return curl_version().map { String(cString: $0) } ?? "libcurl"
    }

    fileprivate let handle: UnsafeMutableRawPointer
    fileprivate let errorBuffer: UnsafeMutablePointer<CChar>
    private let errorBufferSize = Int(CURL_ERROR_SIZE)

    /// Makes a new easy handle.
    ///
    /// - Throws: ``CurlError`` when libcurl cannot be initialised.
    init() throws(CurlError) {
        let initResult = Self.globalInitResult
        guard initResult == CURLE_OK else {
            throw CurlError(code: initResult, errorBuffer: nil)
        }
        guard let handle = curl_easy_init() else {
            throw CurlError(code: CURLE_FAILED_INIT, errorBuffer: "curl_easy_init returned no handle")
        }
        self.handle = handle
        self.errorBuffer = .allocate(capacity: errorBufferSize)
        self.errorBuffer.initialize(repeating: 0, count: errorBufferSize)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deinitialize(count: errorBufferSize)
        errorBuffer.deallocate()
    }

    /// Sends `request` and waits for the whole response. Blocks the calling thread: call it
    /// off Swift's cooperative pool.
    ///
    /// - Parameters:
    ///   - request: the request; its headers are sent as they are (a `Host` field replaces
    ///     libcurl's own).
    ///   - settings: time limits, TLS, proxy, limits.
    ///   - cancellation: aborts the transfer when set.
    /// - Returns: the response, or the failure as a ``TransportError``.
    func perform(
        _ request: HTTPRequest, settings: TransferSettings, cancellation: CurlCancellation
    ) -> Result<HTTPResponse, TransportError> {
        let url = CurlTransport.displayURL(of: request)
        guard !cancellation.isCancelled else {
            var error = CurlTransport.cancelledError(url: url)
            error.requestMayHaveBeenSent = false
            return .failure(error)
        }
        let context = CurlTransferContext(bodyLimit: settings.maxResponseBodyBytes, cancellation: cancellation)
        let retainedContext = Unmanaged.passRetained(context)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            // Reset first, so the handle holds no pointer to the list or the context, then
            // free them. The connection cache survives the reset.
            curl_easy_reset(handle)
            curl_slist_free_all(headerList)
            retainedContext.release()
        }
        errorBuffer[0] = 0

        do throws(CurlError) {
            headerList = try Self.headerList(for: request)
            try configure(
                request, settings: settings, headerList: headerList, context: retainedContext.toOpaque())
        } catch {
            var failure = error.transportError(url: url)
            failure.requestMayHaveBeenSent = false
            return .failure(failure)
        }

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            if context.bodyLimitExceeded || code == CURLE_FILESIZE_EXCEEDED {
                return .failure(
                    TransportError(
                        kind: .other,
                        message: "the response body is larger than the limit of \(settings.maxResponseBodyBytes) bytes",
                        url: url))
            }
            // CURLINFO_REQUEST_SIZE counts the request bytes written to the connection: 0
            // means none left, whatever the code says.
            var requestBytes = 0
            let sent = chatctl_curl_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestBytes) != CURLE_OK
                || requestBytes > 0
            if code == CURLE_ABORTED_BY_CALLBACK, cancellation.isCancelled {
                var error = CurlTransport.cancelledError(url: url)
                error.requestMayHaveBeenSent = sent
                return .failure(error)
            }
            var error = CurlError(
                code: code, errorBuffer: String(cString: errorBuffer), throughProxy: settings.proxy != nil)
            if code == CURLE_UNSUPPORTED_PROTOCOL, sent {
                // The scheme was checked before sending, so after the request left this is
                // libcurl refusing an HTTP/0.9 answer (a bare body without a status line).
                error.kind = .invalidResponse
            }
            var failure = error.transportError(url: url)
            failure.requestMayHaveBeenSent = sent || !CurlError.failsBeforeSending(code)
            return .failure(failure)
        }
        var status = 0
        let infoCode = chatctl_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard infoCode == CURLE_OK, status > 0 else {
            return .failure(
                TransportError(kind: .reset, message: "no HTTP status was received", url: url))
        }
        return .success(HTTPResponse(status: status, headers: context.headers, body: context.body))
    }

    // MARK: - Options

    /// Sets every option of one transfer. The handle was reset after its last transfer, so
    /// everything not set here has libcurl's default.
    private func configure(
        _ request: HTTPRequest, settings: TransferSettings, headerList: UnsafeMutablePointer<curl_slist>?,
        context: UnsafeMutableRawPointer
    ) throws(CurlError) {
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, string: request.urlString)
        // Threads: never use signals (SIGALRM for DNS timeouts), as libcurl requires in
        // multi-threaded programs.
        try set(CURLOPT_NOSIGNAL, long: 1)
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_FOLLOWLOCATION, long: 0)
        // Send the path exactly as signed; libcurl would otherwise squash `/../` and `/./`.
        try set(CURLOPT_PATH_AS_IS, long: 1)
        try set(
            CURLOPT_HTTP_VERSION,
            long: settings.offersHTTP2 ? Int(CURL_HTTP_VERSION_2TLS) : Int(CURL_HTTP_VERSION_1_1))
        try setConnection(settings)

        try setMethodAndBody(request)
        try set(CURLOPT_HTTPHEADER, list: headerList)
        if !request.headers.contains(name: "user-agent") {
            try set(CURLOPT_USERAGENT, string: settings.userAgent)
        }

        try check(chatctl_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, Self.headerCallback))
        try set(CURLOPT_HEADERDATA, pointer: context)
        try check(chatctl_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, Self.writeCallback))
        try set(CURLOPT_WRITEDATA, pointer: context)
        try check(chatctl_curl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, settings.maxResponseBodyBytes))
        try set(CURLOPT_NOPROGRESS, long: 0)
        try check(chatctl_curl_setopt_xferinfo_callback(handle, CURLOPT_XFERINFOFUNCTION, Self.progressCallback))
        try set(CURLOPT_XFERINFODATA, pointer: context)
    }

    /// The options of the connection itself, the same for every transfer: time limits, TLS
    /// verification (always on; only the trust store can change) and the proxy.
    fileprivate func setConnection(_ settings: TransferSettings) throws(CurlError) {
        try set(CURLOPT_CONNECTTIMEOUT_MS, long: Self.milliseconds(settings.timeouts.connect))
        try set(CURLOPT_TIMEOUT_MS, long: Self.milliseconds(settings.timeouts.total))
        try set(CURLOPT_TCP_KEEPALIVE, long: 1)

        try set(CURLOPT_SSL_VERIFYPEER, long: 1)
        try set(CURLOPT_SSL_VERIFYHOST, long: 2)
        try set(CURLOPT_PROXY_SSL_VERIFYPEER, long: 1)
        try set(CURLOPT_PROXY_SSL_VERIFYHOST, long: 2)
        if let caBundle = settings.caBundle {
            try set(CURLOPT_CAINFO, string: caBundle)
        }

        // The proxy was chosen from the injected environment (ProxySettings). An empty
        // CURLOPT_PROXY and CURLOPT_NOPROXY stop libcurl reading the process environment.
        try set(CURLOPT_PROXY, string: settings.proxy ?? "")
        try set(CURLOPT_NOPROXY, string: "")
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, long: 1)
    }

    /// The method and body. A body (or a method that usually has one) goes through
    /// `CURLOPT_COPYPOSTFIELDS`, which copies it, with `CURLOPT_CUSTOMREQUEST` for methods
    /// other than POST.
    private func setMethodAndBody(_ request: HTTPRequest) throws(CurlError) {
        let method = request.method.uppercased()
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            try set(CURLOPT_POST, long: 1)
            try check(chatctl_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, request.body.count))
            if request.body.isEmpty {
                try set(CURLOPT_COPYPOSTFIELDS, string: "")
            } else {
                let code = request.body.withUnsafeBytes { bytes in
                    bytes.baseAddress.map {
                        chatctl_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0))
                    } ?? CURLE_BAD_FUNCTION_ARGUMENT
                }
                try check(code)
            }
            if method != "POST" {
                try set(CURLOPT_CUSTOMREQUEST, string: method)
            }
        } else if method == "GET" {
            try set(CURLOPT_HTTPGET, long: 1)
        } else if method == "HEAD" {
            try set(CURLOPT_NOBODY, long: 1)
        } else {
            try set(CURLOPT_CUSTOMREQUEST, string: method)
        }
    }

    /// The request's header fields as a `curl_slist`, plus empty `Accept:`, `Expect:` and
    /// (for bodies) `Content-Type:` entries that stop libcurl adding fields of its own that
    /// the request did not ask for. An empty value is written `Name;`, libcurl's spelling.
    private static func headerList(for request: HTTPRequest) throws(CurlError) -> UnsafeMutablePointer<curl_slist>? {
        var lines = request.headers.map { field in
            field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
        }
        for name in ["Accept", "Expect"] where !request.headers.contains(name: name) {
            lines.append("\(name):")
        }
        let method = request.method.uppercased()
        let sendsBody = !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method)
        if sendsBody, !request.headers.contains(name: "content-type") {
            lines.append("Content-Type:")
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw CurlError(code: CURLE_OUT_OF_MEMORY, errorBuffer: "could not build the header list")
            }
            list = appended
        }
        return list
    }

    // MARK: - Callbacks

    /// `CURLOPT_HEADERFUNCTION`: one header line per call.
    private static let headerCallback: chatctl_curl_data_callback = { buffer, size, count, userdata in
        let length = size * count
        guard let userdata else { return 0 }
        let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata).takeUnretainedValue()
        if let buffer {
            context.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
        }
        return length
    }

    /// `CURLOPT_WRITEFUNCTION`: body bytes; returning less than given aborts (the size cap).
    private static let writeCallback: chatctl_curl_data_callback = { buffer, size, count, userdata in
        let length = size * count
        guard let userdata else { return 0 }
        let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata).takeUnretainedValue()
        guard let buffer else { return length }
        return context.receiveBody(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
    }

    /// `CURLOPT_XFERINFOFUNCTION`: called often during a transfer (about once a second when
    /// idle); a non-zero return aborts it with `CURLE_ABORTED_BY_CALLBACK`.
    fileprivate static let progressCallback: chatctl_curl_xferinfo_callback = { userdata, _, _, _, _ in
        guard let userdata else { return 0 }
        let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata).takeUnretainedValue()
        return context.cancellation.isCancelled ? 1 : 0
    }

    // MARK: - Typed setters

    fileprivate func set(_ option: CURLoption, long value: Int) throws(CurlError) {
        try check(chatctl_curl_setopt_long(handle, option, value))
    }

    fileprivate func set(_ option: CURLoption, string value: String) throws(CurlError) {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        try check(chatctl_curl_setopt_string(handle, option, value))
    }

    fileprivate func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(CurlError) {
        try check(chatctl_curl_setopt_pointer(handle, option, value))
    }

    private func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>?) throws(CurlError) {
        try check(chatctl_curl_setopt_slist(handle, option, value))
    }

    fileprivate func check(_ code: CURLcode) throws(CurlError) {
        guard code == CURLE_OK else {
            throw CurlError(code: code, errorBuffer: String(cString: errorBuffer))
        }
    }

    /// Seconds to whole milliseconds, at least 1 (0 would mean "no limit" to libcurl).
    fileprivate static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return max(1, Int((min(seconds, 1e9) * 1000).rounded(.up)))
    }
}

// The CURLcode side of CurlError lives with the handle, in the one file that imports
// libcurl (STYLE.md: C interop in one wrapper file per library).
extension CurlError {
    /// Converts a `CURLcode` at the C boundary.
    ///
    /// - Parameters:
    ///   - code: the failing code.
    ///   - errorBuffer: the text of `CURLOPT_ERRORBUFFER`, if any.
    ///   - throughProxy: whether the transfer was going through a proxy, so that a failure
    ///     to connect is the proxy's.
    init(code: CURLcode, errorBuffer: String?, throughProxy: Bool = false) {
        let summary = curl_easy_strerror(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)"
        let detail = errorBuffer.flatMap { text -> String? in
            let trimmed = text.trimmingASCIIWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        self.init(
            code: Int(code.rawValue), summary: summary, detail: detail,
            kind: Self.kind(of: code, throughProxy: throughProxy))
    }

    /// Converts a `CURLcode` given by number (for tests, which do not import libcurl).
    ///
    /// - Parameters:
    ///   - code: the `CURLcode` number.
    ///   - errorBuffer: the text of `CURLOPT_ERRORBUFFER`, if any.
    ///   - throughProxy: whether the transfer was going through a proxy.
    init(code: Int, errorBuffer: String?, throughProxy: Bool = false) {
        self.init(
            code: CURLcode(rawValue: UInt32(truncatingIfNeeded: code)), errorBuffer: errorBuffer,
            throughProxy: throughProxy)
    }

    /// Whether a `CURLcode` can only happen before any request byte is written: name
    /// resolution, a refused connection, the TLS handshake, the proxy handshake, or a
    /// request libcurl would not start. Every other failure may come after the request left.
    static func failsBeforeSending(_ code: CURLcode) -> Bool {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_PROXY,
            CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT,
            CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT,
            CURLE_FAILED_INIT:
            return true
        default:
            return false
        }
    }

    /// Which ``TransportError/Kind`` a `CURLcode` belongs to.
    static func kind(of code: CURLcode, throughProxy: Bool) -> TransportError.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dns
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_PROXY:
            return .proxy
        case CURLE_COULDNT_CONNECT:
            return throughProxy ? .proxy : .connect
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_HTTP3:
            return .reset
        case CURLE_WEIRD_SERVER_REPLY:
            return .invalidResponse
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT:
            return .invalidRequest
        default:
            return .other
        }
    }
}

// MARK: - A raw stream (CONNECT_ONLY), for the WebSocket

/// One connection opened by libcurl and then handed over as a byte stream: libcurl makes the
/// TCP connection, the proxy tunnel (`CONNECT`, with `HTTPPROXYTUNNEL`) and the TLS
/// handshake (verified, as every transfer), then stops (`CURLOPT_CONNECT_ONLY`); bytes go
/// through `curl_easy_send` and `curl_easy_recv`, which keep TLS in libcurl. libcurl 7.88
/// here has no WebSocket API of its own (`curl_ws_*` is not built in), so the WebSocket
/// framing is chatctl's (``RFC6455``).
///
/// The handle is used by one call at a time: a lock serialises every libcurl call, so one
/// thread may read while another writes. Waiting for the socket (`poll`) happens outside the
/// lock, in slices of at most ``pollSliceMilliseconds``, so a cancellation is seen promptly.
final class CurlStreamConnection: @unchecked Sendable {
    /// The longest single wait on the socket, in milliseconds, before cancellation is checked again.
    static let pollSliceMilliseconds: Int32 = 100

    /// What one read produced.
    enum Read: Equatable {
        /// Bytes arrived.
        case bytes([UInt8])
        /// Nothing arrived within the wait.
        case idle
        /// The peer closed the connection.
        case closed
    }

    private let easy: CurlEasyHandle
    private let context: Unmanaged<CurlTransferContext>
    private let lock = NSLock()
    private var socket: curl_socket_t = CURL_SOCKET_BAD
    private var isClosed = false
    /// The URL without its query (which may hold a token), for messages.
    let displayURL: String

    /// Connects to `url` (`http` or `https`) and stops there. Blocks the calling thread:
    /// call it off Swift's cooperative pool.
    ///
    /// - Parameters:
    ///   - url: the `http(s)://host:port/…` URL (a WebSocket `ws(s)` URL with its scheme mapped).
    ///   - displayURL: the URL to name in errors, without its query.
    ///   - settings: the connect time limit, TLS trust store, proxy and User-Agent (unused here).
    ///   - cancellation: aborts the connection attempt when set.
    /// - Throws: ``TransportError``.
    init(
        url: String, displayURL: String, settings: CurlEasyHandle.TransferSettings, cancellation: CurlCancellation
    ) throws(TransportError) {
        self.displayURL = displayURL
        do {
            easy = try CurlEasyHandle()
        } catch {
            throw error.transportError(url: displayURL)
        }
        // From here every stored property is set, so a throw runs deinit, which releases
        // the context and frees the handle: the failure paths below must not release it again.
        context = Unmanaged.passRetained(CurlTransferContext(bodyLimit: 0, cancellation: cancellation))
        do throws(CurlError) {
            try easy.configureConnectOnly(url: url, settings: settings, context: context.toOpaque())
        } catch {
            var failure = error.transportError(url: displayURL)
            failure.requestMayHaveBeenSent = false
            throw failure
        }
        let code = curl_easy_perform(easy.handle)
        guard code == CURLE_OK else {
            if code == CURLE_ABORTED_BY_CALLBACK, cancellation.isCancelled {
                throw TransportError(
                    kind: .other, message: "the connection was cancelled", url: displayURL, requestMayHaveBeenSent: false)
            }
            var failure = CurlError(
                code: code, errorBuffer: String(cString: easy.errorBuffer), throughProxy: settings.proxy != nil
            ).transportError(url: displayURL)
            failure.requestMayHaveBeenSent = false
            throw failure
        }
        var active: curl_socket_t = CURL_SOCKET_BAD
        guard chatctl_curl_getinfo_socket(easy.handle, CURLINFO_ACTIVESOCKET, &active) == CURLE_OK,
            active != CURL_SOCKET_BAD
        else {
            throw TransportError(kind: .reset, message: "libcurl kept no connection", url: displayURL)
        }
        socket = active
    }

    deinit {
        // curl_easy_cleanup (the handle's deinit) closes the connection.
        context.release()
    }

    /// Marks the stream closed: later reads answer ``Read/closed`` and writes fail. The
    /// connection itself closes when the value is freed.
    func close() {
        lock.withLock { isClosed = true }
    }

    /// How many poll slices in a row a write may wait for room on the socket (about 10 s)
    /// before the peer counts as not reading: writes happen on the caller's thread, which
    /// must not be held for long.
    static let maxWriteWaitSlices = 100

    /// Writes every byte, waiting for the socket as needed.
    ///
    /// - Parameters:
    ///   - bytes: what to write.
    ///   - cancellation: stops the wait when set.
    /// - Throws: ``TransportError`` when the connection fails, is closed, the peer reads
    ///   nothing for ``maxWriteWaitSlices`` slices, or the write is cancelled.
    func write(_ bytes: [UInt8], cancellation: CurlCancellation) throws(TransportError) {
        var offset = 0
        var waits = 0
        while offset < bytes.count {
            guard !cancellation.isCancelled else {
                throw TransportError(kind: .other, message: "the write was cancelled", url: displayURL)
            }
            var written = 0
            let code: CURLcode = lock.withLock {
                guard !isClosed else { return CURLE_SEND_ERROR }
                return bytes.withUnsafeBytes { buffer in
                    curl_easy_send(easy.handle, buffer.baseAddress.map { $0 + offset }, bytes.count - offset, &written)
                }
            }
            switch code {
            case CURLE_OK:
                offset += written
                waits = 0
            case CURLE_AGAIN:
                waits += 1
                guard waits <= Self.maxWriteWaitSlices else {
                    throw TransportError(kind: .timeout, message: "the peer reads nothing", url: displayURL)
                }
                waitForSocket(events: Int16(POLLOUT))
            default:
                throw CurlError(code: code, errorBuffer: nil).transportError(url: displayURL)
            }
        }
    }

    /// Reads what has arrived, waiting at most one poll slice for something to arrive.
    ///
    /// - Parameter maxBytes: the most bytes returned.
    /// - Returns: the bytes, ``Read/idle`` when none came in the slice, ``Read/closed`` at the end.
    /// - Throws: ``TransportError`` when the connection fails.
    func read(maxBytes: Int = 65_536) throws(TransportError) -> Read {
        var buffer = [UInt8](repeating: 0, count: max(1, maxBytes))
        for waited in [false, true] {
            var received = 0
            let code: CURLcode = lock.withLock {
                guard !isClosed else { return CURLE_RECV_ERROR }
                return buffer.withUnsafeMutableBytes { pointer in
                    curl_easy_recv(easy.handle, pointer.baseAddress, pointer.count, &received)
                }
            }
            switch code {
            case CURLE_OK:
                return received == 0 ? .closed : .bytes(Array(buffer.prefix(received)))
            case CURLE_AGAIN:
                // Everything TLS had buffered was drained, so the socket tells the truth now.
                if !waited { waitForSocket(events: Int16(POLLIN)) }
            default:
                if lock.withLock({ isClosed }) { return .closed }
                throw CurlError(code: code, errorBuffer: nil).transportError(url: displayURL)
            }
        }
        return .idle
    }

    /// Waits up to one poll slice for `events` on the socket.
    private func waitForSocket(events: Int16) {
        var descriptor = pollfd(fd: Int32(socket), events: events, revents: 0)
        _ = poll(&descriptor, 1, Self.pollSliceMilliseconds)
    }
}

extension CurlEasyHandle {
    /// The options of a connect-only transfer: the same TLS verification and proxy choice as
    /// ``perform(_:settings:cancellation:)``, HTTP/1.1 only (ALPN must not pick HTTP/2: the
    /// WebSocket handshake is an HTTP/1.1 upgrade), and a tunnel through any proxy.
    fileprivate func configureConnectOnly(
        url: String, settings: TransferSettings, context: UnsafeMutableRawPointer
    ) throws(CurlError) {
        errorBuffer[0] = 0
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, string: url)
        try set(CURLOPT_NOSIGNAL, long: 1)
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_CONNECT_ONLY, long: 1)
        try set(CURLOPT_HTTP_VERSION, long: Int(CURL_HTTP_VERSION_1_1))
        try setConnection(settings)
        if settings.proxy != nil {
            // Without a tunnel libcurl would only connect to the proxy, and the handshake
            // written next would reach the proxy instead of the server.
            try set(CURLOPT_HTTPPROXYTUNNEL, long: 1)
        }
        try set(CURLOPT_NOPROGRESS, long: 0)
        try check(chatctl_curl_setopt_xferinfo_callback(handle, CURLOPT_XFERINFOFUNCTION, Self.progressCallback))
        try set(CURLOPT_XFERINFODATA, pointer: context)
    }
}
