/// Why a server rejected a request's SigV4 signature, with the error code, HTTP status and
/// message text AWS services use for the same failure.
public enum SigV4VerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `Authorization` header. (Presigned, query-string authentication is not verified.)
    case missingAuthentication
    /// The `Authorization` value names another scheme, such as `AWS4-ECDSA-P256-SHA256`.
    case unsupportedAlgorithm(String)
    /// A required part of the signature is missing or malformed; the text says which.
    case incompleteSignature(String)
    /// No `X-Amz-Date` header, or one that is not `yyyyMMdd'T'HHmmss'Z'`.
    case missingOrMalformedDate(String?)
    /// The access key id is not one the server knows.
    case unknownAccessKey(String)
    /// The credential scope names another date, region or service; the text says which.
    case invalidScope(String)
    /// The request time is further from the server's clock than allowed.
    case requestTimeTooSkewed(requestTime: SigV4Timestamp, serverTime: SigV4Timestamp, allowedSeconds: Int)
    /// The signature differs from the one the server computed; the expected steps are attached
    /// so that the message can show the canonical request, as AWS does.
    case signatureMismatch(expected: SigV4SigningResult)

    /// The AWS error code: `MissingAuthenticationTokenException`, `IncompleteSignatureException`,
    /// `UnrecognizedClientException` or `InvalidSignatureException`.
    public var code: String {
        switch self {
        case .missingAuthentication:
            return "MissingAuthenticationTokenException"
        case .unsupportedAlgorithm, .incompleteSignature, .missingOrMalformedDate:
            return "IncompleteSignatureException"
        case .unknownAccessKey:
            return "UnrecognizedClientException"
        case .invalidScope, .requestTimeTooSkewed, .signatureMismatch:
            return "InvalidSignatureException"
        }
    }

    /// The HTTP status AWS answers with: 400 for an incomplete signature, 403 otherwise.
    public var httpStatus: Int {
        switch self {
        case .unsupportedAlgorithm, .incompleteSignature, .missingOrMalformedDate:
            return 400
        default:
            return 403
        }
    }

    /// The message, worded like the AWS service's own (which, unlike chatctl's diagnostics,
    /// starts with a capital and ends with a period). A signature mismatch includes the
    /// expected canonical request and string to sign, which hold no secret.
    public var message: String {
        switch self {
        case .missingAuthentication:
            return "Missing Authentication Token"
        case .unsupportedAlgorithm(let name):
            return "Unsupported AWS 'algorithm': '\(name)'."
        case .incompleteSignature(let detail):
            return detail
        case .missingOrMalformedDate(let value):
            if let value {
                return "X-Amz-Date must be in the ISO8601 Long Format (yyyyMMdd'T'HHmmss'Z'): '\(value)'."
            }
            return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        case .unknownAccessKey:
            return "The security token included in the request is invalid."
        case .invalidScope(let detail):
            return detail
        case .requestTimeTooSkewed(let requestTime, let serverTime, let allowed):
            return "Signature expired: \(requestTime) is now earlier than \(serverTime) minus \(allowed) seconds, "
                + "or later than it plus \(allowed) seconds."
        case .signatureMismatch(let expected):
            return "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
                + "The Canonical String for this request should have been\n'\(expected.canonicalRequest.text)'\n\n"
                + "The String-to-Sign should have been\n'\(expected.stringToSign)'\n"
        }
    }

    /// `<code>: <message>`.
    public var description: String {
        "\(code): \(message)"
    }
}
