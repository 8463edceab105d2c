/// Everything one SigV4 signing produced: each intermediate step and the signed request.
///
/// The canonical request and string to sign hold no secret (AWS itself returns them in
/// `InvalidSignatureException` messages); the signature is a per-request MAC, not a key.
public struct SigV4SigningResult: Sendable, Equatable {
    /// Step 1: the canonical request.
    public var canonicalRequest: CanonicalRequest
    /// Step 2: the string to sign.
    public var stringToSign: String
    /// Step 4: the lowercase hex signature.
    public var signature: String
    /// The credential scope the signature belongs to.
    public var scope: CredentialScope
    /// The signing time.
    public var timestamp: SigV4Timestamp
    /// The request with the signature applied: the `Authorization` header (header mode) or
    /// the `X-Amz-*` query parameters (query mode). For verification, the request as received.
    public var signedRequest: HTTPRequest
}
