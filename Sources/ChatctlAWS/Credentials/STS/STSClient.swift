internal import Foundation

/// Calls AWS STS's `AssumeRole` (signed) and `AssumeRoleWithWebIdentity` (unsigned) over the
/// Query protocol: a form-encoded `POST /` with `Action` and `Version=2011-06-15`, answered
/// in XML. See the [STS API reference](https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html).
///
/// The endpoint is, first found: `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's
/// `services` section `sts` → `endpoint_url`, the profile's `endpoint_url` (none of these
/// when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or `ignore_configured_endpoint_urls` is
/// true); else the regional `https://sts[-fips].{region}.amazonaws.com` (`.com.cn` in
/// China), or the global `https://sts.amazonaws.com` when there is no region.
struct STSClient: Sendable {
    /// The Query API version.
    static let apiVersion = "2011-06-15"

    /// The base URL requests go to.
    var endpoint: ServiceEndpoint
    /// The region requests are signed for (`us-east-1` for the global endpoint).
    var signingRegion: String
    var transport: any HTTPTransport
    var now: @Sendable () -> Date
    var timeouts = HTTPTimeouts(connect: 5, total: 20)
    /// Attempts per call, the first included; transient failures are retried.
    var maxAttempts = 3
    /// The first retry's delay in seconds; it doubles each time.
    var retryDelay = 0.2

    /// The region for STS: `flag`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    static func region(flag: String?, environment: [String: String], profile: SharedConfigSection?) -> String? {
        for candidate in [flag, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], profile?["region"]] {
            if let value = candidate?.trimmingASCIIWhitespace(), !value.isEmpty { return value }
        }
        return nil
    }

    /// A client for `region`, with the endpoint chosen as the type's summary says.
    ///
    /// - Parameters:
    ///   - region: the region, or `nil` for the global endpoint.
    ///   - environment: the process environment.
    ///   - configuration: the shared files, for the profile's endpoint settings.
    ///   - profile: the profile whose settings apply; the chosen one by default.
    ///   - transport: the HTTP transport.
    ///   - now: the wall clock, for signing.
    ///   - source: the credential source's name, for errors.
    /// - Throws: ``CredentialsError/Kind/failed`` for a malformed endpoint URL or region.
    static func resolve(
        region: String?, environment: [String: String], configuration: SharedConfiguration?,
        profile: SharedConfigSection? = nil, transport: any HTTPTransport, now: @escaping @Sendable () -> Date,
        source: String
    ) throws(CredentialsError) -> STSClient {
        let profile = profile ?? configuration?.selectedProfile
        let signingRegion = region ?? "us-east-1"
        let ignoreText =
            environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? profile?["ignore_configured_endpoint_urls"]
        if ignoreText?.trimmingASCIIWhitespace().lowercased() != "true" {
            let configured: [(String?, String)] = [
                (environment["AWS_ENDPOINT_URL_STS"], "AWS_ENDPOINT_URL_STS"),
                (environment["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL"),
                (configuration?.serviceSetting("sts", "endpoint_url", profile: profile), "the services section's sts endpoint_url"),
                (profile?["endpoint_url"], "the profile's endpoint_url"),
            ]
            for case (let value?, let name) in configured {
                let url = value.trimmingASCIIWhitespace()
                guard !url.isEmpty else { continue }
                guard let endpoint = ServiceEndpoint(url: url) else {
                    throw .failed(source, "\(name) is not an http or https URL with a host: \"\(url)\"")
                }
                return STSClient(endpoint: endpoint, signingRegion: signingRegion, transport: transport, now: now)
            }
        }
        guard let region else {
            return STSClient(
                endpoint: ServiceEndpoint(authority: "sts.amazonaws.com"), signingRegion: signingRegion,
                transport: transport, now: now)
        }
        guard EndpointResolver.isValidRegion(region) else {
            throw .failed(source, "invalid region \"\(region)\" for STS")
        }
        let fipsText = environment["AWS_USE_FIPS_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? profile?["use_fips_endpoint"]
        let fips = fipsText?.trimmingASCIIWhitespace().lowercased() == "true"
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return STSClient(
            endpoint: ServiceEndpoint(authority: "\(fips ? "sts-fips" : "sts").\(region).\(suffix)"),
            signingRegion: region, transport: transport, now: now)
    }

    // MARK: - Operations

    /// `AssumeRole`, signed with `credentials` (SigV4, service `sts`).
    ///
    /// - Parameters:
    ///   - roleARN: the role to assume.
    ///   - sessionName: `RoleSessionName`.
    ///   - externalID: `ExternalId`, if the role's trust policy asks for one.
    ///   - durationSeconds: `DurationSeconds`, if set (900 to 43200).
    ///   - credentials: the source identity's credentials.
    ///   - source: the credential source's name, for errors.
    /// - Returns: the role's temporary credentials.
    func assumeRole(
        roleARN: String, sessionName: String, externalID: String?, durationSeconds: Int?,
        credentials: AWSCredentials, source: String
    ) async throws(CredentialsError) -> AWSCredentials {
        var parameters = [
            ("Action", "AssumeRole"), ("Version", Self.apiVersion), ("RoleArn", roleARN), ("RoleSessionName", sessionName),
        ]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try await call("AssumeRole", parameters: parameters, signingCredentials: credentials, source: source)
    }

    /// `AssumeRoleWithWebIdentity`, unsigned: the web identity token is the proof.
    ///
    /// - Parameters:
    ///   - roleARN: the role to assume.
    ///   - sessionName: `RoleSessionName`.
    ///   - token: the OIDC token. Secret: never shown.
    ///   - durationSeconds: `DurationSeconds`, if set.
    ///   - source: the credential source's name, for errors.
    /// - Returns: the role's temporary credentials.
    func assumeRoleWithWebIdentity(
        roleARN: String, sessionName: String, token: String, durationSeconds: Int?, source: String
    ) async throws(CredentialsError) -> AWSCredentials {
        var parameters = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", Self.apiVersion), ("RoleArn", roleARN),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try await call("AssumeRoleWithWebIdentity", parameters: parameters, signingCredentials: nil, source: source)
    }

    // MARK: - The exchange

    /// The form-encoded body: `name=value` pairs joined by `&`, values percent-encoded
    /// (RFC 3986 unreserved characters left as they are).
    static func formBody(_ parameters: [(String, String)]) -> [UInt8] {
        Array(parameters.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&").utf8)
    }

    private func call(
        _ action: String, parameters: [(String, String)], signingCredentials: AWSCredentials?, source: String
    ) async throws(CredentialsError) -> AWSCredentials {
        var attempt = 1
        while true {
            let outcome = await exchange(action, parameters: parameters, signingCredentials: signingCredentials, source: source)
            switch outcome {
            case .success(let credentials):
                return credentials
            case .failure(let failure):
                guard failure.retryable, attempt < maxAttempts else { throw failure.error }
            }
            let delay = retryDelay * Double(1 << (attempt - 1))
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            attempt += 1
        }
    }

    private struct Failure: Error {
        var error: CredentialsError
        var retryable: Bool
    }

    private func exchange(
        _ action: String, parameters: [(String, String)], signingCredentials: AWSCredentials?, source: String
    ) async -> Result<AWSCredentials, Failure> {
        var request = endpoint.request(
            method: "POST", path: "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "text/xml"],
            body: Self.formBody(parameters))
        if let signingCredentials {
            request = SigV4Signer(credentials: signingCredentials, region: signingRegion, service: "sts")
                .sign(request, at: now())
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(request, timeouts: timeouts)
        } catch {
            let retryable = error.kind != .tls && error.kind != .invalidRequest
            return .failure(
                Failure(error: .failed(source, "cannot reach STS at \(endpoint): \(error.message)"), retryable: retryable))
        }
        let root = STSXMLElement.parse(response.body)
        guard response.isSuccess else {
            let code = root?.text(of: "Code")
            let message = root?.text(of: "Message")
            let requestID = root?.text(of: "RequestId") ?? response.headers["x-amzn-RequestId"]
            var reason = "STS \(action) failed with HTTP \(response.status)"
            if let code { reason += ": \(code)" }
            if let message { reason += ": \(message)" }
            if let requestID { reason += " (request id \(requestID))" }
            let retryableCodes: Set<String> = [
                "Throttling", "ThrottlingException", "RequestLimitExceeded", "IDPCommunicationError", "ServiceUnavailable",
                "InternalFailure",
            ]
            let retryable = response.status >= 500 || response.status == 429 || code.map(retryableCodes.contains) == true
            return .failure(Failure(error: .failed(source, reason), retryable: retryable))
        }
        guard let credentialsElement = root?.descendant("Credentials"),
            let accessKeyId = credentialsElement.text(of: "AccessKeyId"),
            let secretAccessKey = credentialsElement.text(of: "SecretAccessKey"),
            let sessionToken = credentialsElement.text(of: "SessionToken")
        else {
            return .failure(
                Failure(
                    error: .failed(source, "STS \(action) answered HTTP \(response.status) without credentials"),
                    retryable: false))
        }
        var expiration: Date?
        if let text = credentialsElement.text(of: "Expiration") {
            guard let date = ISO8601Timestamp.parse(text) else {
                return .failure(
                    Failure(error: .failed(source, "STS \(action) returned an Expiration that is not a timestamp"), retryable: false))
            }
            expiration = date
        }
        return .success(
            AWSCredentials(
                accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken,
                expiration: expiration))
    }
}
