/// An HTTP request as plain data: what the signer signs and the transport sends.
///
/// The target is kept as raw text (`path` and `query`) rather than as a `URL`, because
/// SigV4 signs the bytes as they go on the wire, and `URL` would reject or rewrite paths
/// such as `/example space/` or `//a//`.
public struct HTTPRequest: Sendable, Equatable, CustomStringConvertible {
    /// The method in upper case, for example `PUT`.
    public var method: String
    /// `https` or `http`.
    public var scheme: String
    /// `host` or `host:port`, as in a URL (RFC 3986 authority without user info).
    public var authority: String
    /// The path as written on the request line, starting with `/`; it may hold
    /// percent-escapes, which are sent as they are.
    public var path: String
    /// The query as written after `?`, without the `?`; `nil` when there is none.
    public var query: String?
    /// The header fields in order.
    public var headers: HTTPHeaders
    /// The body bytes; empty for none.
    public var body: [UInt8]

    /// Creates a request from its parts.
    ///
    /// - Parameters:
    ///   - method: the method, for example `GET`.
    ///   - scheme: `https` (default) or `http`.
    ///   - authority: `host` or `host:port`.
    ///   - path: the raw path, `/` by default.
    ///   - query: the raw query without `?`, or `nil`.
    ///   - headers: the header fields.
    ///   - body: the body bytes.
    public init(
        method: String, scheme: String = "https", authority: String, path: String = "/",
        query: String? = nil, headers: HTTPHeaders = [], body: [UInt8] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Creates a request from an absolute URL string such as `https://host:8443/a/b?x=1`.
    ///
    /// - Returns: `nil` when `url` has no `scheme://` prefix or no host.
    public init?(method: String, url: String, headers: HTTPHeaders = [], body: [UInt8] = []) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = String(url[..<schemeEnd.lowerBound]).lowercased()
        let rest = url[schemeEnd.upperBound...]
        let withoutFragment = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let authorityEnd = withoutFragment.firstIndex { $0 == "/" || $0 == "?" } ?? withoutFragment.endIndex
        let authority = String(withoutFragment[..<authorityEnd])
        guard !scheme.isEmpty, !authority.isEmpty else { return nil }
        let target = withoutFragment[authorityEnd...]
        var path = target
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            path = target[..<mark]
            query = String(target[target.index(after: mark)...])
        }
        self.init(
            method: method, scheme: scheme, authority: authority,
            path: path.isEmpty ? "/" : String(path), query: query, headers: headers, body: body)
    }

    /// The request target: the path, then `?` and the query when there is one.
    public var target: String {
        query.map { "\(path)?\($0)" } ?? path
    }

    /// The absolute URL text, `scheme://authority` followed by the target.
    public var urlString: String {
        "\(scheme)://\(authority)\(target)"
    }

    /// The value a `Host` header should carry: the authority without the scheme's
    /// default port (`:443` for https, `:80` for http).
    public var hostHeaderValue: String {
        let defaultPort = scheme == "http" ? ":80" : ":443"
        if authority.hasSuffix(defaultPort) {
            return String(authority.dropLast(defaultPort.count))
        }
        return authority
    }

    /// The request line and headers with secrets redacted (see ``HTTPHeaders/redacted()``),
    /// and the body size. The body itself is left out: it may hold sensitive members.
    public var description: String {
        var lines = ["\(method) \(urlString)"]
        lines += headers.redacted().map { "\($0.name): \($0.value)" }
        lines.append("(\(body.count) body bytes)")
        return lines.joined(separator: "\n")
    }
}
