public import Foundation

/// `chatctl.lock.json`: what apply launched, one entry per profile (SPEC section 7).
///
/// It never holds a participant token, a customer id, a credential or an attribute
/// value: only ids, digests, times and errors.
public struct Lockfile: Sendable, Equatable {
    /// The format version this chatctl reads and writes.
    public static let currentVersion = 1

    /// Incremented by every apply that changes the file.
    public var serial: Int
    /// Entries keyed by profile name.
    public var entries: [String: LockEntry]

    public init(serial: Int = 0, entries: [String: LockEntry] = [:]) {
        self.serial = serial
        self.entries = entries
    }
}

/// What the lockfile records for one profile.
public struct LockEntry: Sendable, Equatable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// A request was (or is about to be) sent; no result recorded yet.
        case pending
        /// Amazon Connect started the chat.
        case started
        /// The last attempt failed; `error` says why.
        case failed
        /// The chat was stopped by chatctl (prune).
        case stopped
    }

    /// The last error of a failed launch or stop.
    public struct Failure: Sendable, Equatable {
        public var code: String
        public var message: String
        public var requestId: String?

        public init(code: String, message: String, requestId: String? = nil) {
            self.code = code
            self.message = message
            self.requestId = requestId
        }
    }

    /// `sha256:` and the hex digest of the profile's canonical request.
    public var digest: String
    /// 1 for the first launch, incremented by each relaunch.
    public var generation: Int
    /// The ClientToken sent, and re-sent on resume, for this generation.
    public var clientToken: String
    public var status: Status
    public var contactId: String?
    public var participantId: String?
    /// SHA-256 (hex) of the participant token: proves which token was issued without keeping it.
    public var participantTokenSha256: String?
    public var continuedFromContactId: String?
    public var region: String?
    /// The bare instance id.
    public var instance: String?
    public var startedAt: Date?
    /// `startedAt` plus the chat's duration.
    public var expiresAt: Date?
    /// Requests sent for this generation, retries included.
    public var attempts: Int?
    public var error: Failure?

    public init(
        digest: String, generation: Int, clientToken: String, status: Status,
        contactId: String? = nil, participantId: String? = nil, participantTokenSha256: String? = nil,
        continuedFromContactId: String? = nil, region: String? = nil, instance: String? = nil,
        startedAt: Date? = nil, expiresAt: Date? = nil, attempts: Int? = nil, error: Failure? = nil
    ) {
        self.digest = digest
        self.generation = generation
        self.clientToken = clientToken
        self.status = status
        self.contactId = contactId
        self.participantId = participantId
        self.participantTokenSha256 = participantTokenSha256
        self.continuedFromContactId = continuedFromContactId
        self.region = region
        self.instance = instance
        self.startedAt = startedAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.error = error
    }

    /// True when the chat has ended: stopped by chatctl, or past its expiry at `now`.
    public func hasEnded(at now: Date) -> Bool {
        if status == .stopped { return true }
        guard status == .started, let expiresAt else { return false }
        return expiresAt <= now
    }
}
