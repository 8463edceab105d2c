public import Foundation

/// What a successful verification learned about the caller.
public struct SigV4VerifiedCaller: Sendable, Equatable {
    /// The access key id that signed.
    public var accessKeyId: String
    /// The credential scope of the signature.
    public var scope: CredentialScope
    /// The request's `X-Amz-Security-Token`, if it sent one. Secret.
    public var sessionToken: String?
    /// The signing time.
    public var timestamp: SigV4Timestamp
}

/// Checks the SigV4 `Authorization` header of a received request, the way an AWS endpoint
/// does; the emulator uses it with the same code that signs requests.
///
/// Verification parses the header, looks up the secret for its access key id, checks the
/// scope and the clock, then recomputes the signature with
/// ``SigV4Signer/expectedSignature(for:signedHeaders:timestamp:scope:secretAccessKey:payloadHash:options:)``
/// and compares it in constant time.
public struct SigV4Verifier: Sendable {
    /// The signing name the scope must carry, for example `connect`.
    public var service: String
    /// The region the scope must carry; `nil` accepts any region.
    public var region: String?
    /// How far, in seconds, the request time may be from the server clock either way.
    /// AWS allows 5 minutes (300 s).
    public var allowedSkew: Int
    /// Path and payload switches; the defaults suit every service but S3.
    public var options: SigV4Signer.Options
    private let secretAccessKey: @Sendable (String) -> String?

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - service: the signing name the scope must carry.
    ///   - region: the region the scope must carry, or `nil` for any.
    ///   - allowedSkew: the allowed clock difference in seconds (default 300).
    ///   - options: path and payload switches.
    ///   - secretAccessKey: returns the secret for an access key id, or `nil` when unknown.
    public init(
        service: String, region: String?, allowedSkew: Int = 300, options: SigV4Signer.Options = .init(),
        secretAccessKey: @escaping @Sendable (String) -> String?
    ) {
        self.service = service
        self.region = region
        self.allowedSkew = allowedSkew
        self.options = options
        self.secretAccessKey = secretAccessKey
    }

    /// Verifies the signature of `request`.
    ///
    /// - Parameters:
    ///   - request: the request as received, body included.
    ///   - now: the server's current time (UTC instant).
    /// - Returns: the caller's access key id, scope and session token.
    /// - Throws: ``SigV4VerificationError`` naming the first check that failed.
    public func verify(_ request: HTTPRequest, now: Date) throws(SigV4VerificationError) -> SigV4VerifiedCaller {
        guard let header = request.headers["authorization"] else {
            throw .missingAuthentication
        }
        let authorization = try SigV4Authorization(parsing: header)
        guard let dateValue = request.headers["x-amz-date"] else {
            throw .missingOrMalformedDate(nil)
        }
        guard let timestamp = SigV4Timestamp(amzDate: dateValue.trimmingASCIIWhitespace()) else {
            throw .missingOrMalformedDate(dateValue)
        }
        guard authorization.signedHeaders.contains("host") else {
            throw .incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
        let scope = authorization.scope
        guard scope.dateStamp == timestamp.dateStamp else {
            throw .invalidScope(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope.dateStamp)' != '\(timestamp.dateStamp)', from '\(timestamp.amzDate)'.")
        }
        guard scope.service == service else {
            throw .invalidScope("Credential should be scoped to correct service: '\(service)'.")
        }
        if let region, scope.region != region {
            throw .invalidScope("Credential should be scoped to a valid region.")
        }
        let serverTime = SigV4Timestamp(now)
        guard abs(timestamp.date.timeIntervalSince(serverTime.date)) <= TimeInterval(allowedSkew) else {
            throw .requestTimeTooSkewed(requestTime: timestamp, serverTime: serverTime, allowedSeconds: allowedSkew)
        }
        guard let secret = secretAccessKey(authorization.accessKeyId) else {
            throw .unknownAccessKey(authorization.accessKeyId)
        }
        let expected = SigV4Signer.expectedSignature(
            for: request, signedHeaders: authorization.signedHeaders, timestamp: timestamp, scope: scope,
            secretAccessKey: secret, payloadHash: payloadHash(of: request), options: options)
        guard Self.constantTimeEquals(expected.signature, authorization.signature.lowercased()) else {
            throw .signatureMismatch(expected: expected)
        }
        return SigV4VerifiedCaller(
            accessKeyId: authorization.accessKeyId, scope: scope, sessionToken: request.headers["x-amz-security-token"],
            timestamp: timestamp)
    }

    /// The payload hash the server uses: the body's, or `UNSIGNED-PAYLOAD` when the client
    /// declared so in `X-Amz-Content-SHA256` and the options allow unsigned payloads.
    private func payloadHash(of request: HTTPRequest) -> String {
        if options.payloadSigning == .unsigned,
            request.headers["x-amz-content-sha256"]?.trimmingASCIIWhitespace() == SigV4Signer.unsignedPayload
        {
            return SigV4Signer.unsignedPayload
        }
        return SigV4Signer.payloadHash(of: request, signing: .bodyHash)
    }

    /// Compares two strings without stopping at the first difference, so the time taken
    /// does not reveal how much of a guessed signature was right.
    static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        let leftBytes = Array(left.utf8)
        let rightBytes = Array(right.utf8)
        guard leftBytes.count == rightBytes.count else { return false }
        var difference: UInt8 = 0
        for index in leftBytes.indices {
            difference |= leftBytes[index] ^ rightBytes[index]
        }
        return difference == 0
    }
}
