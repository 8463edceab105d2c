/// Chooses the region and the endpoint URL of Amazon Connect (or of its Participant Service,
/// ``Service/connectParticipant``) from the command line, the environment and the selected
/// profile of the shared config file, as the AWS SDKs do. Pure functions: the environment
/// and the config file are passed in.
///
/// Region, first found: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
/// `region`, the region of the instance ARN.
///
/// Endpoint, first found: `--endpoint-url`; then, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
/// (or the profile's `ignore_configured_endpoint_urls`) is `true`: the service's own variable
/// (`AWS_ENDPOINT_URL_CONNECT`, `AWS_ENDPOINT_URL_CONNECTPARTICIPANT`),
/// `AWS_ENDPOINT_URL`, the profile's `services` section `connect` (or `connectparticipant`)
/// → `endpoint_url`, the profile's `endpoint_url`; otherwise the standard endpoint
/// `https://connect[-fips].{region}.{amazonaws.com | api.aws}` (for the Participant Service
/// `https://participant.connect[-fips].{region}.…`) chosen by
/// `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint` and `AWS_USE_DUALSTACK_ENDPOINT` /
/// `use_dualstack_endpoint`. See [Service-specific endpoints](https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html)
/// and [Dual-stack and FIPS endpoints](https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html).
public enum EndpointResolver {
    /// The settings of the selected profile of the shared config file that bear on the
    /// region and endpoint; the credential chain's config-file reader fills it in.
    public struct ConfigFileSettings: Sendable, Equatable {
        /// `region`.
        public var region: String?
        /// `endpoint_url` of the profile: the endpoint of every service.
        public var endpointURL: String?
        /// `endpoint_url` under the `connect` key of the profile's `services` section.
        public var connectEndpointURL: String?
        /// `endpoint_url` under the `connectparticipant` key of the profile's `services` section.
        public var connectParticipantEndpointURL: String?
        /// `use_fips_endpoint`, as written.
        public var useFIPSEndpoint: String?
        /// `use_dualstack_endpoint`, as written.
        public var useDualStackEndpoint: String?
        /// `ignore_configured_endpoint_urls`, as written.
        public var ignoreConfiguredEndpointURLs: String?

        /// Creates settings; every member defaults to absent.
        public init(
            region: String? = nil, endpointURL: String? = nil, connectEndpointURL: String? = nil,
            useFIPSEndpoint: String? = nil, useDualStackEndpoint: String? = nil,
            ignoreConfiguredEndpointURLs: String? = nil, connectParticipantEndpointURL: String? = nil
        ) {
            self.region = region
            self.endpointURL = endpointURL
            self.connectEndpointURL = connectEndpointURL
            self.useFIPSEndpoint = useFIPSEndpoint
            self.useDualStackEndpoint = useDualStackEndpoint
            self.ignoreConfiguredEndpointURLs = ignoreConfiguredEndpointURLs
            self.connectParticipantEndpointURL = connectParticipantEndpointURL
        }

        /// The `services` section's `endpoint_url` for `service`.
        func serviceEndpointURL(_ service: Service) -> String? {
            service == .connectParticipant ? connectParticipantEndpointURL : connectEndpointURL
        }
    }

    /// A service whose endpoint is resolved: its host prefix (the model's `endpointPrefix`)
    /// and the names of its settings.
    public struct Service: Sendable, Equatable {
        /// The host's first labels, for example `connect` or `participant.connect`.
        public var hostPrefix: String
        /// The FIPS host's first labels, for example `connect-fips`.
        public var fipsHostPrefix: String
        /// The environment variable naming the service's own endpoint URL.
        public var environmentName: String
        /// The key of the profile's `services` section, for example `connect`.
        public var configKey: String
        /// Whether FIPS in AWS GovCloud (US) is the standard host (the Participant Service's
        /// endpoint rules say so: its GovCloud endpoints are FIPS already).
        public var govCloudStandardIsFIPS: Bool

        /// Amazon Connect: `connect[-fips].{region}.…`, `AWS_ENDPOINT_URL_CONNECT`.
        public static let connect = Service(
            hostPrefix: "connect", fipsHostPrefix: "connect-fips", environmentName: "AWS_ENDPOINT_URL_CONNECT",
            configKey: "connect", govCloudStandardIsFIPS: false)
        /// The Amazon Connect Participant Service: `participant.connect[-fips].{region}.…`,
        /// `AWS_ENDPOINT_URL_CONNECTPARTICIPANT` (botocore's `endpoint-rule-set-1.json`).
        public static let connectParticipant = Service(
            hostPrefix: "participant.connect", fipsHostPrefix: "participant.connect-fips",
            environmentName: "AWS_ENDPOINT_URL_CONNECTPARTICIPANT", configKey: "connectparticipant",
            govCloudStandardIsFIPS: true)
    }

    /// A region and where it came from.
    public struct ResolvedRegion: Sendable, Equatable {
        /// The region, for example `eu-west-2`.
        public var region: String
        /// Where it was found, for example `AWS_REGION` or `the instance ARN`.
        public var source: String
        /// The region of the instance ARN when it differs from ``region``: calls would go to
        /// a region where the instance does not exist.
        public var conflictingARNRegion: String?
    }

    /// An endpoint and where it came from.
    public struct ResolvedEndpoint: Sendable, Equatable {
        /// The base URL.
        public var endpoint: ServiceEndpoint
        /// Where it was found, for example `--endpoint-url` or `the standard endpoint`.
        public var source: String
    }

    /// The environment variable that sets Connect's own endpoint URL.
    public static let serviceEnvironmentName = Service.connect.environmentName

    /// Chooses the region.
    ///
    /// - Parameters:
    ///   - flag: `--region`, if given.
    ///   - environment: the process environment.
    ///   - configFile: the selected profile's settings.
    ///   - instanceARN: the Connect instance, when the profile names it by ARN
    ///     (`arn:aws:connect:{region}:{account}:instance/{id}`).
    /// - Returns: the region, its source and any disagreeing ARN region.
    /// - Throws: ``EndpointResolutionError`` when no source names a valid region.
    public static func resolveRegion(
        flag: String?, environment: [String: String], configFile: ConfigFileSettings = .init(),
        instanceARN: String? = nil
    ) throws(EndpointResolutionError) -> ResolvedRegion {
        let arnRegion = instanceARN.flatMap(region(ofARN:))
        let candidates: [(String?, String)] = [
            (flag, "--region"),
            (environment["AWS_REGION"], "AWS_REGION"),
            (environment["AWS_DEFAULT_REGION"], "AWS_DEFAULT_REGION"),
            (configFile.region, "the config file's region"),
            (arnRegion, "the instance ARN"),
        ]
        for case (let value?, let source) in candidates {
            let region = value.trimmingASCIIWhitespace()
            guard !region.isEmpty else { continue }
            guard isValidRegion(region) else {
                throw .invalidRegion(region, source: source)
            }
            let conflict = arnRegion.flatMap { $0 == region ? nil : $0 }
            return ResolvedRegion(region: region, source: source, conflictingARNRegion: conflict)
        }
        throw .noRegion(checked: candidates.map(\.1))
    }

    /// Chooses the endpoint.
    ///
    /// - Parameters:
    ///   - region: the resolved region.
    ///   - flag: `--endpoint-url`, if given; always honoured.
    ///   - environment: the process environment.
    ///   - configFile: the selected profile's settings.
    ///   - service: whose endpoint (default Amazon Connect's).
    /// - Returns: the endpoint and its source.
    /// - Throws: ``EndpointResolutionError`` for a malformed URL or boolean setting, or a
    ///   FIPS or dual-stack request in a partition without such endpoints.
    public static func resolveEndpoint(
        region: String, flag: String?, environment: [String: String], configFile: ConfigFileSettings = .init(),
        service: Service = .connect
    ) throws(EndpointResolutionError) -> ResolvedEndpoint {
        if let flag, !flag.isEmpty {
            return ResolvedEndpoint(endpoint: try endpoint(flag, source: "--endpoint-url"), source: "--endpoint-url")
        }
        let ignore = try boolean(
            environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"], "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            configFile.ignoreConfiguredEndpointURLs, "ignore_configured_endpoint_urls")
        if !ignore {
            let configured: [(String?, String)] = [
                (environment[service.environmentName], service.environmentName),
                (environment["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL"),
                (
                    configFile.serviceEndpointURL(service),
                    "the config file's services section (\(service.configKey) endpoint_url)"
                ),
                (configFile.endpointURL, "the config file's endpoint_url"),
            ]
            for case (let value?, let source) in configured where !value.trimmingASCIIWhitespace().isEmpty {
                return ResolvedEndpoint(
                    endpoint: try endpoint(value.trimmingASCIIWhitespace(), source: source), source: source)
            }
        }
        guard isValidRegion(region) else {
            throw .invalidRegion(region, source: "the region")
        }
        let fips = try boolean(
            environment["AWS_USE_FIPS_ENDPOINT"], "AWS_USE_FIPS_ENDPOINT", configFile.useFIPSEndpoint, "use_fips_endpoint")
        let dualStack = try boolean(
            environment["AWS_USE_DUALSTACK_ENDPOINT"], "AWS_USE_DUALSTACK_ENDPOINT", configFile.useDualStackEndpoint,
            "use_dualstack_endpoint")
        let partition = Partition(region: region)
        guard let suffix = dualStack ? partition.dualStackDNSSuffix : partition.dnsSuffix else {
            throw .unsupportedVariant(variant: "dual-stack", partition: partition.name)
        }
        let fipsHost = fips && !(service.govCloudStandardIsFIPS && partition.name == "aws-us-gov")
        let host = "\(fipsHost ? service.fipsHostPrefix : service.hostPrefix).\(region).\(suffix)"
        var variants: [String] = []
        if fips { variants.append("FIPS") }
        if dualStack { variants.append("dual-stack") }
        let source = variants.isEmpty ? "the standard endpoint" : "the \(variants.joined(separator: " ")) endpoint"
        return ResolvedEndpoint(endpoint: ServiceEndpoint(scheme: "https", authority: host), source: source)
    }

    /// The region field of an ARN (`arn:partition:service:region:account:resource`), or `nil`
    /// when the text is not an ARN or its region is empty.
    public static func region(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    /// Whether `region` can stand in a host name: 1 to 63 lowercase letters, digits and `-`,
    /// not starting or ending with `-`.
    public static func isValidRegion(_ region: String) -> Bool {
        guard (1...63).contains(region.utf8.count), region.first != "-", region.last != "-" else { return false }
        return region.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    private static func endpoint(_ url: String, source: String) throws(EndpointResolutionError) -> ServiceEndpoint {
        guard let endpoint = ServiceEndpoint(url: url) else {
            throw .invalidEndpointURL(url, source: source)
        }
        return endpoint
    }

    /// A boolean setting from the environment, else the config file; absent means `false`.
    private static func boolean(
        _ environmentValue: String?, _ environmentName: String, _ fileValue: String?, _ fileName: String
    ) throws(EndpointResolutionError) -> Bool {
        for (value, source) in [(environmentValue, environmentName), (fileValue, fileName)] {
            guard let value else { continue }
            switch value.trimmingASCIIWhitespace().lowercased() {
            case "true": return true
            case "false": return false
            case "": continue
            default: throw .invalidBoolean(value, source: source)
            }
        }
        return false
    }

    /// The DNS suffixes of the AWS partitions, from the SDKs' `partitions.json`.
    private struct Partition {
        var name: String
        var dnsSuffix: String
        /// `nil` where the partition has no dual-stack endpoints. Every partition has FIPS ones.
        var dualStackDNSSuffix: String?

        init(region: String) {
            if region.hasPrefix("cn-") {
                self = Partition(name: "aws-cn", dnsSuffix: "amazonaws.com.cn", dualStackDNSSuffix: "api.amazonwebservices.com.cn")
            } else if region.hasPrefix("us-gov-") {
                self = Partition(name: "aws-us-gov", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws")
            } else if region.hasPrefix("us-isob-") {
                self = Partition(name: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", dualStackDNSSuffix: nil)
            } else if region.hasPrefix("us-iso-") {
                self = Partition(name: "aws-iso", dnsSuffix: "c2s.ic.gov", dualStackDNSSuffix: nil)
            } else {
                self = Partition(name: "aws", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws")
            }
        }

        private init(name: String, dnsSuffix: String, dualStackDNSSuffix: String?) {
            self.name = name
            self.dnsSuffix = dnsSuffix
            self.dualStackDNSSuffix = dualStackDNSSuffix
        }
    }
}
