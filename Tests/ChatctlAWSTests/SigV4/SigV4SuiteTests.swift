import ChatctlAWS
import Foundation
import Testing

/// Every case of the aws-c-auth SigV4 suite (`Fixtures/sigv4`), in both header and query
/// (presigned) mode: canonical request, string to sign and signature byte for byte, and
/// the signed request compared the way upstream's harness compares it.
@Suite struct SigV4SuiteTests {
    @Test func findsAllThirtyEightCases() {
        #expect(SigV4SuiteCase.all.count == 38)
    }

    @Test(arguments: SigV4SuiteCase.all)
    func headerSigningMatchesTheSuite(_ suiteCase: SigV4SuiteCase) throws {
        let signer = try suiteCase.signer()
        let result = signer.signing(try suiteCase.request(), at: try suiteCase.signingDate())

        #expect(result.canonicalRequest.text == (try suiteCase.text("header-canonical-request.txt")))
        #expect(result.stringToSign == (try suiteCase.text("header-string-to-sign.txt")))
        #expect(result.signature == (try suiteCase.text("header-signature.txt")))

        let expected = try suiteCase.request("header-signed-request.txt")
        let actual = result.signedRequest
        #expect(actual.method == expected.method)
        #expect(actual.path == expected.path)
        #expect(actual.query == expected.query)
        #expect(actual.body == expected.body)
        #expect(actual.headers.count == expected.headers.count)
        for name in Set(expected.headers.map { $0.name.lowercased() }) where name != "authorization" {
            #expect(actual.headers.values(for: name) == expected.headers.values(for: name), "header \(name)")
        }
        let expectedAuthorization = try SigV4Authorization(parsing: expected.headers["authorization"] ?? "")
        let actualAuthorization = try SigV4Authorization(parsing: actual.headers["authorization"] ?? "")
        #expect(actualAuthorization == expectedAuthorization)
    }

    @Test(arguments: SigV4SuiteCase.all)
    func querySigningMatchesTheSuite(_ suiteCase: SigV4SuiteCase) throws {
        let signer = try suiteCase.signer()
        let context = try suiteCase.context()
        let result = signer.presigning(
            try suiteCase.request(), at: try suiteCase.signingDate(), expiresIn: context.expirationInSeconds)

        #expect(result.canonicalRequest.text == (try suiteCase.text("query-canonical-request.txt")))
        #expect(result.stringToSign == (try suiteCase.text("query-string-to-sign.txt")))
        #expect(result.signature == (try suiteCase.text("query-signature.txt")))

        let expected = try suiteCase.request("query-signed-request.txt")
        let actual = result.signedRequest
        #expect(actual.method == expected.method)
        #expect(actual.path == expected.path)
        let parameters = { (query: String?) in (query ?? "").split(separator: "&").map(String.init).sorted() }
        #expect(parameters(actual.query) == parameters(expected.query))
        #expect(actual.headers == expected.headers)
        #expect(actual.body == expected.body)
    }

    @Test(arguments: SigV4SuiteCase.all)
    func verifierAcceptsTheSuitesHeaderSignedRequest(_ suiteCase: SigV4SuiteCase) throws {
        let context = try suiteCase.context()
        let signed = try suiteCase.request("header-signed-request.txt")
        let secret = context.credentials.secretAccessKey
        let verifier = SigV4Verifier(
            service: context.service, region: context.region,
            options: SigV4Signer.Options(normalizesPath: context.normalize)
        ) { id in id == context.credentials.accessKeyId ? secret : nil }
        let caller = try verifier.verify(signed, now: try suiteCase.signingDate())
        #expect(caller.accessKeyId == context.credentials.accessKeyId)
        #expect(caller.scope.region == context.region)
    }
}
