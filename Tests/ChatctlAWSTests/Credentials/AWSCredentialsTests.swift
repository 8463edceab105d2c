import ChatctlAWS
import Foundation
import Testing

@Suite struct AWSCredentialsTests {
    private let credentials = AWSCredentials(
        accessKeyId: "ASIAEXAMPLEKEYID1234", secretAccessKey: "very/secret+key", sessionToken: "session-token-value",
        expiration: Date(timeIntervalSince1970: 1_767_225_600))

    @Test func neverPrintsTheSecretOrTheToken() {
        var dumped = ""
        dump(credentials, to: &dumped)
        let renderings = [
            credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
            dumped, "\([credentials])",
        ]
        for text in renderings {
            #expect(!text.contains("very/secret+key"), "\(text)")
            #expect(!text.contains("session-token-value"), "\(text)")
            #expect(!text.contains("ASIAEXAMPLEKEYID1234"), "\(text)")
        }
        #expect(credentials.description.contains("****************1234"))
        #expect(credentials.description.contains("2026-01-01T00:00:00Z"))
    }

    @Test func masksShortAccessKeyIdsEntirely() {
        #expect(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s").maskedAccessKeyId == "****")
    }

    @Test func expiresWithinTheMarginBeforeTheExpiration() {
        let expiry = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(credentials.expires(within: 300, of: expiry.addingTimeInterval(-299)))
        #expect(credentials.expires(within: 300, of: expiry.addingTimeInterval(-300)))
        #expect(!credentials.expires(within: 300, of: expiry.addingTimeInterval(-301)))
        #expect(!AWSCredentials(accessKeyId: "a", secretAccessKey: "b").expires(within: 300, of: expiry))
    }
}
