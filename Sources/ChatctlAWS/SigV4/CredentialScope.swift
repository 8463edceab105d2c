/// The credential scope of a SigV4 signature: `yyyyMMdd/region/service/aws4_request`.
///
/// See [Elements of an AWS API request signature: credential scope](https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html#authentication).
public struct CredentialScope: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The UTC date stamp `yyyyMMdd`.
    public var dateStamp: String
    /// The region, for example `us-east-1`.
    public var region: String
    /// The signing name of the service, for example `connect`.
    public var service: String

    /// Creates a scope.
    public init(dateStamp: String, region: String, service: String) {
        self.dateStamp = dateStamp
        self.region = region
        self.service = service
    }

    /// Parses `yyyyMMdd/region/service/aws4_request`, as found after the access key id in
    /// the `Credential` of an `Authorization` header.
    ///
    /// - Returns: `nil` unless there are exactly four non-empty parts ending in `aws4_request`.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3] == "aws4_request", parts[0].count == 8,
            parts[0].allSatisfy(\.isASCIIDigit), !parts[1].isEmpty, !parts[2].isEmpty
        else { return nil }
        self.init(dateStamp: String(parts[0]), region: String(parts[1]), service: String(parts[2]))
    }

    /// `yyyyMMdd/region/service/aws4_request`.
    public var description: String {
        "\(dateStamp)/\(region)/\(service)/aws4_request"
    }
}

extension Character {
    /// Whether the character is one of the ASCII digits `0`–`9`.
    var isASCIIDigit: Bool {
        isASCII && isNumber
    }
}
