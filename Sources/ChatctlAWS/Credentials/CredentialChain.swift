public import Foundation

/// Tries credential sources in order and keeps the first credentials found, refreshing
/// temporary ones before they expire ([Default credential provider chain](https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html)).
///
/// A source that is not configured (``CredentialsError/Kind/notConfigured``) is passed
/// over; one that is configured but fails (``CredentialsError/Kind/failed``) ends the
/// search with its error, so that a broken profile never silently falls back to another
/// identity. When every source is passed over, one ``CredentialsError/Kind/noneFound``
/// error lists each source and why it gave nothing.
///
/// Credentials with an expiration are cached until ``refreshMargin`` seconds before it,
/// then fetched again from the source that gave them. Many tasks may call
/// ``credentials()`` at once: only one fetch runs, and the others wait for its result. If a
/// refresh fails while the cached credentials have not yet expired, they are returned.
public actor CredentialChain: CredentialProvider, CustomStringConvertible, CustomReflectable {
    /// The sources, in the order they are tried.
    public nonisolated let sources: [any CredentialProvider]
    /// Seconds before the expiration at which credentials are refreshed (default 300).
    public nonisolated let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date

    private struct Entry {
        var credentials: AWSCredentials
        var sourceIndex: Int
        /// When to fetch again; `nil` for credentials that never expire.
        var refreshAt: Date?
    }

    private var cached: Entry?
    private var inFlight: Task<Result<(AWSCredentials, Int), CredentialsError>, Never>?

    /// Creates a chain.
    ///
    /// - Parameters:
    ///   - sources: the sources, in order.
    ///   - refreshMargin: seconds before expiry at which to refresh (default 300).
    ///   - now: the wall clock; `Date.init` by default.
    public init(
        sources: [any CredentialProvider], refreshMargin: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sources = sources
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// The AWS SDKs' default chain: environment variables; the chosen profile of the shared
    /// files; web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`; the
    /// container endpoint; EC2 instance metadata (IMDSv2).
    ///
    /// When the profile was chosen with `--aws-profile` (``SharedConfiguration/ProfileSource/flag``),
    /// environment credentials are skipped, as the AWS CLI does with `--profile`, so the
    /// profile named on the command line is the one used.
    ///
    /// - Parameter context: the environment, shared files, transport, region and clock.
    /// - Returns: the chain.
    public static func standard(context: CredentialContext) -> CredentialChain {
        let environmentSource: any CredentialProvider =
            context.configuration.profileSource == .flag
            ? SkippedCredentialProvider(
                source: EnvironmentCredentialProvider.sourceName,
                reason: "not used because --aws-profile \(context.configuration.profileName) was given")
            : EnvironmentCredentialProvider(environment: context.environment)
        return CredentialChain(
            sources: [
                environmentSource,
                ProfileCredentialProvider(context: context),
                WebIdentityCredentialProvider(context: context),
                ContainerCredentialProvider(environment: context.environment, transport: context.transport),
                InstanceMetadataCredentialProvider(
                    environment: context.environment, configuration: context.configuration, transport: context.transport),
            ],
            now: context.now)
    }

    /// The cached credentials while they are fresh, else credentials fetched now.
    ///
    /// - Returns: the credentials.
    /// - Throws: ``CredentialsError``: the first failing source's error, or a
    ///   ``CredentialsError/Kind/noneFound`` error listing every source.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        if let cached, cached.refreshAt.map({ now() < $0 }) ?? true {
            return cached.credentials
        }
        if let inFlight {
            return try await inFlight.value.get().0
        }
        let previous = cached
        let sources = self.sources
        let task = Task { await Self.fetch(from: sources, only: previous?.sourceIndex) }
        inFlight = task
        let result = await task.value
        inFlight = nil
        let fetchedAt = now()
        switch result {
        case .success(let (credentials, index)):
            cached = Entry(credentials: credentials, sourceIndex: index, refreshAt: refreshTime(of: credentials, at: fetchedAt))
            return credentials
        case .failure(let error):
            if var previous, let expiration = previous.credentials.expiration, fetchedAt < expiration {
                previous.refreshAt = min(expiration, fetchedAt.addingTimeInterval(30))
                cached = previous
                return previous.credentials
            }
            throw error
        }
    }

    /// Forgets the cached credentials, so the next call fetches again (for example after a
    /// service answered `ExpiredTokenException`).
    public func invalidate() {
        cached = nil
    }

    /// When credentials fetched at `date` should be fetched again: ``refreshMargin`` before
    /// they expire, or halfway to the expiry when that is sooner than the margin.
    private func refreshTime(of credentials: AWSCredentials, at date: Date) -> Date? {
        guard let expiration = credentials.expiration else { return nil }
        let planned = expiration.addingTimeInterval(-refreshMargin)
        if planned > date { return planned }
        let remaining = expiration.timeIntervalSince(date)
        return remaining > 0 ? date.addingTimeInterval(remaining / 2) : date
    }

    /// Tries `sources` in order, or only the one at `only` when refreshing.
    private static func fetch(
        from sources: [any CredentialProvider], only: Int?
    ) async -> Result<(AWSCredentials, Int), CredentialsError> {
        if let only {
            do {
                return .success((try await sources[only].credentials(), only))
            } catch {
                return .failure(error)
            }
        }
        var attempts: [CredentialsError] = []
        for (index, source) in sources.enumerated() {
            do {
                return .success((try await source.credentials(), index))
            } catch {
                switch error.kind {
                case .notConfigured: attempts.append(error)
                case .noneFound: attempts += error.attempts
                case .failed: return .failure(error)
                }
            }
        }
        return .failure(.noneFound(attempts))
    }

    /// The sources' own descriptions, which hold no secrets.
    public nonisolated var description: String {
        "CredentialChain(\(sources.map { String(describing: $0) }.joined(separator: ", ")))"
    }

    /// A mirror of the sources only; the cached credentials are never reflected.
    public nonisolated var customMirror: Mirror {
        Mirror(self, children: ["sources": sources.map { String(describing: $0) }], displayStyle: .class)
    }
}

/// A source left out of a chain on purpose, reported as not configured with the reason.
struct SkippedCredentialProvider: CredentialProvider {
    var source: String
    var reason: String

    func credentials() async throws(CredentialsError) -> AWSCredentials {
        throw .notConfigured(source, reason)
    }
}
