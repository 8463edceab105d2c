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
///
/// Calls go through ``AWSServiceClient``: the SDKs' standard retries, and errors decoded
/// from the Query protocol's XML with their messages redacted.
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
        return try await call(
            STSAssumeRole(parameters: parameters),
            authentication: .sigV4(service: "sts", credentials: StaticCredentialProvider(credentials)), source: source)
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
        return try await call(STSAssumeRoleWithWebIdentity(parameters: parameters), authentication: .none, source: source)
    }

    // MARK: - The exchange

    /// The form-encoded body: `name=value` pairs joined by `&`, values percent-encoded
    /// (RFC 3986 unreserved characters left as they are).
    static func formBody(_ parameters: [(String, String)]) -> [UInt8] {
        Array(parameters.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&").utf8)
    }

    /// Sends one action through the shared attempt loop (standard retries, STS's XML errors)
    /// and words its failure as a credential source's.
    private func call<Operation: AWSOperation>(
        _ operation: Operation, authentication: RequestAuthentication, source: String
    ) async throws(CredentialsError) -> Operation.Response {
        let service = AWSServiceClient(
            region: signingRegion, endpoint: endpoint, transport: transport, clock: WallClock(read: now),
            timeouts: timeouts)
        let action = Operation.operationName
        do {
            return try await service.send(operation, authentication: authentication)
        } catch {
            switch error.reason {
            case .service(let failure):
                var reason = "STS \(action) failed with HTTP \(failure.httpStatus)"
                if let code = failure.code { reason += ": \(code)" }
                if let message = failure.message { reason += ": \(message)" }
                if let requestID = failure.requestId { reason += " (request id \(requestID))" }
                throw .failed(source, reason)
            case .transport(let failure):
                throw .failed(source, "cannot reach STS at \(endpoint): \(failure.message)")
            case .malformedResponse(let failure):
                throw .failed(source, "STS \(action) answered HTTP \(failure.status) \(failure.detail)")
            case .credentials(let failure):
                throw failure
            case .idempotencyToken, .cancelled:
                throw .failed(source, "STS \(action) failed: \(error.message)")
            }
        }
    }

    /// The wall clock of a credential context, with `Task.sleep` for the waits between
    /// attempts.
    private struct WallClock: AWSClock {
        let read: @Sendable () -> Date

        func now() -> Date { read() }

        func sleep(seconds: Double) async throws {
            try await SystemAWSClock().sleep(seconds: seconds)
        }
    }
}

/// An STS Query action: a form-encoded `POST /` answered in XML with `Credentials`.
protocol STSCredentialsAction: AWSOperation where Response == AWSCredentials {
    /// The form parameters, `Action` and `Version` first.
    var parameters: [(String, String)] { get }
}

extension STSCredentialsAction {
    /// `POST /` with the form body.
    func httpRequest(endpoint: ServiceEndpoint) -> HTTPRequest {
        endpoint.request(
            method: "POST", path: "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "text/xml"],
            body: STSClient.formBody(parameters))
    }

    /// The `Credentials` of the XML answer.
    static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> AWSCredentials {
        let root = STSXMLElement.parse(response.body)
        guard let credentialsElement = root?.descendant("Credentials"),
            let accessKeyId = credentialsElement.text(of: "AccessKeyId"),
            let secretAccessKey = credentialsElement.text(of: "SecretAccessKey"),
            let sessionToken = credentialsElement.text(of: "SessionToken")
        else {
            throw AWSProtocolError(operation: operationName, status: response.status, detail: "without credentials")
        }
        var expiration: Date?
        if let text = credentialsElement.text(of: "Expiration") {
            guard let date = ISO8601Timestamp.parse(text) else {
                throw AWSProtocolError(
                    operation: operationName, status: response.status,
                    detail: "with an Expiration that is not a timestamp")
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken, expiration: expiration)
    }

    /// The Query protocol's XML `ErrorResponse`.
    static func decodeError(_ response: HTTPResponse) -> AWSServiceError {
        AWSServiceError(queryResponse: response, operation: operationName)
    }
}

/// STS `AssumeRole`.
struct STSAssumeRole: STSCredentialsAction {
    static var operationName: String { "AssumeRole" }
    var parameters: [(String, String)]
}

/// STS `AssumeRoleWithWebIdentity`; its parameters hold the web identity token.
struct STSAssumeRoleWithWebIdentity: STSCredentialsAction {
    static var operationName: String { "AssumeRoleWithWebIdentity" }
    var parameters: [(String, String)]
}
