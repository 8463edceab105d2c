/// The HTTP proxies to use, read from the usual environment variables, and the choice of
/// proxy for one URL.
///
/// The transport decides here, from an injected environment, instead of letting libcurl
/// read the process environment itself: the choice is then the same in tests as in
/// production, and a failure can be blamed on the proxy when one was in use.
///
/// Variables, first non-empty one wins (libcurl's order, lower case first):
/// - `https` URLs: `https_proxy`, `HTTPS_PROXY`, then `all_proxy`, `ALL_PROXY`;
/// - `http` URLs: `http_proxy`, `HTTP_PROXY`, then `all_proxy`, `ALL_PROXY` (libcurl skips
///   upper-case `HTTP_PROXY` because of CGI's "httpoxy"; a command-line tool has no such
///   risk, and the AWS SDKs honour it);
/// - exclusions: `no_proxy`, then `NO_PROXY`.
///
/// `NO_PROXY` is a comma- (or space-) separated list. `*` alone turns proxies off. A name
/// matches itself and every subdomain (a leading `.` is ignored: `.example.com` and
/// `example.com` both match `api.example.com` and `example.com`). An IP address matches
/// itself, and an IPv4 entry `a.b.c.d/n` matches the addresses of that network. A `:port`
/// suffix on an entry is ignored. Matching is case-insensitive.
public struct ProxySettings: Sendable, Equatable, Hashable {
    /// The proxy URL for `https` requests, if any (may hold user info; never print it whole).
    public var httpsProxy: String?
    /// The proxy URL for `http` requests, if any.
    public var httpProxy: String?
    /// The `NO_PROXY` entries, trimmed and lower-cased.
    public var noProxy: [String]

    /// Creates settings from explicit values.
    ///
    /// - Parameters:
    ///   - httpsProxy: the proxy for `https` URLs.
    ///   - httpProxy: the proxy for `http` URLs.
    ///   - noProxy: the `NO_PROXY` text (comma-separated).
    public init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil) {
        self.httpsProxy = httpsProxy.flatMap(Self.nonEmpty)
        self.httpProxy = httpProxy.flatMap(Self.nonEmpty)
        self.noProxy = Self.parseList(noProxy ?? "")
    }

    /// Reads the proxy variables from `environment`.
    ///
    /// - Parameter environment: the process environment, injected.
    public init(environment: [String: String]) {
        func first(_ names: String...) -> String? {
            for name in names {
                if let value = environment[name].flatMap(Self.nonEmpty) {
                    return value
                }
            }
            return nil
        }
        self.init(
            httpsProxy: first("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"),
            httpProxy: first("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"),
            noProxy: first("no_proxy", "NO_PROXY"))
    }

    /// The proxy a request to `host` over `scheme` goes through, or `nil` for a direct
    /// connection.
    ///
    /// - Parameters:
    ///   - scheme: `https` or `http`.
    ///   - host: the host name or IP address (IPv6 with or without brackets), without port.
    /// - Returns: the proxy URL text, or `nil`.
    public func proxy(scheme: String, host: String) -> String? {
        let proxy = scheme.lowercased() == "http" ? httpProxy : httpsProxy
        guard let proxy else { return nil }
        return Self.matchesNoProxy(host: host, entries: noProxy) ? nil : proxy
    }

    /// Whether `host` is excluded from proxying by the `NO_PROXY` `entries`.
    ///
    /// - Parameters:
    ///   - host: a host name or IP address.
    ///   - entries: trimmed, lower-cased entries.
    /// - Returns: `true` when a direct connection must be used.
    public static func matchesNoProxy(host: String, entries: [String]) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = String(name.dropFirst().dropLast())
        }
        while name.hasSuffix(".") {
            name.removeLast()
        }
        let address = IPv4Address(name)
        for raw in entries {
            if raw == "*" {
                return true
            }
            var entry = stripPort(raw)
            if entry.hasPrefix("["), entry.hasSuffix("]") {
                entry = String(entry.dropFirst().dropLast())
            }
            while entry.hasPrefix(".") {
                entry.removeFirst()
            }
            while entry.hasSuffix(".") {
                entry.removeLast()
            }
            guard !entry.isEmpty else { continue }
            if let slash = entry.firstIndex(of: "/") {
                if let address, let network = IPv4Address(String(entry[..<slash])),
                    let bits = Int(entry[entry.index(after: slash)...]), (0...32).contains(bits)
                {
                    let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
                    if address.value & mask == network.value & mask {
                        return true
                    }
                }
                continue
            }
            if entry == name {
                return true
            }
            if address == nil, !name.contains(":"), name.hasSuffix("." + entry) {
                return true
            }
        }
        return false
    }

    /// A copy of a proxy URL safe to print: any `user:password@` is replaced by `(redacted)@`.
    public static func redactedProxyURL(_ url: String) -> String {
        let afterScheme = url.range(of: "://").map(\.upperBound) ?? url.startIndex
        let authorityEnd = url[afterScheme...].firstIndex(of: "/") ?? url.endIndex
        guard let at = url[afterScheme..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<afterScheme]) + "(redacted)" + String(url[at...])
    }

    private static func nonEmpty(_ text: String) -> String? {
        let trimmed = text.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func parseList(_ text: String) -> [String] {
        text.split { $0 == "," || $0 == " " || $0 == "\t" }
            .map { String($0).trimmingASCIIWhitespace().lowercased() }
            .filter { !$0.isEmpty }
    }

    /// `host:port` → `host`; IPv6 literals (more than one `:`) are left alone unless bracketed.
    private static func stripPort(_ entry: String) -> String {
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            return String(entry[...close])
        }
        let colons = entry.filter { $0 == ":" }.count
        if colons == 1, let colon = entry.firstIndex(of: ":") {
            return String(entry[..<colon])
        }
        return entry
    }

    /// A dotted-quad IPv4 address as a 32-bit number.
    private struct IPv4Address: Equatable {
        var value: UInt32

        init?(_ text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var value: UInt32 = 0
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let octet = UInt8(part) else {
                    return nil
                }
                value = value << 8 | UInt32(octet)
            }
            self.value = value
        }
    }
}
