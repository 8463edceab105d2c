import ChatctlAWS
import Foundation
import Testing

@Suite struct SigV4SignerTests {
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    private func signer(_ credentials: AWSCredentials = credentials, options: SigV4Signer.Options = .init()) -> SigV4Signer {
        SigV4Signer(credentials: credentials, region: "us-east-1", service: "connect", options: options, keyCache: SigningKeyCache())
    }

    private func chatRequest() -> HTTPRequest {
        HTTPRequest(
            method: "PUT", authority: "connect.us-east-1.amazonaws.com", path: "/contact/chat",
            headers: ["Content-Type": "application/json"], body: Array(#"{"InstanceId":"i"}"#.utf8))
    }

    /// Headers added out of order (`X-Zeta` before `Content-Type` before `X-Alpha`) are
    /// signed in sorted order; the signature is botocore's for the same request (computed
    /// with `SigV4Auth`), so it holds whatever order the signer adds its own headers in.
    @Test func signsHeadersAddedOutOfOrderInSortedOrder() {
        let request = HTTPRequest(
            method: "PUT", authority: "connect.us-east-1.amazonaws.com", path: "/contact/chat",
            headers: ["X-Zeta": "z", "Content-Type": "application/json", "X-Alpha": "a"],
            body: Array(#"{"InstanceId":"i"}"#.utf8))
        let result = signer().signing(request, at: Self.date)
        #expect(result.canonicalRequest.signedHeaders == "content-type;host;x-alpha;x-amz-date;x-zeta")
        #expect(
            result.canonicalRequest.text
                == "PUT\n/contact/chat\n\ncontent-type:application/json\nhost:connect.us-east-1.amazonaws.com\n"
                + "x-alpha:a\nx-amz-date:20150830T123600Z\nx-zeta:z\n\ncontent-type;host;x-alpha;x-amz-date;x-zeta\n"
                + "37dd21b61883ef42975a9c7ecacc1f8eae432815fade012c665a19e9a6eb46f3")
        #expect(result.signature == "5be1a284b86ac036a862ab664385946c5103c31b847e76e517cb9bffc3128605")
    }

    @Test func addsHostFromTheAuthorityWithoutTheDefaultPort() {
        var request = chatRequest()
        request.authority = "connect.us-east-1.amazonaws.com:443"
        let signed = signer().sign(request, at: Self.date)
        #expect(signed.headers["host"] == "connect.us-east-1.amazonaws.com")

        request.scheme = "http"
        request.authority = "127.0.0.1:8080"
        #expect(signer().sign(request, at: Self.date).headers["host"] == "127.0.0.1:8080")
    }

    @Test func signsTheBodyHashAndEveryHeader() {
        let result = signer().signing(chatRequest(), at: Self.date)
        #expect(result.canonicalRequest.payloadHash == SHA256.hexDigest(#"{"InstanceId":"i"}"#))
        #expect(result.canonicalRequest.signedHeaders == "content-type;host;x-amz-date")
        #expect(result.signedRequest.headers["x-amz-date"] == "20150830T123600Z")
        #expect(
            result.signedRequest.headers["authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/connect/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=\(result.signature)")
    }

    @Test func leavesUserAgentAndTraceHeadersUnsigned() {
        var request = chatRequest()
        request.headers.add(name: "User-Agent", value: "chatctl/1")
        request.headers.add(name: "X-Amzn-Trace-Id", value: "Root=1")
        let result = signer().signing(request, at: Self.date)
        #expect(result.canonicalRequest.signedHeaders == "content-type;host;x-amz-date")
    }

    @Test func signsTheSessionTokenUnlessToldToOmitIt() {
        var credentials = Self.credentials
        credentials.sessionToken = "token/+="
        let signed = signer(credentials).signing(chatRequest(), at: Self.date)
        #expect(signed.canonicalRequest.signedHeaders == "content-type;host;x-amz-date;x-amz-security-token")
        #expect(signed.signedRequest.headers["x-amz-security-token"] == "token/+=")

        let omitted = signer(credentials, options: .init(omitsSessionToken: true)).signing(chatRequest(), at: Self.date)
        #expect(omitted.canonicalRequest.signedHeaders == "content-type;host;x-amz-date")
        #expect(omitted.signedRequest.headers["x-amz-security-token"] == "token/+=")
    }

    @Test func addsTheContentHashHeaderWhenAsked() {
        let result = signer(options: .init(addsContentSHA256Header: true)).signing(chatRequest(), at: Self.date)
        #expect(result.signedRequest.headers["x-amz-content-sha256"] == result.canonicalRequest.payloadHash)
        #expect(result.canonicalRequest.signedHeaders.contains("x-amz-content-sha256"))
    }

    @Test func usesUnsignedOrPrecomputedPayloadHashes() {
        #expect(
            signer(options: .init(payloadSigning: .unsigned)).signing(chatRequest(), at: Self.date)
                .canonicalRequest.payloadHash == "UNSIGNED-PAYLOAD")
        #expect(
            signer(options: .init(payloadSigning: .precomputed("abc"))).signing(chatRequest(), at: Self.date)
                .canonicalRequest.payloadHash == "abc")
    }

    @Test func signingAgainReplacesTheEarlierSignature() {
        let later = Self.date.addingTimeInterval(90)
        var credentials = Self.credentials
        credentials.sessionToken = "t"
        let once = signer(credentials).sign(chatRequest(), at: Self.date)
        let twice = signer(credentials).signing(once, at: later)
        let fresh = signer(credentials).signing(chatRequest(), at: later)
        #expect(twice.signedRequest.headers.values(for: "authorization").count == 1)
        #expect(twice.signedRequest.headers.values(for: "x-amz-date") == ["20150830T123730Z"])
        #expect(twice.signedRequest.headers.values(for: "x-amz-security-token") == ["t"])
        #expect(twice.signature == fresh.signature)
    }

    @Test func isDeterministicForTheSameInputs() {
        #expect(signer().sign(chatRequest(), at: Self.date) == signer().sign(chatRequest(), at: Self.date))
    }

    @Test func presignedURLCarriesTheSignatureInTheQuery() throws {
        let request = HTTPRequest(method: "GET", authority: "example.amazonaws.com", path: "/", query: "a=1")
        let presigned = signer().presign(request, at: Self.date, expiresIn: 900)
        let query = try #require(presigned.query)
        #expect(query.hasPrefix("a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
        #expect(query.contains("X-Amz-Expires=900"))
        #expect(query.contains("X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fconnect%2Faws4_request"))
        #expect(query.contains("&X-Amz-Signature="))
        #expect(presigned.headers["authorization"] == nil)
        #expect(presigned.headers["x-amz-date"] == nil)
    }

    @Test func exposesEachStepUnderItsSpecName() {
        let result = signer().signing(chatRequest(), at: Self.date)
        let canonical = SigV4Signer.canonicalRequest(
            for: result.signedRequest, signedHeaders: ["host", "content-type", "x-amz-date"],
            payloadHash: result.canonicalRequest.payloadHash)
        #expect(canonical == result.canonicalRequest)
        let stringToSign = SigV4Signer.stringToSign(
            canonicalRequest: canonical, timestamp: SigV4Timestamp(Self.date), scope: result.scope)
        #expect(stringToSign == result.stringToSign)
        let key = signer().signingKey(for: result.scope)
        #expect(SigV4Signer.signature(signingKey: key, stringToSign: stringToSign) == result.signature)
    }

    @Test func signsAMissingListedHeaderWithAnEmptyValue() {
        let request = HTTPRequest(method: "GET", authority: "h", headers: ["Host": "h"])
        let canonical = SigV4Signer.canonicalRequest(
            for: request, signedHeaders: ["host", "x-missing"], payloadHash: SigV4Signer.emptyPayloadHash)
        #expect(canonical.canonicalHeaders == [HTTPHeader(name: "host", value: "h"), HTTPHeader(name: "x-missing", value: "")])
    }
}
