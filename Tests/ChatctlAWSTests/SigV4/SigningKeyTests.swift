import ChatctlAWS
import Testing

@Suite struct SigningKeyTests {
    private let exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    @Test func derivesTheFourRoundHMACKey() {
        // Expected value computed independently with Python's hmac module:
        // HMAC(HMAC(HMAC(HMAC("AWS4" + secret, "20120215"), "us-east-1"), "iam"), "aws4_request").
        let key = SigningKey(
            secretAccessKey: exampleSecret,
            scope: CredentialScope(dateStamp: "20120215", region: "us-east-1", service: "iam"))
        #expect(hex(key.bytes) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func redactsItsBytesWhenPrinted() {
        let key = SigningKey(
            secretAccessKey: exampleSecret,
            scope: CredentialScope(dateStamp: "20150830", region: "us-east-1", service: "connect"))
        let printed = "\(key) \(String(reflecting: key))"
        #expect(!printed.contains(hex(key.bytes)))
        #expect(printed.contains("(redacted)"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(dumped.contains("(redacted)"))
        #expect(!dumped.contains(hex(key.bytes)))
    }
}

@Suite struct SigningKeyCacheTests {
    private let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret-one")
    private let scope = CredentialScope(dateStamp: "20150830", region: "us-east-1", service: "connect")

    @Test func returnsTheSameKeyAsDerivingItDirectly() {
        let cache = SigningKeyCache()
        let cached = cache.signingKey(for: credentials, scope: scope)
        #expect(cached == SigningKey(secretAccessKey: "secret-one", scope: scope))
        #expect(cache.signingKey(for: credentials, scope: scope) == cached)
        #expect(cache.count == 1)
    }

    @Test func keepsOneKeyPerScopeAndSecret() {
        let cache = SigningKeyCache()
        let other = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret-two")
        let nextDay = CredentialScope(dateStamp: "20150831", region: "us-east-1", service: "connect")
        let keys = [
            cache.signingKey(for: credentials, scope: scope),
            cache.signingKey(for: other, scope: scope),
            cache.signingKey(for: credentials, scope: nextDay),
        ]
        #expect(Set(keys.map(\.bytes)).count == 3)
        #expect(cache.count == 3)
    }

    @Test func emptiesItselfWhenFull() {
        let cache = SigningKeyCache(capacity: 2)
        for region in ["us-east-1", "us-west-2", "eu-west-1"] {
            _ = cache.signingKey(for: credentials, scope: CredentialScope(dateStamp: "20150830", region: region, service: "s"))
        }
        #expect(cache.count == 1)
    }

    @Test func isSafeToUseFromManyTasksAtOnce() async {
        let cache = SigningKeyCache()
        let expected = SigningKey(secretAccessKey: "secret-one", scope: scope)
        let credentials = credentials
        let scope = scope
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask { cache.signingKey(for: credentials, scope: scope) == expected }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
        #expect(cache.count == 1)
    }
}
