import ChatctlAWS
import Foundation
import Testing

/// Replays `Fixtures/fuzz-regressions/FuzzSigV4Canonicalisation/*` as the fuzz target runs
/// them: a flags byte, then a request as text. Canonicalisation never crashes and yields
/// an encoded absolute URI and query; a request we sign passes our own verifier whenever
/// its header names are tokens and the verifier can know the payload hash.
@Suite struct SigV4FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions/FuzzSigV4Canonicalisation")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func hasInputsToReplay() {
        #expect(Self.inputs.count >= 3)
    }

    @Test(arguments: inputs)
    func canonicalisesSignsAndVerifies(name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let input = FuzzSigningInput(bytes)
        let (request, options, date) = (input.request, input.options, input.date)

        let uri = CanonicalRequest.canonicalURI(
            path: request.path, normalize: options.normalizesPath, doubleEncode: options.doubleEncodesPath)
        #expect(uri.hasPrefix("/"))
        #expect(uri.utf8.allSatisfy { Self.encodedBytes.contains($0) || $0 == UInt8(ascii: "/") }, "\(uri)")
        let query = CanonicalRequest.canonicalQueryString(query: request.query)
        #expect(query.utf8.allSatisfy { Self.encodedBytes.contains($0) || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "&") })

        let signer = SigV4Signer(
            credentials: input.signingCredentials, region: "us-east-1", service: "service", options: options,
            keyCache: SigningKeyCache())
        let verifier = input.verifier
        _ = try? verifier.verify(request, now: date)
        let signed = signer.signing(request, at: date)
        _ = signer.presigning(request, at: date, expiresIn: Int(input.flags))
        if input.mustVerifyOnceSigned {
            #expect(throws: Never.self) { try verifier.verify(signed.signedRequest, now: date) }
        }
    }

    /// Unreserved bytes, `%` and upper-case hex: what percent-encoded text is made of.
    static let encodedBytes = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%".utf8))
}
