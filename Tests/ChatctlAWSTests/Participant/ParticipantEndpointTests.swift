import ChatctlAWS
import Testing

/// The Participant Service's endpoints, chosen by the same resolver as Connect's.
@Suite struct ParticipantEndpointTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var region = "us-east-1"
        var flag: String? = nil
        var environment: [String: String] = [:]
        var configFile = EndpointResolver.ConfigFileSettings()
        var url: String
        var source: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "standard", url: "https://participant.connect.us-east-1.amazonaws.com", source: "the standard endpoint"),
        Case(
            name: "FIPS", environment: ["AWS_USE_FIPS_ENDPOINT": "true"],
            url: "https://participant.connect-fips.us-east-1.amazonaws.com", source: "the FIPS endpoint"),
        Case(
            name: "dual-stack", region: "eu-west-2", configFile: .init(useDualStackEndpoint: "true"),
            url: "https://participant.connect.eu-west-2.api.aws", source: "the dual-stack endpoint"),
        Case(
            name: "FIPS in GovCloud is the standard host", region: "us-gov-west-1",
            environment: ["AWS_USE_FIPS_ENDPOINT": "true"], url: "https://participant.connect.us-gov-west-1.amazonaws.com",
            source: "the FIPS endpoint"),
        Case(
            name: "China", region: "cn-north-1", url: "https://participant.connect.cn-north-1.amazonaws.com.cn",
            source: "the standard endpoint"),
        Case(
            name: "its own variable before AWS_ENDPOINT_URL and Connect's",
            environment: [
                "AWS_ENDPOINT_URL_CONNECTPARTICIPANT": "http://127.0.0.1:7001", "AWS_ENDPOINT_URL": "http://127.0.0.1:7002",
                "AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:7003",
            ],
            url: "http://127.0.0.1:7001", source: "AWS_ENDPOINT_URL_CONNECTPARTICIPANT"),
        Case(
            name: "the services section's connectparticipant key, not connect's",
            configFile: .init(connectEndpointURL: "http://127.0.0.1:7003", connectParticipantEndpointURL: "http://127.0.0.1:7004"),
            url: "http://127.0.0.1:7004", source: "the config file's services section (connectparticipant endpoint_url)"),
        Case(
            name: "--endpoint-url (and --emulator) over everything", flag: "http://127.0.0.1:9000",
            environment: ["AWS_ENDPOINT_URL_CONNECTPARTICIPANT": "http://127.0.0.1:7001"], url: "http://127.0.0.1:9000",
            source: "--endpoint-url"),
    ]

    @Test(arguments: cases)
    func resolves(_ testCase: Case) throws {
        let resolved = try EndpointResolver.resolveEndpoint(
            region: testCase.region, flag: testCase.flag, environment: testCase.environment,
            configFile: testCase.configFile, service: .connectParticipant)
        #expect(resolved.endpoint.description == testCase.url)
        #expect(resolved.source == testCase.source)
    }

    @Test func connectKeepsItsOwnHostAndVariable() throws {
        let resolved = try EndpointResolver.resolveEndpoint(
            region: "us-gov-west-1", flag: nil,
            environment: ["AWS_USE_FIPS_ENDPOINT": "true", "AWS_ENDPOINT_URL_CONNECTPARTICIPANT": "http://127.0.0.1:1"])
        #expect(resolved.endpoint.description == "https://connect-fips.us-gov-west-1.amazonaws.com")
    }
}
