/// A SigV4 signing key: the secret access key folded through HMAC-SHA256 with the date
/// stamp, region, service and `aws4_request`, valid for that scope only.
///
/// See [Calculate the signature: derive a signing key](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key).
/// The key is secret material: its ``description`` is redacted.
public struct SigningKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The 32 key bytes. Secret: never print or log them.
    public let bytes: [UInt8]
    /// The scope the key signs for.
    public let scope: CredentialScope

    /// Derives the key:
    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, dateStamp), region), service), "aws4_request")`.
    ///
    /// - Parameters:
    ///   - secretAccessKey: the secret access key.
    ///   - scope: the date stamp, region and service.
    public init(secretAccessKey: String, scope: CredentialScope) {
        let dateKey = HMACSHA256.authenticationCode(key: Array("AWS4\(secretAccessKey)".utf8), message: scope.dateStamp)
        let regionKey = HMACSHA256.authenticationCode(key: dateKey, message: scope.region)
        let serviceKey = HMACSHA256.authenticationCode(key: regionKey, message: scope.service)
        self.bytes = HMACSHA256.authenticationCode(key: serviceKey, message: "aws4_request")
        self.scope = scope
    }

    /// `SigningKey(scope: …, bytes: (redacted))`.
    public var description: String {
        "SigningKey(scope: \(scope), bytes: (redacted))"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror with the key bytes redacted.
    public var customMirror: Mirror {
        Mirror(self, children: ["scope": scope.description, "bytes": "(redacted)"], displayStyle: .struct)
    }
}
