internal import CLibCurl

/// A libcurl failure: the `CURLcode`, libcurl's text for it (`curl_easy_strerror`) and the
/// transfer's own message from `CURLOPT_ERRORBUFFER`, classified as a ``TransportError/Kind``.
public struct CurlError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `CURLcode` number, for example 6 for `CURLE_COULDNT_RESOLVE_HOST`.
    public var code: Int
    /// `curl_easy_strerror` of the code, for example `Couldn't resolve host name`.
    public var summary: String
    /// The transfer's own message, for example `Could not resolve host: nonexistent.invalid`;
    /// `nil` when libcurl left the error buffer empty.
    public var detail: String?
    /// The class of failure.
    public var kind: TransportError.Kind

    /// Creates an error from its parts.
    public init(code: Int, summary: String, detail: String?, kind: TransportError.Kind) {
        self.code = code
        self.summary = summary
        self.detail = detail
        self.kind = kind
    }

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

    /// `Could not resolve host: nonexistent.invalid (curl error 6: Couldn't resolve host name)`.
    public var description: String {
        let suffix = "curl error \(code): \(summary)"
        guard let detail, detail != summary else { return suffix }
        return "\(detail) (\(suffix))"
    }

    /// The same failure as the transport protocol reports it.
    ///
    /// - Parameter url: the URL being fetched, without its query.
    public func transportError(url: String) -> TransportError {
        TransportError(kind: kind, message: description, url: url)
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
            CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_WEIRD_SERVER_REPLY:
            return .reset
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT:
            return .invalidRequest
        default:
            return .other
        }
    }
}
