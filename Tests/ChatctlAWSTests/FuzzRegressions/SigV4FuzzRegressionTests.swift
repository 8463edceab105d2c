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

    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// The signing times the flags' top two bits choose, as in the fuzz target.
    static let dates: [Date] = [
        Date(timeIntervalSince1970: 1_440_938_160), Date(timeIntervalSince1970: 0),
        Date(timeIntervalSince1970: 253_402_300_799), Date(timeIntervalSince1970: -62_135_596_800),
    ]

    @Test func hasInputsToReplay() {
        #expect(Self.inputs.count >= 3)
    }

    @Test(arguments: inputs)
    func canonicalisesSignsAndVerifies(name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let flags = bytes.first ?? 0
        let text = FuzzRequestText(bytes.dropFirst())
        let options = SigV4Signer.Options(
            normalizesPath: flags & 0x01 == 0, doubleEncodesPath: flags & 0x02 == 0,
            payloadSigning: flags & 0x04 == 0 ? .bodyHash : .unsigned,
            addsContentSHA256Header: flags & 0x08 != 0, omitsSessionToken: flags & 0x30 == 0x30)
        let date = Self.dates[Int(flags >> 6)]
        let request = HTTPRequest(
            method: text.method, scheme: flags & 0x20 == 0 ? "https" : "http",
            authority: text.headers["host"] ?? "example.amazonaws.com", path: text.path, query: text.query,
            headers: text.headers, body: text.body)

        let uri = CanonicalRequest.canonicalURI(
            path: request.path, normalize: options.normalizesPath, doubleEncode: options.doubleEncodesPath)
        #expect(uri.hasPrefix("/"))
        #expect(uri.utf8.allSatisfy { Self.encodedBytes.contains($0) || $0 == UInt8(ascii: "/") }, "\(uri)")
        let query = CanonicalRequest.canonicalQueryString(query: request.query)
        #expect(query.utf8.allSatisfy { Self.encodedBytes.contains($0) || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "&") })

        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyId: Self.credentials.accessKeyId, secretAccessKey: Self.credentials.secretAccessKey,
                sessionToken: flags & 0x10 != 0 ? "token" : nil),
            region: "us-east-1", service: "service", options: options, keyCache: SigningKeyCache())
        let verifier = SigV4Verifier(service: "service", region: "us-east-1", options: options) { id in
            id == Self.credentials.accessKeyId ? Self.credentials.secretAccessKey : nil
        }
        _ = try? verifier.verify(request, now: date)
        let signed = signer.signing(request, at: date)
        _ = signer.presigning(request, at: date, expiresIn: Int(flags))
        if text.hasTokenHeaderNames, options.payloadSigning == .bodyHash || options.addsContentSHA256Header {
            #expect(throws: Never.self) { try verifier.verify(signed.signedRequest, now: date) }
        }
    }

    /// Unreserved bytes, `%` and upper-case hex: what percent-encoded text is made of.
    static let encodedBytes = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%".utf8))
}
