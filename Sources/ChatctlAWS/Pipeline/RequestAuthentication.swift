public import Foundation

/// How an ``AWSServiceClient`` proves who is calling, chosen per call: SigV4 for a named
/// service (Amazon Connect, STS `AssumeRole`), a bearer token in a header (the Amazon
/// Connect Participant Service's `X-Amz-Bearer`), or nothing (STS
/// `AssumeRoleWithWebIdentity`, whose token travels in the body).
public enum RequestAuthentication: Sendable, CustomStringConvertible {
    /// AWS Signature Version 4 for `service` (the model's `signingName`, for example
    /// `connect`) in the client's region, with credentials asked of `credentials` before
    /// every attempt (the provider caches and refreshes them).
    case sigV4(service: String, credentials: any CredentialProvider)
    /// A token sent as the value of `header`, for example `X-Amz-Bearer`; the request is
    /// not signed. The header is redacted in logs (``HTTPHeaders/sensitiveNames``).
    case bearer(header: String, token: Sensitive<String>)
    /// No authentication.
    case none

    /// The SigV4 service name, when this is SigV4.
    public var signingService: String? {
        if case .sigV4(let service, _) = self { return service }
        return nil
    }

    /// `SigV4 (service connect)`, `bearer (X-Amz-Bearer)` or `none`; never the token.
    public var description: String {
        switch self {
        case .sigV4(let service, _): "SigV4 (service \(service))"
        case .bearer(let header, _): "bearer (\(header))"
        case .none: "none"
        }
    }

    /// `request` made ready to send at `time` (UTC instant, already corrected for skew).
    ///
    /// - Parameters:
    ///   - request: the unsigned request.
    ///   - region: the signing region.
    ///   - time: the signing time.
    ///   - keyCache: where derived SigV4 keys are kept.
    /// - Returns: the signed request, or the request with its bearer header.
    /// - Throws: ``CredentialsError`` when SigV4 credentials cannot be had.
    func authorize(
        _ request: HTTPRequest, region: String, at time: Date, keyCache: SigningKeyCache
    ) async throws(CredentialsError) -> HTTPRequest {
        switch self {
        case .sigV4(let service, let provider):
            let credentials = try await provider.credentials()
            return SigV4Signer(credentials: credentials, region: region, service: service, keyCache: keyCache)
                .sign(request, at: time)
        case .bearer(let header, let token):
            var request = request
            request.headers.replaceOrAdd(name: header, value: token.value)
            return request
        case .none:
            return request
        }
    }
}
