public import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`).
///
/// The signer is a pure value: the signing time is passed in, so the same inputs always give
/// the same signature. Each step of the algorithm is a function named after it in the AWS
/// documentation — ``canonicalRequest(for:signedHeaders:payloadHash:options:)``,
/// ``stringToSign(canonicalRequest:timestamp:scope:)``, ``signingKey(for:)`` and
/// ``signature(signingKey:stringToSign:)`` — so that a server (the emulator) can recompute and
/// compare each of them; see ``expectedSignature(for:signedHeaders:timestamp:scope:secretAccessKey:payloadHash:options:)``.
///
/// See [Create a signed AWS API request](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
public struct SigV4Signer: Sendable {
    /// The algorithm name that starts the `Authorization` value and the string to sign.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The hex SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash that marks a body as not signed (S3 and presigned URLs only).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// How the last line of the canonical request (the payload hash) is obtained.
    public enum PayloadSigning: Sendable, Equatable {
        /// The hex SHA-256 of the request body (the default; what Connect needs).
        case bodyHash
        /// The literal `UNSIGNED-PAYLOAD`.
        case unsigned
        /// A hash computed elsewhere, used as given.
        case precomputed(String)
    }

    /// Signing switches. The defaults are right for every AWS service except S3.
    public struct Options: Sendable, Equatable {
        /// Remove `.`/`..` segments and collapse repeated `/` in the path before encoding.
        /// Default `true`; S3 uses `false`.
        public var normalizesPath: Bool
        /// Percent-encode the (already encoded) path once more. Default `true`; S3 uses `false`.
        public var doubleEncodesPath: Bool
        /// Where the payload hash comes from. Default ``PayloadSigning/bodyHash``.
        public var payloadSigning: PayloadSigning
        /// Add and sign an `X-Amz-Content-SHA256` header carrying the payload hash (header
        /// mode only). Default `false`; S3 requires it.
        public var addsContentSHA256Header: Bool
        /// Leave the session token out of the signature and add it only after signing (as
        /// some services, such as IoT, expect). Default `false`: the token is signed.
        public var omitsSessionToken: Bool
        /// Lower-case names of headers never signed, because proxies, the transport or
        /// tracing may add or rewrite them.
        public var unsignedHeaders: Set<String>

        /// Headers left unsigned by default: hop-by-hop headers, `Authorization` itself,
        /// `User-Agent`, `Expect` and `X-Amzn-Trace-Id`.
        public static let defaultUnsignedHeaders: Set<String> = [
            "authorization", "connection", "expect", "keep-alive", "proxy-authorization", "te", "trailer",
            "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
        ]

        /// Creates options; every parameter has the non-S3 default.
        public init(
            normalizesPath: Bool = true, doubleEncodesPath: Bool = true, payloadSigning: PayloadSigning = .bodyHash,
            addsContentSHA256Header: Bool = false, omitsSessionToken: Bool = false,
            unsignedHeaders: Set<String> = Options.defaultUnsignedHeaders
        ) {
            self.normalizesPath = normalizesPath
            self.doubleEncodesPath = doubleEncodesPath
            self.payloadSigning = payloadSigning
            self.addsContentSHA256Header = addsContentSHA256Header
            self.omitsSessionToken = omitsSessionToken
            self.unsignedHeaders = unsignedHeaders
        }
    }

    /// The credentials that sign.
    public var credentials: AWSCredentials
    /// The region of the credential scope, for example `us-east-1`.
    public var region: String
    /// The signing name of the service, for example `connect`.
    public var service: String
    /// The signing switches.
    public var options: Options
    private let keyCache: SigningKeyCache

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - credentials: the access key pair (and session token) that sign.
    ///   - region: the region of the credential scope.
    ///   - service: the service's signing name.
    ///   - options: the signing switches.
    ///   - keyCache: where derived signing keys are kept between requests.
    public init(
        credentials: AWSCredentials, region: String, service: String, options: Options = Options(),
        keyCache: SigningKeyCache = .shared
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
        self.keyCache = keyCache
    }

    // MARK: - Signing

    /// Signs `request` with an `Authorization` header.
    ///
    /// Adds `Host` (when missing), `X-Amz-Date`, `X-Amz-Security-Token` (with session
    /// credentials), `X-Amz-Content-SHA256` (when ``Options/addsContentSHA256Header``) and
    /// `Authorization`, replacing any left from an earlier signing, so a retried request can
    /// be signed again.
    ///
    /// - Parameters:
    ///   - request: the request to sign.
    ///   - date: the signing time (UTC instant; truncated to whole seconds).
    /// - Returns: the signed request.
    public func sign(_ request: HTTPRequest, at date: Date) -> HTTPRequest {
        signing(request, at: date).signedRequest
    }

    /// Signs `request` with an `Authorization` header and returns every intermediate step.
    ///
    /// - Parameters:
    ///   - request: the request to sign.
    ///   - date: the signing time (UTC instant; truncated to whole seconds).
    /// - Returns: the canonical request, string to sign, signature and signed request.
    public func signing(_ request: HTTPRequest, at date: Date) -> SigV4SigningResult {
        let timestamp = SigV4Timestamp(date)
        let scope = CredentialScope(dateStamp: timestamp.dateStamp, region: region, service: service)
        var request = request
        for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
            request.headers.remove(name: name)
        }
        if !request.headers.contains(name: "host") {
            request.headers.add(name: "Host", value: request.hostHeaderValue)
        }
        let payloadHash = Self.payloadHash(of: request, signing: options.payloadSigning)
        if options.addsContentSHA256Header {
            request.headers.replaceOrAdd(name: "X-Amz-Content-SHA256", value: payloadHash)
        }
        request.headers.add(name: "X-Amz-Date", value: timestamp.amzDate)
        if let token = credentials.sessionToken, !options.omitsSessionToken {
            request.headers.add(name: "X-Amz-Security-Token", value: token)
        }

        let signedNames = Self.signableHeaderNames(of: request.headers, options: options)
        let canonical = Self.canonicalRequest(
            for: request, signedHeaders: signedNames, payloadHash: payloadHash, options: options)
        let stringToSign = Self.stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        let signature = Self.signature(signingKey: signingKey(for: scope), stringToSign: stringToSign)

        let authorization = SigV4Authorization(
            accessKeyId: credentials.accessKeyId, scope: scope,
            signedHeaders: canonical.canonicalHeaders.map(\.name), signature: signature)
        request.headers.add(name: "Authorization", value: authorization.headerValue)
        if let token = credentials.sessionToken, options.omitsSessionToken {
            request.headers.add(name: "X-Amz-Security-Token", value: token)
        }
        return SigV4SigningResult(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature, scope: scope,
            timestamp: timestamp, signedRequest: request)
    }

    /// Presigns `request`: the signature goes in the query string, so the URL alone
    /// authorises the request until it expires.
    ///
    /// - Parameters:
    ///   - request: the request to presign; its query is kept and the `X-Amz-*` parameters appended.
    ///   - date: the signing time (UTC instant; truncated to whole seconds).
    ///   - expiresIn: how long the URL stays valid, in seconds (1 to 604800).
    /// - Returns: the presigned request.
    public func presign(_ request: HTTPRequest, at date: Date, expiresIn: Int) -> HTTPRequest {
        presigning(request, at: date, expiresIn: expiresIn).signedRequest
    }

    /// Presigns `request` (query-string signing) and returns every intermediate step.
    ///
    /// The canonical query holds `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders` and, with session credentials,
    /// `X-Amz-Security-Token`; `X-Amz-Signature` is appended after signing. No `X-Amz-Date`
    /// header is added. See [Authentication methods: query parameters](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request).
    ///
    /// - Parameters:
    ///   - request: the request to presign.
    ///   - date: the signing time.
    ///   - expiresIn: validity in seconds (1 to 604800).
    /// - Returns: the canonical request, string to sign, signature and presigned request.
    public func presigning(_ request: HTTPRequest, at date: Date, expiresIn: Int) -> SigV4SigningResult {
        let timestamp = SigV4Timestamp(date)
        let scope = CredentialScope(dateStamp: timestamp.dateStamp, region: region, service: service)
        var request = request
        request.headers.remove(name: "authorization")
        if !request.headers.contains(name: "host") {
            request.headers.add(name: "Host", value: request.hostHeaderValue)
        }
        let payloadHash = Self.payloadHash(of: request, signing: options.payloadSigning)
        let signedNames = Self.signableHeaderNames(of: request.headers, options: options)

        var parameters: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope)"),
            ("X-Amz-Date", timestamp.amzDate),
            ("X-Amz-SignedHeaders", signedNames.joined(separator: ";")),
            ("X-Amz-Expires", String(min(max(expiresIn, 1), 604_800))),
        ]
        if let token = credentials.sessionToken, !options.omitsSessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        var canonical = Self.canonicalRequest(
            for: request, signedHeaders: signedNames, payloadHash: payloadHash, options: options)
        canonical.canonicalQueryString = CanonicalRequest.canonicalQueryString(
            query: request.query, additionalParameters: parameters)
        let stringToSign = Self.stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        let signature = Self.signature(signingKey: signingKey(for: scope), stringToSign: stringToSign)

        if let token = credentials.sessionToken, options.omitsSessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        parameters.append(("X-Amz-Signature", signature))
        let appended = parameters.map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value))" }
        let original = (request.query ?? "").isEmpty ? [] : [request.query ?? ""]
        request.query = (original + appended).joined(separator: "&")
        return SigV4SigningResult(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature, scope: scope,
            timestamp: timestamp, signedRequest: request)
    }

    // MARK: - The steps

    /// Step 1: the canonical request of `request`, signing exactly `signedHeaders`.
    ///
    /// See [Create a canonical request](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request).
    ///
    /// - Parameters:
    ///   - request: the request, with every header that is to be signed already present.
    ///   - signedHeaders: the names to sign (any case); a name missing from `request` is
    ///     signed with an empty value, as a server verifying a request must do.
    ///   - payloadHash: the last line, usually the hex SHA-256 of the body.
    ///   - options: path normalisation and encoding switches.
    /// - Returns: the canonical request.
    public static func canonicalRequest(
        for request: HTTPRequest, signedHeaders: [String], payloadHash: String, options: Options = Options()
    ) -> CanonicalRequest {
        let wanted = Set(signedHeaders.map { $0.trimmingASCIIWhitespace().lowercased() })
        var headers = CanonicalRequest.canonicalHeaders(request.headers) { wanted.contains($0) }
        let present = Set(headers.map(\.name))
        for name in wanted.subtracting(present) {
            headers.append(HTTPHeader(name: name, value: ""))
        }
        headers.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return CanonicalRequest(
            method: request.method.uppercased(),
            canonicalURI: CanonicalRequest.canonicalURI(
                path: request.path, normalize: options.normalizesPath, doubleEncode: options.doubleEncodesPath),
            canonicalQueryString: CanonicalRequest.canonicalQueryString(query: request.query),
            canonicalHeaders: headers,
            payloadHash: payloadHash)
    }

    /// Step 2: the string to sign, four lines joined by `\n`: the algorithm, the
    /// `X-Amz-Date`, the credential scope and the hex SHA-256 of the canonical request.
    ///
    /// See [Create a string to sign](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign).
    ///
    /// - Parameters:
    ///   - canonicalRequest: the canonical request of step 1.
    ///   - timestamp: the signing time.
    ///   - scope: the credential scope.
    /// - Returns: the string to sign, with no trailing newline.
    public static func stringToSign(
        canonicalRequest: CanonicalRequest, timestamp: SigV4Timestamp, scope: CredentialScope
    ) -> String {
        [algorithm, timestamp.amzDate, scope.description, canonicalRequest.hashedText].joined(separator: "\n")
    }

    /// Step 3: the signing key for `scope` from this signer's secret key, taken from the
    /// signer's cache when it was derived before.
    ///
    /// See [Derive a signing key](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key).
    ///
    /// - Parameter scope: the date stamp, region and service.
    /// - Returns: the derived key.
    public func signingKey(for scope: CredentialScope) -> SigningKey {
        keyCache.signingKey(for: credentials, scope: scope)
    }

    /// Step 4: the signature, the lowercase hex HMAC-SHA256 of the string to sign under the
    /// signing key.
    ///
    /// See [Calculate the signature](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#calculate-signature).
    ///
    /// - Parameters:
    ///   - signingKey: the key of step 3.
    ///   - stringToSign: the string of step 2.
    /// - Returns: 64 lowercase hex digits.
    public static func signature(signingKey: SigningKey, stringToSign: String) -> String {
        hex(HMACSHA256.authenticationCode(key: signingKey.bytes, message: stringToSign))
    }

    // MARK: - Verification

    /// What the signature of a received request should be, for a server that verifies
    /// requests (the emulator): each step recomputed from the request as received, the
    /// header names its `Authorization` lists and the time in its `X-Amz-Date`.
    ///
    /// - Parameters:
    ///   - request: the request as received, `Authorization` header included (it is not signed).
    ///   - signedHeaders: the `SignedHeaders` names from the `Authorization` header.
    ///   - timestamp: the request's `X-Amz-Date`.
    ///   - scope: the credential scope from the `Authorization` header.
    ///   - secretAccessKey: the secret the server holds for the request's access key id.
    ///   - payloadHash: the payload hash to use; `nil` hashes the body as received.
    ///   - options: path normalisation and encoding switches (defaults suit all but S3).
    /// - Returns: the expected canonical request, string to sign and signature; its
    ///   `signedRequest` is `request` unchanged.
    public static func expectedSignature(
        for request: HTTPRequest, signedHeaders: [String], timestamp: SigV4Timestamp, scope: CredentialScope,
        secretAccessKey: String, payloadHash: String? = nil, options: Options = Options()
    ) -> SigV4SigningResult {
        let hash = payloadHash ?? SHA256.hexDigest(request.body)
        let canonical = canonicalRequest(for: request, signedHeaders: signedHeaders, payloadHash: hash, options: options)
        let stringToSign = stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        let key = SigningKey(secretAccessKey: secretAccessKey, scope: scope)
        return SigV4SigningResult(
            canonicalRequest: canonical, stringToSign: stringToSign,
            signature: signature(signingKey: key, stringToSign: stringToSign), scope: scope,
            timestamp: timestamp, signedRequest: request)
    }

    // MARK: - Helpers

    /// The payload hash for `request` under `signing`.
    static func payloadHash(of request: HTTPRequest, signing: PayloadSigning) -> String {
        switch signing {
        case .bodyHash:
            return request.body.isEmpty ? emptyPayloadHash : SHA256.hexDigest(request.body)
        case .unsigned:
            return unsignedPayload
        case .precomputed(let hash):
            return hash
        }
    }

    /// The sorted, distinct lower-case names of the headers that get signed.
    static func signableHeaderNames(of headers: HTTPHeaders, options: Options) -> [String] {
        let names = Set(headers.map { $0.name.trimmingASCIIWhitespace().lowercased() })
        return names.subtracting(options.unsignedHeaders).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
