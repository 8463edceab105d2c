internal import Foundation

/// Credentials from the container credentials endpoint of Amazon ECS, EKS Pod Identity or
/// anything that plays it ([Container credential provider](https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html)).
///
/// The URL is `http://169.254.170.2` followed by `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`,
/// else `AWS_CONTAINER_CREDENTIALS_FULL_URI`. A full URI must use `https`, or `http` to a
/// loopback host (`localhost`, `127.0.0.0/8`, `[::1]`) or to the ECS (`169.254.170.2`) or
/// EKS (`169.254.170.23`, `[fd00:ec2::23]`) addresses, as the SDKs require. The
/// `Authorization` header comes from the file named by
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, else from `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
/// The answer is JSON with `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration`.
public struct ContainerCredentialProvider: CredentialProvider, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The source's name in errors.
    public static let sourceName = "container credentials endpoint"
    /// The ECS host that relative URIs go to.
    public static let ecsHost = "169.254.170.2"

    private let environment: [String: String]
    private let transport: any HTTPTransport
    /// Time limits per attempt; short, since the endpoint is local.
    var timeouts = HTTPTimeouts(connect: 2, total: 5)
    var attempts = 3
    var retryDelay = 0.1

    /// Creates a provider.
    ///
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - transport: the HTTP transport.
    public init(environment: [String: String], transport: any HTTPTransport) {
        self.environment = environment
        self.transport = transport
    }

    private func value(_ name: String) -> String? {
        guard let text = environment[name]?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// The URL to fetch, or why there is none.
    func endpointURL() throws(CredentialsError) -> String {
        if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return "http://\(Self.ecsHost)" + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            throw .notConfigured(
                Self.sourceName, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set")
        }
        guard let request = HTTPRequest(method: "GET", url: full), request.scheme == "http" || request.scheme == "https"
        else {
            throw .failed(Self.sourceName, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http or https URL: \"\(full)\"")
        }
        guard request.scheme == "https" || Self.isAllowedHTTPHost(Self.host(ofAuthority: request.authority)) else {
            throw .failed(
                Self.sourceName,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback, ECS or EKS address: \"\(full)\"")
        }
        return full
    }

    /// The host of `host:port`, `[v6]:port` or `[v6]`, lower-cased, brackets kept.
    static func host(ofAuthority authority: String) -> String {
        var text = Substring(authority)
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return text[...close].lowercased()
        }
        return (text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "").lowercased()
    }

    /// Whether plain `http` may be used to `host`: loopback, or the ECS and EKS addresses.
    static func isAllowedHTTPHost(_ host: String) -> Bool {
        if ["localhost", "[::1]", ecsHost, "169.254.170.23", "[fd00:ec2::23]"].contains(host) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The `Authorization` value, from the token file first, else the variable.
    func authorization() throws(CredentialsError) -> String? {
        var token: String?
        if let file = value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .failed(Self.sourceName, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingASCIIWhitespace()
        } else {
            token = value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        }
        if let token, token.contains("\r") || token.contains("\n") {
            throw .failed(Self.sourceName, "the container authorization token contains a line break")
        }
        return token.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Fetches the credentials.
    ///
    /// - Returns: the credentials, usually temporary.
    /// - Throws: ``CredentialsError``: not configured without either URI variable; failed for
    ///   a disallowed URI, an unreadable token file, an unreachable endpoint, a non-2xx
    ///   answer or a malformed document.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        let url = try endpointURL()
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let token = try authorization() {
            headers.add(name: "Authorization", value: token)
        }
        guard let request = HTTPRequest(method: "GET", url: url, headers: headers) else {
            throw .failed(Self.sourceName, "not a URL: \"\(url)\"")
        }
        let shownURL = "\(request.scheme)://\(request.authority)\(request.path)"
        let fetch = CredentialEndpointRequest(transport: transport, timeouts: timeouts, attempts: attempts, retryDelay: retryDelay)
        let response: HTTPResponse
        switch await fetch.send(request) {
        case .failure(let error):
            throw .failed(Self.sourceName, "cannot reach \(shownURL): \(error.message)")
        case .success(let answer):
            response = answer
        }
        guard response.isSuccess else {
            var reason = "\(shownURL) answered HTTP \(response.status)"
            if let object = try? CredentialsDocument.object(response.body) {
                if let code = (object["code"] ?? object["Code"]) as? String { reason += ": \(code)" }
                if let message = (object["message"] ?? object["Message"]) as? String {
                    reason += ": \(HTTPLogRedactor.redactedText(message))"
                }
            }
            throw .failed(Self.sourceName, reason)
        }
        do throws(CredentialsDocument.Problem) {
            let object = try CredentialsDocument.object(response.body)
            return try CredentialsDocument.credentials(from: object, layout: .init(tokenKey: "Token", requiresToken: false))
        } catch {
            throw .failed(Self.sourceName, "the answer from \(shownURL) \(error)")
        }
    }

    /// A summary without the token or the environment.
    public var description: String { "ContainerCredentialProvider()" }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children: the environment may hold the token.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}
