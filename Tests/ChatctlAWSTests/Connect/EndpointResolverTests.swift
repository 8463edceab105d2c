import ChatctlAWS
import Testing

@Suite struct EndpointResolverTests {
    typealias Settings = EndpointResolver.ConfigFileSettings

    struct RegionCase: CustomTestStringConvertible, Sendable {
        var name: String
        var flag: String? = nil
        var environment: [String: String] = [:]
        var configFile = Settings()
        var arn: String? = nil
        var region: String
        var source: String
        var conflict: String? = nil
        var testDescription: String { name }
    }

    static let arn = "arn:aws:connect:eu-west-2:123456789012:instance/0a1b2c3d"

    static let regionCases: [RegionCase] = [
        RegionCase(
            name: "flag first", flag: "us-west-2", environment: ["AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "ap-south-1"],
            configFile: Settings(region: "ca-central-1"), region: "us-west-2", source: "--region"),
        RegionCase(
            name: "AWS_REGION before AWS_DEFAULT_REGION", environment: ["AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "ap-south-1"],
            region: "us-east-1", source: "AWS_REGION"),
        RegionCase(
            name: "AWS_DEFAULT_REGION", environment: ["AWS_DEFAULT_REGION": "ap-south-1"], configFile: Settings(region: "ca-central-1"),
            region: "ap-south-1", source: "AWS_DEFAULT_REGION"),
        RegionCase(
            name: "config file", environment: ["AWS_REGION": ""], configFile: Settings(region: "ca-central-1"), arn: arn,
            region: "ca-central-1", source: "the config file's region", conflict: "eu-west-2"),
        RegionCase(name: "instance ARN last", arn: arn, region: "eu-west-2", source: "the instance ARN"),
        RegionCase(name: "agreeing ARN is no conflict", flag: "eu-west-2", arn: arn, region: "eu-west-2", source: "--region"),
    ]

    @Test(arguments: regionCases)
    func resolvesTheRegionInSDKOrder(_ testCase: RegionCase) throws {
        let resolved = try EndpointResolver.resolveRegion(
            flag: testCase.flag, environment: testCase.environment, configFile: testCase.configFile,
            instanceARN: testCase.arn)
        #expect(resolved.region == testCase.region)
        #expect(resolved.source == testCase.source)
        #expect(resolved.conflictingARNRegion == testCase.conflict)
    }

    @Test func namesEverySourceWhenNoRegionIsConfigured() {
        #expect(throws: EndpointResolutionError.noRegion(checked: [
            "--region", "AWS_REGION", "AWS_DEFAULT_REGION", "the config file's region", "the instance ARN",
        ])) {
            try EndpointResolver.resolveRegion(flag: nil, environment: [:], instanceARN: "not-an-arn")
        }
        #expect(
            EndpointResolutionError.noRegion(checked: ["--region", "AWS_REGION"]).description
                == "no region configured: checked --region, AWS_REGION")
    }

    @Test(arguments: ["US-EAST-1", "us east 1", "evil.com/x", "-us", "us-east-1."])
    func rejectsARegionThatCannotBeAHostLabel(_ region: String) {
        #expect(throws: EndpointResolutionError.invalidRegion(region, source: "AWS_REGION")) {
            try EndpointResolver.resolveRegion(flag: nil, environment: ["AWS_REGION": region])
        }
    }

    struct EndpointCase: CustomTestStringConvertible, Sendable {
        var name: String
        var region = "us-east-1"
        var flag: String? = nil
        var environment: [String: String] = [:]
        var configFile = Settings()
        var url: String
        var source: String
        var testDescription: String { name }
    }

    static let everything: [String: String] = [
        "AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:1/", "AWS_ENDPOINT_URL": "http://127.0.0.1:2",
    ]
    static let fileEverything = Settings(endpointURL: "http://127.0.0.1:4", connectEndpointURL: "http://127.0.0.1:3")

    static let endpointCases: [EndpointCase] = [
        EndpointCase(name: "standard", url: "https://connect.us-east-1.amazonaws.com", source: "the standard endpoint"),
        EndpointCase(
            name: "fips", environment: ["AWS_USE_FIPS_ENDPOINT": "true"], url: "https://connect-fips.us-east-1.amazonaws.com",
            source: "the FIPS endpoint"),
        EndpointCase(
            name: "dual-stack from the config file", configFile: Settings(useDualStackEndpoint: "TRUE"),
            url: "https://connect.us-east-1.api.aws", source: "the dual-stack endpoint"),
        EndpointCase(
            name: "fips and dual-stack", environment: ["AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"],
            url: "https://connect-fips.us-east-1.api.aws", source: "the FIPS dual-stack endpoint"),
        EndpointCase(
            name: "environment false beats config true", environment: ["AWS_USE_FIPS_ENDPOINT": "false"],
            configFile: Settings(useFIPSEndpoint: "true"), url: "https://connect.us-east-1.amazonaws.com",
            source: "the standard endpoint"),
        EndpointCase(name: "china", region: "cn-north-1", url: "https://connect.cn-north-1.amazonaws.com.cn", source: "the standard endpoint"),
        EndpointCase(
            name: "govcloud fips", region: "us-gov-west-1", environment: ["AWS_USE_FIPS_ENDPOINT": "true"],
            url: "https://connect-fips.us-gov-west-1.amazonaws.com", source: "the FIPS endpoint"),
        EndpointCase(
            name: "flag beats everything", flag: "http://127.0.0.1:9000",
            environment: everything.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 },
            configFile: fileEverything, url: "http://127.0.0.1:9000", source: "--endpoint-url"),
        EndpointCase(
            name: "service variable", environment: everything, configFile: fileEverything, url: "http://127.0.0.1:1",
            source: "AWS_ENDPOINT_URL_CONNECT"),
        EndpointCase(
            name: "global variable", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:2"], configFile: fileEverything,
            url: "http://127.0.0.1:2", source: "AWS_ENDPOINT_URL"),
        EndpointCase(
            name: "services section", configFile: fileEverything, url: "http://127.0.0.1:3",
            source: "the config file's services section (connect endpoint_url)"),
        EndpointCase(
            name: "profile endpoint_url", configFile: Settings(endpointURL: "https://proxy.example.com/connect"),
            url: "https://proxy.example.com/connect", source: "the config file's endpoint_url"),
        EndpointCase(
            name: "ignore from the environment", environment: everything.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 },
            configFile: fileEverything, url: "https://connect.us-east-1.amazonaws.com", source: "the standard endpoint"),
        EndpointCase(
            name: "ignore from the config file",
            configFile: Settings(endpointURL: "http://127.0.0.1:4", ignoreConfiguredEndpointURLs: "true"),
            url: "https://connect.us-east-1.amazonaws.com", source: "the standard endpoint"),
        EndpointCase(
            name: "environment false overrides config ignore",
            environment: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false", "AWS_ENDPOINT_URL": "http://127.0.0.1:2"],
            configFile: Settings(ignoreConfiguredEndpointURLs: "true"), url: "http://127.0.0.1:2", source: "AWS_ENDPOINT_URL"),
    ]

    @Test(arguments: endpointCases)
    func resolvesTheEndpointInSDKOrder(_ testCase: EndpointCase) throws {
        let resolved = try EndpointResolver.resolveEndpoint(
            region: testCase.region, flag: testCase.flag, environment: testCase.environment, configFile: testCase.configFile)
        #expect(resolved.endpoint.description == testCase.url)
        #expect(resolved.source == testCase.source)
    }

    @Test func reportsMalformedSettings() {
        #expect(throws: EndpointResolutionError.invalidEndpointURL("localhost:9000", source: "AWS_ENDPOINT_URL")) {
            try EndpointResolver.resolveEndpoint(region: "us-east-1", flag: nil, environment: ["AWS_ENDPOINT_URL": "localhost:9000"])
        }
        #expect(throws: EndpointResolutionError.invalidBoolean("yes", source: "AWS_USE_FIPS_ENDPOINT")) {
            try EndpointResolver.resolveEndpoint(region: "us-east-1", flag: nil, environment: ["AWS_USE_FIPS_ENDPOINT": "yes"])
        }
        #expect(throws: EndpointResolutionError.unsupportedVariant(variant: "dual-stack", partition: "aws-iso")) {
            try EndpointResolver.resolveEndpoint(
                region: "us-iso-east-1", flag: nil, environment: ["AWS_USE_DUALSTACK_ENDPOINT": "true"])
        }
        #expect(
            EndpointResolutionError.invalidBoolean("yes", source: "AWS_USE_FIPS_ENDPOINT").description
                == #"AWS_USE_FIPS_ENDPOINT must be true or false, not "yes""#)
    }

    @Test(arguments: [
        ("arn:aws:connect:eu-west-2:123456789012:instance/abc", "eu-west-2"),
        ("arn:aws-cn:connect:cn-north-1:1:instance/abc", "cn-north-1"),
        ("arn:aws:iam::123456789012:role/x", nil),
        ("0a1b2c3d", nil),
    ] as [(String, String?)])
    func readsTheRegionOfAnARN(_ arn: String, _ region: String?) {
        #expect(EndpointResolver.region(ofARN: arn) == region)
    }
}
