internal import Foundation

/// Reads the JSON documents that credential endpoints and `credential_process` commands
/// return, straight into ``AWSCredentials`` so no other value ever holds the secrets.
enum CredentialsDocument {
    /// The members of one JSON document flavour.
    struct Layout {
        /// The session token's member: `SessionToken` (credential_process) or `Token`
        /// (container and instance metadata endpoints).
        var tokenKey: String
        /// Whether a session token must be present.
        var requiresToken: Bool
    }

    /// What is wrong with a document; never contains a value from it.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case notJSON(byteCount: Int)
        case notAnObject
        case missing(String)
        case notAString(String)
        case invalidExpiration
        case unsupportedVersion(String)
        case notSuccessful(String)

        /// A predicate for a subject such as "the response": `is not JSON (12 bytes)`.
        var description: String {
            switch self {
            case .notJSON(let count): "is not JSON (\(count) bytes)"
            case .notAnObject: "is not a JSON object"
            case .missing(let key): "has no \(key)"
            case .notAString(let key): "has a \(key) that is not a string"
            case .invalidExpiration: "has an Expiration that is not an ISO 8601 timestamp"
            case .unsupportedVersion(let version): "has Version \(version), not 1"
            case .notSuccessful(let code): "has Code \(code), not Success"
            }
        }
    }

    /// The members of a JSON object, or a ``Problem``.
    static func object(_ bytes: [UInt8]) throws(Problem) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw .notJSON(byteCount: bytes.count)
        }
        guard let object = parsed as? [String: Any] else { throw .notAnObject }
        return object
    }

    /// Credentials from a parsed document.
    ///
    /// - Parameters:
    ///   - object: the JSON object.
    ///   - layout: where the token is and whether it is required.
    /// - Returns: the credentials, with their expiration when the document has one.
    /// - Throws: ``Problem`` for a missing or malformed member.
    static func credentials(from object: [String: Any], layout: Layout) throws(Problem) -> AWSCredentials {
        func string(_ key: String, required: Bool) throws(Problem) -> String? {
            guard let value = object[key], !(value is NSNull) else {
                if required { throw .missing(key) }
                return nil
            }
            guard let text = value as? String else { throw .notAString(key) }
            if text.isEmpty {
                if required { throw .missing(key) }
                return nil
            }
            return text
        }
        guard let accessKeyId = try string("AccessKeyId", required: true),
            let secretAccessKey = try string("SecretAccessKey", required: true)
        else { throw .missing("AccessKeyId") }
        let token = try string(layout.tokenKey, required: layout.requiresToken)
        var expiration: Date?
        if let text = try string("Expiration", required: false) {
            guard let date = ISO8601Timestamp.parse(text) else { throw .invalidExpiration }
            expiration = date
        }
        return AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: token, expiration: expiration)
    }
}

/// Parses the ISO 8601 timestamps AWS returns, such as `2026-01-01T00:00:00Z`,
/// `2026-01-01T00:00:00.123Z` and `2026-01-01T00:00:00+00:00`.
enum ISO8601Timestamp {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingASCIIWhitespace()
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) {
            return date
        }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
