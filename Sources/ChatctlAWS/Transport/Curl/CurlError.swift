
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
}
