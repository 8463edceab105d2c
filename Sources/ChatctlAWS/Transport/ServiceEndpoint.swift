/// The base URL of a service, such as `https://connect.us-east-1.amazonaws.com` or an
/// `--endpoint-url` like `http://127.0.0.1:9000/prefix`; operation paths are appended to it.
public struct ServiceEndpoint: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `https` or `http`.
    public var scheme: String
    /// `host` or `host:port`.
    public var authority: String
    /// A path prefix without a trailing `/` (empty for none), put before each operation path.
    public var basePath: String

    /// Creates an endpoint from its parts.
    ///
    /// - Parameters:
    ///   - scheme: `https` or `http`.
    ///   - authority: `host` or `host:port`.
    ///   - basePath: a path prefix; a trailing `/` is dropped.
    public init(scheme: String = "https", authority: String, basePath: String = "") {
        self.scheme = scheme.lowercased()
        self.authority = authority
        var base = basePath
        while base.hasSuffix("/") {
            base.removeLast()
        }
        self.basePath = base
    }

    /// Parses an endpoint URL such as `https://connect.us-east-1.amazonaws.com` or
    /// `http://localhost:9000/base/`.
    ///
    /// - Returns: `nil` unless the text is an `http` or `https` URL with a host and with no
    ///   query, fragment or user info.
    public init?(url: String) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else { return nil }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains(" ") else { return nil }
        self.init(scheme: scheme, authority: authority, basePath: String(rest[slash...]))
    }

    /// The URL text, `scheme://authority/basePath`.
    public var description: String {
        "\(scheme)://\(authority)\(basePath)"
    }

    /// A request to `path` (which starts with `/`) on this endpoint.
    ///
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - path: the operation path, already percent-encoded.
    ///   - query: the raw query, or `nil`.
    ///   - headers: the header fields.
    ///   - body: the body bytes.
    public func request(
        method: String, path: String, query: String? = nil, headers: HTTPHeaders = [], body: [UInt8] = []
    ) -> HTTPRequest {
        HTTPRequest(
            method: method, scheme: scheme, authority: authority, path: basePath + path, query: query,
            headers: headers, body: body)
    }
}
