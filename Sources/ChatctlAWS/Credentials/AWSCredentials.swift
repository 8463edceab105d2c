public import Foundation

/// An AWS access key pair, with the session token and expiry of temporary credentials.
///
/// Printing, interpolating, `dump`ing or debugging a value never shows the secret key or
/// the session token: ``description``, ``debugDescription`` and ``customMirror`` redact them,
/// and show only the last four characters of the access key id.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The access key id, for example `AKIDEXAMPLE` (`AKIA…` long-term, `ASIA…` temporary).
    public var accessKeyId: String
    /// The secret access key. Secret: never print or log it.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `X-Amz-Security-Token`. Secret.
    public var sessionToken: String?
    /// When temporary credentials stop working (UTC instant); `nil` for long-term keys.
    public var expiration: Date?

    /// Creates credentials.
    ///
    /// - Parameters:
    ///   - accessKeyId: the access key id.
    ///   - secretAccessKey: the secret access key.
    ///   - sessionToken: the session token of temporary credentials, if any.
    ///   - expiration: when temporary credentials expire, if known.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Whether the credentials expire within `margin` seconds of `date` (or have already).
    /// Long-term credentials (no expiration) never expire.
    ///
    /// - Parameters:
    ///   - date: the instant to test, usually now.
    ///   - margin: seconds before the expiry at which the credentials count as expired
    ///     already, so that they are refreshed before a request can fail.
    public func expires(within margin: TimeInterval, of date: Date) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(date) <= margin
    }

    /// The access key id with all but its last four characters masked, for example
    /// `*******MPLE`; keys of four characters or fewer are masked entirely.
    public var maskedAccessKeyId: String {
        guard accessKeyId.count > 4 else { return String(repeating: "*", count: accessKeyId.count) }
        return String(repeating: "*", count: accessKeyId.count - 4) + accessKeyId.suffix(4)
    }

    /// A redacted summary such as
    /// `AWSCredentials(accessKeyId: *******MPLE, secretAccessKey: (redacted), sessionToken: (redacted), expiration: 2026-01-01T00:00:00Z)`.
    public var description: String {
        var parts = ["accessKeyId: \(maskedAccessKeyId)", "secretAccessKey: (redacted)"]
        if sessionToken != nil {
            parts.append("sessionToken: (redacted)")
        }
        if let expiration {
            parts.append("expiration: \(expiration.formatted(.iso8601))")
        }
        return "AWSCredentials(\(parts.joined(separator: ", ")))"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror with the secrets redacted, so `dump` and debuggers do not show them.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": maskedAccessKeyId,
                "secretAccessKey": "(redacted)",
                "sessionToken": sessionToken == nil ? "nil" : "(redacted)",
                "expiration": expiration.map { $0.formatted(.iso8601) } ?? "nil",
            ],
            displayStyle: .struct)
    }
}
