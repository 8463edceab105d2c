internal import Foundation

/// The production ``HTTPTransport``: HTTP/1.1, and HTTP/2 where a TLS server offers it,
/// through libcurl.
///
/// - **Connections are reused.** Easy handles are pooled (see ``Configuration/maxIdleHandles``);
///   each keeps its connection cache between requests, so sequential calls to one endpoint
///   share one keep-alive connection.
/// - **TLS is always verified** (`CURLOPT_SSL_VERIFYPEER` and `…VERIFYHOST` are never
///   turned off). The system CA bundle is used, or the PEM file of `AWS_CA_BUNDLE`.
/// - **Proxies** come from `HTTPS_PROXY`/`https_proxy`, `HTTP_PROXY`/`http_proxy`,
///   `ALL_PROXY` and `NO_PROXY` in the injected environment (see ``ProxySettings``);
///   libcurl does not read the process environment itself.
/// - **Blocking stays off the cooperative pool.** Each transfer runs `curl_easy_perform` on
///   a thread of its own and resumes the caller through a continuation; at most
///   ``Configuration/maxConcurrentRequests`` run at once, later ones wait (suspended, not
///   blocking). Cancelling the calling task aborts its transfer.
/// - **Responses are capped** at ``Configuration/maxResponseBodyBytes``.
///
/// Safe to use from many tasks at once. Failures are ``TransportError``s carrying curl's own
/// message (`curl_easy_strerror` and the transfer's error buffer).
public final class CurlTransport: HTTPTransport {
    /// How the transport behaves; read once, at creation.
    public struct Configuration: Sendable, Equatable {
        /// A PEM CA bundle that replaces the system's trust store, or `nil` for the system's.
        public var caBundle: String?
        /// The proxies and exclusions.
        public var proxies: ProxySettings
        /// The largest response body accepted, in bytes (default 16 MiB); a larger one fails
        /// the request.
        public var maxResponseBodyBytes: Int
        /// How many idle easy handles (each with its open connections) are kept for reuse
        /// (default 8; 0 turns reuse off).
        public var maxIdleHandles: Int
        /// How many transfers may run at once, each on its own thread (default 32).
        public var maxConcurrentRequests: Int
        /// The `User-Agent` sent when a request has none.
        public var userAgent: String
        /// Whether to offer HTTP/2 to TLS servers (ALPN); plain `http` always uses HTTP/1.1.
        public var offersHTTP2: Bool

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - caBundle: a PEM CA bundle path, or `nil` for the system trust store.
        ///   - proxies: the proxies to use (default none).
        ///   - maxResponseBodyBytes: the body size limit (default 16 MiB).
        ///   - maxIdleHandles: idle handles kept for reuse (default 8).
        ///   - maxConcurrentRequests: transfers at once (default 32).
        ///   - userAgent: the default `User-Agent` (default `chatctl`).
        ///   - offersHTTP2: offer HTTP/2 over TLS (default `true`).
        public init(
            caBundle: String? = nil, proxies: ProxySettings = ProxySettings(),
            maxResponseBodyBytes: Int = 16 * 1024 * 1024, maxIdleHandles: Int = 8, maxConcurrentRequests: Int = 32,
            userAgent: String = "chatctl", offersHTTP2: Bool = true
        ) {
            self.caBundle = caBundle
            self.proxies = proxies
            self.maxResponseBodyBytes = max(0, maxResponseBodyBytes)
            self.maxIdleHandles = max(0, maxIdleHandles)
            self.maxConcurrentRequests = max(1, maxConcurrentRequests)
            self.userAgent = userAgent
            self.offersHTTP2 = offersHTTP2
        }

        /// The defaults, with `AWS_CA_BUNDLE` and the proxy variables read from `environment`.
        ///
        /// - Parameters:
        ///   - environment: the process environment, injected.
        ///   - userAgent: the default `User-Agent`.
        public init(environment: [String: String], userAgent: String = "chatctl") {
            let bundle = environment["AWS_CA_BUNDLE"]?.trimmingASCIIWhitespace()
            self.init(
                caBundle: bundle.flatMap { $0.isEmpty ? nil : $0 }, proxies: ProxySettings(environment: environment),
                userAgent: userAgent)
        }
    }

    /// The configuration.
    public let configuration: Configuration
    private let pool: CurlHandlePool
    private let gate: CurlRequestGate

    /// Creates a transport.
    ///
    /// - Parameter configuration: TLS, proxy and pool settings.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.pool = CurlHandlePool(capacity: configuration.maxIdleHandles)
        self.gate = CurlRequestGate(slots: configuration.maxConcurrentRequests)
    }

    /// Creates a transport configured from `environment` (`AWS_CA_BUNDLE`, proxy variables).
    ///
    /// - Parameter environment: the process environment, injected.
    public convenience init(environment: [String: String]) {
        self.init(configuration: Configuration(environment: environment))
    }

    /// The libcurl in use, for example `libcurl/7.88.1 OpenSSL/3.0.11 zlib/1.2.13 nghttp2/1.52.0`.
    public static var libcurlVersion: String {
        CurlEasyHandle.versionText
    }

    /// How many idle handles are pooled now (each may hold open connections).
    public var idleHandleCount: Int {
        pool.idleCount
    }

    /// Closes every idle connection by freeing the pooled handles.
    public func closeIdleConnections() {
        pool.removeAll()
    }

    /// Sends `request` and returns the whole response.
    ///
    /// - Parameters:
    ///   - request: the request, already signed; its `Host` field, if any, is sent as given.
    ///   - timeouts: the connect and total time limits.
    /// - Returns: the response, whatever its status.
    /// - Throws: ``TransportError`` when no complete response arrived, the request is not
    ///   usable, or the task was cancelled.
    public func send(_ request: HTTPRequest, timeouts: HTTPTimeouts) async throws(TransportError) -> HTTPResponse {
        let url = Self.displayURL(of: request)
        try Self.validate(request, url: url)
        guard await gate.acquire() else {
            var error = Self.cancelledError(url: url)
            error.requestMayHaveBeenSent = false
            throw error
        }
        defer { gate.release() }
        let handle: CurlEasyHandle
        do {
            handle = try pool.checkout()
        } catch {
            var failure = error.transportError(url: url)
            failure.requestMayHaveBeenSent = false
            throw failure
        }
        let settings = CurlEasyHandle.TransferSettings(
            timeouts: timeouts, caBundle: configuration.caBundle,
            proxy: configuration.proxies.proxy(scheme: request.scheme, host: Self.host(of: request.authority)),
            maxResponseBodyBytes: configuration.maxResponseBodyBytes, userAgent: configuration.userAgent,
            offersHTTP2: configuration.offersHTTP2)
        let cancellation = CurlCancellation()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) in
                let thread = Thread {
                    continuation.resume(returning: handle.perform(request, settings: settings, cancellation: cancellation))
                }
                thread.name = "chatctl-curl"
                thread.stackSize = 2 << 20
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        pool.checkin(handle)
        return try result.get()
    }

    // MARK: - Helpers

    /// The URL without its query (which may hold a presigned credential), for messages.
    static func displayURL(of request: HTTPRequest) -> String {
        "\(request.scheme)://\(request.authority)\(request.path)"
    }

    /// The error reported when the caller's task is cancelled.
    static func cancelledError(url: String) -> TransportError {
        TransportError(kind: .other, message: "the request was cancelled", url: url)
    }

    /// The host part of an authority: `[::1]:8080` → `::1`, `example.com:443` → `example.com`.
    static func host(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        if let colon = authority.lastIndex(of: ":") {
            return String(authority[..<colon])
        }
        return authority
    }

    /// Rejects requests libcurl must not send: other schemes, user info in the authority,
    /// and header fields that could smuggle extra lines.
    static func validate(_ request: HTTPRequest, url: String) throws(TransportError) {
        func invalid(_ message: String) -> TransportError {
            TransportError(kind: .invalidRequest, message: message, url: url, requestMayHaveBeenSent: false)
        }
        let scheme = request.scheme.lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw invalid("unsupported scheme \"\(request.scheme)\": only http and https are allowed")
        }
        let authority = request.authority
        guard !authority.isEmpty, !authority.contains("@"),
            !authority.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == "/" || $0.value == 0x7F })
        else {
            throw invalid("the URL has no usable host")
        }
        guard request.path.hasPrefix("/"),
            !(request.path + (request.query ?? "")).unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
        else {
            throw invalid("the path or query holds spaces or control characters")
        }
        let token = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
        let methodOK = !request.method.isEmpty && request.method.unicodeScalars.allSatisfy { token.contains($0) }
        guard methodOK else {
            throw invalid("the method \"\(request.method)\" is not an HTTP token")
        }
        for field in request.headers {
            guard !field.name.isEmpty, field.name.unicodeScalars.allSatisfy({ token.contains($0) }) else {
                throw invalid("the header name \"\(field.name)\" is not an HTTP token")
            }
            guard !field.value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw invalid("the value of header \(field.name) holds a line break or NUL")
            }
        }
    }
}
