import ChatctlAWS
import ChatctlEmulator
import Testing

@Suite struct EmulatorCredentialsTests {
    @Test func clientCredentialsCarryTheSameKeys() {
        let credentials = EmulatorCredentials.standard.awsCredentials
        #expect(credentials.accessKeyId == "AKIDCHATCTLEMULATOR")
        #expect(credentials.secretAccessKey == "chatctl-emulator-secret")
        #expect(credentials.sessionToken == nil)
    }
}
