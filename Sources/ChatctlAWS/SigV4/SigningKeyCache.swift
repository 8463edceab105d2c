/// A thread-safe cache of derived ``SigningKey``s, one per date stamp, region, service and
/// access key pair, so that the four HMAC rounds run once a day per scope rather than
/// once per request.
///
/// The cache is keyed by a SHA-256 fingerprint of the access key id and secret, not by
/// the secret itself. When it holds ``capacity`` keys it is emptied before the next
/// insertion: keys from past dates are useless, and the working set is tiny.
public final class SigningKeyCache: Sendable {
    private struct Entry: Hashable {
        var scope: CredentialScope
        var fingerprint: [UInt8]
    }

    /// The cache signers use unless given another.
    public static let shared = SigningKeyCache()

    /// The most keys held at once.
    public let capacity: Int
    private let entries = Locked<[Entry: SigningKey]>([:])

    /// Creates an empty cache.
    ///
    /// - Parameter capacity: the most keys held at once, at least 1.
    public init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
    }

    /// The signing key for `credentials` in `scope`, derived on first use.
    ///
    /// - Parameters:
    ///   - credentials: the access key pair.
    ///   - scope: the date stamp, region and service.
    public func signingKey(for credentials: AWSCredentials, scope: CredentialScope) -> SigningKey {
        // Length-prefixing the id keeps ("ab", "c") and ("a", "bc") apart.
        let material = "\(credentials.accessKeyId.utf8.count):\(credentials.accessKeyId)\(credentials.secretAccessKey)"
        let entry = Entry(scope: scope, fingerprint: SHA256.digest(material))
        if let key = entries.withLock({ $0[entry] }) {
            return key
        }
        let key = SigningKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        entries.withLock { cached in
            if cached.count >= capacity {
                cached.removeAll()
            }
            cached[entry] = key
        }
        return key
    }

    /// The number of keys held now.
    public var count: Int {
        entries.withLock { $0.count }
    }
}
