internal import Foundation

/// Credentials of an EC2 instance's IAM role from the instance metadata service, IMDSv2
/// only ([IMDS credential provider](https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-credentials.html)):
///
/// 1. `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds: 21600` gives a
///    session token;
/// 2. `GET /latest/meta-data/iam/security-credentials/` with `X-aws-ec2-metadata-token`
///    gives the role name;
/// 3. `GET /latest/meta-data/iam/security-credentials/{role}` gives the JSON credentials.
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else the profile's
/// `ec2_metadata_service_endpoint`, else `http://169.254.169.254` (or `http://[fd00:ec2::254]`
/// when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` or `ec2_metadata_service_endpoint_mode` is
/// `IPv6`). `AWS_EC2_METADATA_DISABLED=true` turns the source off. Time limits are short
/// (`AWS_METADATA_SERVICE_TIMEOUT` seconds to connect, default 1; one attempt unless
/// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` says more), so a machine without IMDS is not held
/// up. Every failure to get credentials here counts as "not configured": off EC2 this
/// source is expected to give nothing.
public struct InstanceMetadataCredentialProvider: CredentialProvider, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The source's name in errors.
    public static let sourceName = "EC2 instance metadata (IMDSv2)"
    /// The IPv4 endpoint.
    public static let defaultEndpoint = "http://169.254.169.254"
    /// The IPv6 endpoint.
    public static let ipv6Endpoint = "http://[fd00:ec2::254]"
    /// The session token's lifetime asked for, in seconds.
    static let tokenTTL = 21_600

    private let environment: [String: String]
    private let profile: SharedConfigSection?
    private let transport: any HTTPTransport

    /// Creates a provider.
    ///
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - configuration: the shared files, for the chosen profile's IMDS settings.
    ///   - transport: the HTTP transport.
    public init(environment: [String: String], configuration: SharedConfiguration? = nil, transport: any HTTPTransport) {
        self.environment = environment
        self.profile = configuration?.selectedProfile
        self.transport = transport
    }

    private func value(_ name: String) -> String? {
        guard let text = environment[name]?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// The base URL, without a trailing `/`.
    func endpoint() throws(CredentialsError) -> String {
        let configured = value("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? profile?["ec2_metadata_service_endpoint"]
        if let configured = configured?.trimmingASCIIWhitespace() {
            guard let request = HTTPRequest(method: "GET", url: configured),
                request.scheme == "http" || request.scheme == "https"
            else {
                throw .failed(Self.sourceName, "the metadata service endpoint is not an http or https URL: \"\(configured)\"")
            }
            return "\(request.scheme)://\(request.authority)"
        }
        let mode = value("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") ?? profile?["ec2_metadata_service_endpoint_mode"]
        switch mode?.trimmingASCIIWhitespace().lowercased() {
        case nil, "ipv4": return Self.defaultEndpoint
        case "ipv6": return Self.ipv6Endpoint
        case let other?: throw .failed(Self.sourceName, "the endpoint mode must be IPv4 or IPv6, not \"\(other)\"")
        }
    }

    /// The time limits and attempts from `AWS_METADATA_SERVICE_TIMEOUT` and
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS`.
    func limits() -> (timeouts: HTTPTimeouts, attempts: Int) {
        let timeout = value("AWS_METADATA_SERVICE_TIMEOUT").flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 1
        let attempts = value("AWS_METADATA_SERVICE_NUM_ATTEMPTS").flatMap(Int.init).flatMap { $0 >= 1 ? $0 : nil } ?? 1
        return (HTTPTimeouts(connect: timeout, total: timeout + 1), attempts)
    }

    /// Fetches the instance role's credentials.
    ///
    /// - Returns: temporary credentials with their expiration.
    /// - Throws: ``CredentialsError``: not configured when disabled, unreachable, without a
    ///   role or refusing a token; failed for a malformed endpoint setting or answer.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        if value("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw .notConfigured(Self.sourceName, "AWS_EC2_METADATA_DISABLED is true")
        }
        let base = try endpoint()
        let (timeouts, attempts) = limits()
        let fetch = CredentialEndpointRequest(transport: transport, timeouts: timeouts, attempts: attempts, retryDelay: 0.1)

        let tokenRequest = try request("PUT", base, "/latest/api/token", ["X-aws-ec2-metadata-token-ttl-seconds": String(Self.tokenTTL)])
        let token = try answer(await fetch.send(tokenRequest), at: base, step: "the session token") { status in
            switch status {
            case 403: "the metadata service refused a session token (HTTP 403): IMDS is disabled or the hop limit is too low"
            case 404, 405: "the metadata service does not offer IMDSv2 session tokens (HTTP \(status))"
            default: nil
            }
        }.trimmingASCIIWhitespace()

        let listPath = "/latest/meta-data/iam/security-credentials/"
        let listRequest = try request("GET", base, listPath, ["X-aws-ec2-metadata-token": token])
        let roles = try answer(await fetch.send(listRequest), at: base, step: "the role name") { status in
            status == 404 ? "the instance has no IAM instance profile (HTTP 404)" : nil
        }
        guard let role = roles.split(whereSeparator: \.isNewline).map({ $0.trimmingASCIIWhitespace() }).first(where: { !$0.isEmpty })
        else {
            throw .notConfigured(Self.sourceName, "the instance has no IAM instance profile")
        }

        let credentialsRequest = try request(
            "GET", base, listPath + URIEncoding.encode(role), ["X-aws-ec2-metadata-token": token])
        let document = try answer(await fetch.send(credentialsRequest), at: base, step: "the credentials of role \(role)") { _ in nil }
        do throws(CredentialsDocument.Problem) {
            let object = try CredentialsDocument.object(Array(document.utf8))
            if let code = object["Code"] as? String, code != "Success" {
                throw .notSuccessful(code)
            }
            return try CredentialsDocument.credentials(from: object, layout: .init(tokenKey: "Token", requiresToken: true))
        } catch {
            throw .failed(Self.sourceName, "the credentials of role \(role) \(error)")
        }
    }

    private func request(_ method: String, _ base: String, _ path: String, _ headers: HTTPHeaders) throws(CredentialsError) -> HTTPRequest {
        guard let request = HTTPRequest(method: method, url: base + path, headers: headers) else {
            throw .failed(Self.sourceName, "not a URL: \"\(base + path)\"")
        }
        return request
    }

    /// The body of a 2xx answer as text, or a not-configured error explaining the failure.
    private func answer(
        _ result: Result<HTTPResponse, TransportError>, at base: String, step: String, explain: (Int) -> String?
    ) throws(CredentialsError) -> String {
        switch result {
        case .failure(let error):
            throw .notConfigured(Self.sourceName, "no metadata service at \(base): \(error.message)")
        case .success(let response) where response.isSuccess:
            return response.bodyText
        case .success(let response):
            let reason = explain(response.status) ?? "the metadata service answered HTTP \(response.status) for \(step)"
            throw .notConfigured(Self.sourceName, reason)
        }
    }

    /// A summary without the environment.
    public var description: String { "InstanceMetadataCredentialProvider()" }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}
