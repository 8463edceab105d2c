@testable import ChatctlAWS
import Foundation
import Testing

@Suite struct STSClientTests {
    private func client(
        region: String?, environment: [String: String] = [:], config: String? = nil
    ) throws -> STSClient {
        let home = try CredentialTestFolder()
        if let config { try home.write(".aws/config", config) }
        let configuration = try SharedConfiguration.load(environment: environment, homeDirectory: home.path)
        return try STSClient.resolve(
            region: region, environment: environment, configuration: configuration, transport: CurlTransport(),
            now: { Date() }, source: "test")
    }

    struct EndpointCase: CustomTestStringConvertible, Sendable {
        var region: String?
        var environment: [String: String] = [:]
        var config: String?
        var endpoint: String
        var signingRegion: String
        var testDescription: String { endpoint }
    }

    @Test(arguments: [
        EndpointCase(region: "eu-west-2", endpoint: "https://sts.eu-west-2.amazonaws.com", signingRegion: "eu-west-2"),
        EndpointCase(region: nil, endpoint: "https://sts.amazonaws.com", signingRegion: "us-east-1"),
        EndpointCase(region: "cn-north-1", endpoint: "https://sts.cn-north-1.amazonaws.com.cn", signingRegion: "cn-north-1"),
        EndpointCase(
            region: "us-east-2", environment: ["AWS_USE_FIPS_ENDPOINT": "true"], endpoint: "https://sts-fips.us-east-2.amazonaws.com",
            signingRegion: "us-east-2"),
        EndpointCase(
            region: "eu-west-1", environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1/sts", "AWS_ENDPOINT_URL": "http://other"],
            endpoint: "http://127.0.0.1:1/sts", signingRegion: "eu-west-1"),
        EndpointCase(
            region: nil, environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:2"], endpoint: "http://127.0.0.1:2",
            signingRegion: "us-east-1"),
        EndpointCase(
            region: "eu-west-1", config: "[default]\nservices = s\nendpoint_url = http://all\n[services s]\nsts =\n  endpoint_url = http://sts.local:3\n",
            endpoint: "http://sts.local:3", signingRegion: "eu-west-1"),
        EndpointCase(
            region: "eu-west-1", config: "[default]\nendpoint_url = http://all.local\n", endpoint: "http://all.local",
            signingRegion: "eu-west-1"),
        EndpointCase(
            region: "eu-west-1", environment: ["AWS_ENDPOINT_URL_STS": "http://ignored", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"],
            endpoint: "https://sts.eu-west-1.amazonaws.com", signingRegion: "eu-west-1"),
    ])
    func choosesTheEndpointLikeTheSDKs(_ testCase: EndpointCase) throws {
        let sts = try client(region: testCase.region, environment: testCase.environment, config: testCase.config)
        #expect(sts.endpoint.description == testCase.endpoint)
        #expect(sts.signingRegion == testCase.signingRegion)
    }

    @Test func rejectsAMalformedEndpointURL() {
        #expect(throws: CredentialsError.failed("test", "AWS_ENDPOINT_URL_STS is not an http or https URL with a host: \"ftp://x\"")) {
            try client(region: "us-east-1", environment: ["AWS_ENDPOINT_URL_STS": "ftp://x"])
        }
    }

    @Test func takesTheRegionFromTheFlagThenTheEnvironmentThenTheProfile() {
        let profile = SharedConfigSection(name: "p", properties: ["region": "ap-south-1"])
        #expect(STSClient.region(flag: "eu-north-1", environment: ["AWS_REGION": "x"], profile: profile) == "eu-north-1")
        #expect(STSClient.region(flag: nil, environment: ["AWS_REGION": "us-west-1", "AWS_DEFAULT_REGION": "y"], profile: profile) == "us-west-1")
        #expect(STSClient.region(flag: nil, environment: ["AWS_DEFAULT_REGION": "us-west-2"], profile: profile) == "us-west-2")
        #expect(STSClient.region(flag: nil, environment: [:], profile: profile) == "ap-south-1")
        #expect(STSClient.region(flag: nil, environment: [:], profile: nil) == nil)
    }

    @Test func formEncodesTheParameters() {
        let body = STSClient.formBody([("Action", "AssumeRole"), ("RoleArn", "arn:aws:iam::1:role/a b"), ("X", "~_-.+/=")])
        #expect(String(decoding: body, as: UTF8.self) == "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b&X=~_-.%2B%2F%3D")
    }
}

@Suite struct STSXMLElementTests {
    @Test func readsAnAssumeRoleResponse() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId>ASIAXML</AccessKeyId>
                  <SecretAccessKey>a&amp;b&lt;c&#62;d&#x41;</SecretAccessKey>
                  <SessionToken><![CDATA[tok<en>]]></SessionToken>
                  <Expiration>2026-01-01T01:00:00Z</Expiration>
                </Credentials>
                <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn><Empty/></AssumedRoleUser>
              </AssumeRoleResult>
            </AssumeRoleResponse>
            """
        let root = try #require(STSXMLElement.parse(Array(xml.utf8)))
        #expect(root.name == "AssumeRoleResponse")
        let credentials = try #require(root.descendant("Credentials"))
        #expect(credentials.text(of: "AccessKeyId") == "ASIAXML")
        #expect(credentials.text(of: "SecretAccessKey") == "a&b<c>dA")
        #expect(credentials.text(of: "SessionToken") == "tok<en>")
        #expect(root.child("AssumeRoleResult", "AssumedRoleUser", "Arn")?.text == "arn:aws:sts::1:assumed-role/r/s")
        #expect(!root.description.contains("ASIAXML"))
        var dumped = ""
        dump(root, to: &dumped)
        #expect(!dumped.contains("a&b"))
    }

    @Test func readsAnErrorResponseWithNamespacePrefixes() throws {
        let xml = """
            <sts:ErrorResponse xmlns:sts="x"><sts:Error><sts:Type>Sender</sts:Type><sts:Code>AccessDenied</sts:Code>
            <sts:Message attr='1'>not "authorized"</sts:Message></sts:Error><sts:RequestId>rid-1</sts:RequestId></sts:ErrorResponse>
            """
        let root = try #require(STSXMLElement.parse(Array(xml.utf8)))
        #expect(root.text(of: "Code") == "AccessDenied")
        #expect(root.text(of: "Message") == "not \"authorized\"")
        #expect(root.text(of: "RequestId") == "rid-1")
    }

    @Test(arguments: ["<a><b></a>", "<a>", "<a></b>", "", "<a><![CDATA[x</a>"])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(STSXMLElement.parse(Array(text.utf8)) == nil)
    }

    @Test func keepsUnknownEntitiesAsWritten() throws {
        let root = try #require(STSXMLElement.parse(Array("<a>x &nbsp; &amp y</a>".utf8)))
        #expect(root.text == "x &nbsp; &amp y")
    }
}
