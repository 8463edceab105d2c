/// The parts of a SigV4 `Authorization` header value:
/// `AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<a;b>, Signature=<hex>`.
///
/// See [Authentication methods: the Authorization header](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request).
public struct SigV4Authorization: Sendable, Equatable {
    /// The access key id of the signer.
    public var accessKeyId: String
    /// The credential scope.
    public var scope: CredentialScope
    /// The lower-case names of the signed headers, in the order listed.
    public var signedHeaders: [String]
    /// The lowercase hex signature.
    public var signature: String

    /// Creates the parts.
    public init(accessKeyId: String, scope: CredentialScope, signedHeaders: [String], signature: String) {
        self.accessKeyId = accessKeyId
        self.scope = scope
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// Parses an `Authorization` header value. Parameters may come in any order and with or
    /// without spaces after the commas.
    ///
    /// - Throws: ``SigV4VerificationError`` `.unsupportedAlgorithm` when the value does not start
    ///   with `AWS4-HMAC-SHA256`, `.incompleteSignature` when a parameter is missing or malformed.
    public init(parsing value: String) throws(SigV4VerificationError) {
        let trimmed = value.trimmingASCIIWhitespace()
        let prefix = SigV4Signer.algorithm + " "
        guard trimmed.hasPrefix(prefix) else {
            throw .unsupportedAlgorithm(String(trimmed.prefix { $0 != " " }))
        }
        var fields: [String: String] = [:]
        for part in trimmed.dropFirst(prefix.count).split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else { continue }
            fields[pieces[0].trimmingASCIIWhitespace()] = pieces[1].trimmingASCIIWhitespace()
        }
        for name in ["Credential", "SignedHeaders", "Signature"] where (fields[name] ?? "").isEmpty {
            throw .incompleteSignature("authorization header requires '\(name)' parameter")
        }
        let credential = fields["Credential"] ?? ""
        guard let slash = credential.firstIndex(of: "/"),
            let scope = CredentialScope(parsing: credential[credential.index(after: slash)...])
        else {
            throw .incompleteSignature(
                "credential should be scoped to a valid date, region and service: '\(credential)'")
        }
        self.accessKeyId = String(credential[..<slash])
        self.scope = scope
        self.signedHeaders = (fields["SignedHeaders"] ?? "").split(separator: ";").map { $0.lowercased() }
        self.signature = fields["Signature"] ?? ""
    }

    /// The header value, with `, ` between parameters as the AWS SDKs write it.
    public var headerValue: String {
        "\(SigV4Signer.algorithm) Credential=\(accessKeyId)/\(scope), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }
}
