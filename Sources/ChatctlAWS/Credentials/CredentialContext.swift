public import Foundation

/// Everything the credential sources read from outside: the environment, the shared files,
/// the network, the region for STS and the wall clock. Injected, so tests control it and
/// nothing deep inside reads the process's own environment or clock.
public struct CredentialContext: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The process environment. It may hold secrets; it is never printed.
    public var environment: [String: String]
    /// The shared config and credentials files, and the chosen profile.
    public var configuration: SharedConfiguration
    /// The HTTP transport for STS, the container endpoint and instance metadata.
    public var transport: any HTTPTransport
    /// The `--region` value, if given: the STS region ahead of `AWS_REGION`,
    /// `AWS_DEFAULT_REGION` and the profile's `region`.
    public var region: String?
    /// The wall clock (UTC instants), for signing STS requests, session names and expiry.
    public var now: @Sendable () -> Date
    /// Seconds a `credential_process` may run before it is stopped.
    public var processTimeout: Double

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - configuration: the shared files, loaded with ``SharedConfiguration/load(environment:homeDirectory:profile:)``.
    ///   - transport: the HTTP transport (in production, `CurlTransport`).
    ///   - region: the `--region` value, if given.
    ///   - now: the wall clock; `Date.init` by default.
    ///   - processTimeout: seconds a `credential_process` may run (default 60).
    public init(
        environment: [String: String], configuration: SharedConfiguration, transport: any HTTPTransport,
        region: String? = nil, now: @escaping @Sendable () -> Date = { Date() }, processTimeout: Double = 60
    ) {
        self.environment = environment
        self.configuration = configuration
        self.transport = transport
        self.region = region
        self.now = now
        self.processTimeout = processTimeout
    }

    /// The region STS is called in: ``region``, `AWS_REGION`, `AWS_DEFAULT_REGION`, the
    /// chosen profile's `region`; `nil` for the global endpoint.
    var stsRegion: String? {
        STSClient.region(flag: region, environment: environment, profile: configuration.selectedProfile)
    }

    /// An STS client for this context.
    func stsClient(source: String) throws(CredentialsError) -> STSClient {
        try STSClient.resolve(
            region: stsRegion, environment: environment, configuration: configuration, transport: transport, now: now,
            source: source)
    }

    /// A default `RoleSessionName`: `chatctl-` and the Unix time in seconds.
    func defaultSessionName() -> String {
        "chatctl-\(Int(now().timeIntervalSince1970))"
    }

    /// The files and profile only; the environment is never shown.
    public var description: String {
        "CredentialContext(\(configuration), region: \(region ?? "nil"))"
    }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror that leaves the environment out.
    public var customMirror: Mirror {
        Mirror(self, children: ["configuration": configuration.description, "region": region as Any], displayStyle: .struct)
    }
}
