import ChatctlAWS
import Foundation
import Testing

@Suite struct EnvironmentCredentialProviderTests {
    @Test func readsTheKeysTheSessionTokenAndTheExpiration() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
            "AWS_CREDENTIAL_EXPIRATION": "2026-01-01T00:30:00Z",
        ])
        let credentials = try await provider.credentials()
        #expect(
            credentials
                == AWSCredentials(
                    accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token",
                    expiration: Date(timeIntervalSince1970: 1_767_227_400)))
    }

    @Test func acceptsTheOlderSecurityTokenVariable() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SECURITY_TOKEN": "legacy-token",
        ])
        #expect(try await provider.credentials().sessionToken == "legacy-token")
    }

    @Test func returnsLongTermCredentialsWithoutAnExpiration() async throws {
        let provider = EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"])
        let credentials = try await provider.credentials()
        #expect(credentials.sessionToken == nil)
        #expect(credentials.expiration == nil)
    }

    struct FailureCase: CustomTestStringConvertible, Sendable {
        var environment: [String: String]
        var kind: CredentialsError.Kind
        var message: String
        var testDescription: String { message }
    }

    @Test(arguments: [
        FailureCase(environment: [:], kind: .notConfigured, message: "environment: AWS_ACCESS_KEY_ID not set"),
        FailureCase(environment: ["AWS_ACCESS_KEY_ID": "  "], kind: .notConfigured, message: "environment: AWS_ACCESS_KEY_ID not set"),
        FailureCase(
            environment: ["AWS_SECRET_ACCESS_KEY": "alone"], kind: .notConfigured,
            message: "environment: AWS_ACCESS_KEY_ID not set (AWS_SECRET_ACCESS_KEY is set alone)"),
        FailureCase(
            environment: ["AWS_ACCESS_KEY_ID": "AKID"], kind: .failed,
            message: "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
        FailureCase(
            environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_CREDENTIAL_EXPIRATION": "tomorrow"],
            kind: .failed, message: "environment: AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 timestamp"),
    ])
    func explainsWhyItGaveNothing(_ testCase: FailureCase) async {
        let error = await credentialsError { () async throws(CredentialsError) in
            try await EnvironmentCredentialProvider(environment: testCase.environment).credentials()
        }
        #expect(error?.kind == testCase.kind)
        #expect(error?.description == testCase.message)
    }
}
