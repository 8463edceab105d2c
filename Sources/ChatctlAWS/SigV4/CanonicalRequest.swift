/// The canonical form of an HTTP request that SigV4 hashes and signs: six lines joined by
/// `\n` (method, URI, query string, header block, signed header list, payload hash).
///
/// See [Create a canonical request](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request).
public struct CanonicalRequest: Sendable, Equatable, CustomStringConvertible {
    /// The HTTP method, for example `PUT`.
    public var method: String
    /// The canonical, percent-encoded absolute path, for example `/contact/chat`.
    public var canonicalURI: String
    /// Query parameters encoded and sorted, `a=1&b=2`; empty when there are none.
    public var canonicalQueryString: String
    /// The signed headers: lower-case names, sorted, values trimmed and folded, repeated
    /// names joined by `,` in their original order.
    public var canonicalHeaders: [HTTPHeader]
    /// The lower-case names of ``canonicalHeaders`` joined by `;`, for example `host;x-amz-date`.
    public var signedHeaders: String
    /// The lowercase hex SHA-256 of the body, or a literal such as `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    /// Creates a canonical request from already-canonical parts.
    public init(
        method: String, canonicalURI: String, canonicalQueryString: String, canonicalHeaders: [HTTPHeader],
        payloadHash: String
    ) {
        self.method = method
        self.canonicalURI = canonicalURI
        self.canonicalQueryString = canonicalQueryString
        self.canonicalHeaders = canonicalHeaders
        self.signedHeaders = canonicalHeaders.map(\.name).joined(separator: ";")
        self.payloadHash = payloadHash
    }

    /// The exact text that is hashed, with no trailing newline.
    public var text: String {
        let headerBlock = canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined()
        return [method, canonicalURI, canonicalQueryString, headerBlock, signedHeaders, payloadHash]
            .joined(separator: "\n")
    }

    /// The lowercase hex SHA-256 of ``text``: the last line of the string to sign.
    public var hashedText: String {
        SHA256.hexDigest(text)
    }

    /// The same as ``text``. A canonical request holds no secret: it is what AWS returns in
    /// its own `InvalidSignatureException` message.
    public var description: String { text }

    // MARK: - Canonicalisation steps

    /// The canonical URI of a raw request path.
    ///
    /// - Parameters:
    ///   - path: the path as written on the request line (it may hold raw UTF-8, spaces or
    ///     `%XY` escapes); a path that does not start with `/` (empty, `*`) gets one, so
    ///     the result is an absolute path in every mode.
    ///   - normalize: whether to remove `.` and `..` segments and collapse repeated `/`
    ///     first (RFC 3986 section 5.2.4; every service except S3).
    ///   - doubleEncode: whether the path is encoded once more as it stands, so an escape
    ///     `%20` becomes `%2520` (every service except S3). When `false`, existing escapes
    ///     are kept and only other bytes are encoded, so the path ends up encoded once.
    /// - Returns: the percent-encoded path, starting with `/`.
    public static func canonicalURI(path: String, normalize: Bool, doubleEncode: Bool) -> String {
        var path = path.hasPrefix("/") ? path : "/" + path
        if normalize {
            path = normalizedPath(path)
        }
        return URIEncoding.encode(path, keepSlash: true, keepEscapes: !doubleEncode)
    }

    /// `path` with dot segments removed and empty segments collapsed, keeping a trailing
    /// `/` (and turning a final `.` or `..` into one): `//a/./b/../c//` becomes `/a/c/`.
    public static func normalizedPath(_ path: String) -> String {
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            switch part {
            case "", ".":
                continue
            case "..":
                _ = segments.popLast()
            default:
                segments.append(part)
            }
        }
        var result = "/" + segments.joined(separator: "/")
        let last = parts.last ?? ""
        let endsAsDirectory = path.hasSuffix("/") || last == "." || last == ".."
        if endsAsDirectory, !segments.isEmpty {
            result += "/"
        }
        return result
    }

    /// The canonical query string of a raw query plus extra parameters.
    ///
    /// Each raw `name=value` pair is split at its first `=` (a pair without `=` has an empty
    /// value), percent-decoded, then encoded again with ``URIEncoding`` (so `/` becomes
    /// `%2F`); pairs are sorted by encoded name, then encoded value, byte by byte.
    ///
    /// - Parameters:
    ///   - query: the query as written after `?`, or `nil`.
    ///   - additionalParameters: decoded `(name, value)` pairs to include, such as the
    ///     `X-Amz-*` parameters of a presigned URL.
    /// - Returns: `n1=v1&n2=v2`, or an empty string when there are no parameters.
    public static func canonicalQueryString(
        query: String?, additionalParameters: [(name: String, value: String)] = []
    ) -> String {
        var pairs: [(name: String, value: String)] = []
        for item in (query ?? "").split(separator: "&") where !item.isEmpty {
            let pieces = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = URIEncoding.decode(pieces[0])
            let value = pieces.count > 1 ? URIEncoding.decode(pieces[1]) : ""
            pairs.append((URIEncoding.encode(name), URIEncoding.encode(value)))
        }
        for parameter in additionalParameters {
            pairs.append((URIEncoding.encode(parameter.name), URIEncoding.encode(parameter.value)))
        }
        pairs.sort { left, right in
            if left.name != right.name {
                return left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
            }
            return left.value.utf8.lexicographicallyPrecedes(right.value.utf8)
        }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// The canonical form of a header value: leading and trailing whitespace removed and
    /// every inner run of spaces, tabs and line breaks (obs-fold continuation lines
    /// included) replaced by one space.
    public static func canonicalHeaderValue(_ value: String) -> String {
        var output: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                pendingSpace = !output.isEmpty
            default:
                if pendingSpace {
                    output.append(UInt8(ascii: " "))
                    pendingSpace = false
                }
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The canonical header list of `headers`.
    ///
    /// - Parameters:
    ///   - headers: the request's header fields.
    ///   - include: decides, from a lower-case name, whether that header is signed.
    /// - Returns: one entry per distinct lower-case name, sorted by name; values are
    ///   canonicalised and repeated names joined by `,` in their original order.
    public static func canonicalHeaders(
        _ headers: HTTPHeaders, including include: (String) -> Bool = { _ in true }
    ) -> [HTTPHeader] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for field in headers {
            let name = field.name.trimmingASCIIWhitespace().lowercased()
            guard include(name) else { continue }
            if values[name] == nil {
                order.append(name)
            }
            values[name, default: []].append(canonicalHeaderValue(field.value))
        }
        return order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
            HTTPHeader(name: name, value: (values[name] ?? []).joined(separator: ","))
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, carriage returns and line feeds.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
