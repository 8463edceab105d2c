import Testing
@testable import ChatctlCore

@Suite struct ConnectARNTests {
    @Test func parsesAnInstanceARN() throws {
        let arn = try ConnectARN.parse("arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012").get()
        #expect(arn.region == "us-west-2")
        #expect(arn.account == "123456789012")
        #expect(arn.instanceID == "12345678-1234-1234-1234-123456789012")
        #expect(arn.resource == .instance)
    }

    @Test func parsesAContactFlowARN() throws {
        let arn = try ConnectARN.parse("arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/abc/contact-flow/def").get()
        #expect(arn.partition == "aws-us-gov")
        #expect(arn.resource == .contactFlow(id: "def"))
    }

    @Test func recognisesOtherConnectResources() throws {
        let arn = try ConnectARN.parse("arn:aws:connect:us-east-1:123456789012:instance/abc/queue/q1").get()
        #expect(arn.resource == .other("queue"))
    }

    @Test(arguments: [
        ("arn:aws:connect:us-east-1:123456789012", "is not a well-formed ARN (arn:partition:connect:region:account:resource)"),
        ("arn:aws:s3:us-east-1:123456789012:instance/a", "is an ARN of the service \"s3\", not of Amazon Connect"),
        ("arn:gcp:connect:us-east-1:123456789012:instance/a", "has an unknown partition \"gcp\" (expected aws, aws-cn, aws-us-gov, …)"),
        ("arn:aws:connect:useast1:123456789012:instance/a", "has an invalid region \"useast1\""),
        ("arn:aws:connect:us-east-1:1234:instance/a", "has an invalid account id \"1234\" (12 digits expected)"),
        ("arn:aws:connect:us-east-1:123456789012:flow/a", "has no instance/<id> resource"),
    ])
    func explainsWhyATextIsNotAConnectARN(text: String, reason: String) {
        guard case .failure(let failure) = ConnectARN.parse(text) else {
            Issue.record("parsed \(text)")
            return
        }
        #expect(failure.reason == reason)
    }
}
