import ChatctlAWS
import Testing

@Suite struct HTTPLogRedactorTests {
    @Test func redactsTheBearerTokenOfTheParticipantService() {
        let headers: HTTPHeaders = ["X-Amz-Bearer": "participant-token-SECRET", "Content-Type": "application/json"]
        #expect(headers.redacted()["x-amz-bearer"] == "(redacted)")
        #expect(headers.redacted()["content-type"] == "application/json")
        let request = HTTPRequest(method: "POST", authority: "participant.connect.us-east-1.amazonaws.com", headers: headers)
        let logged = HTTPExchangeLogger.render(request)
        #expect(logged.contains("> X-Amz-Bearer: (redacted)"))
        #expect(!logged.contains("SECRET"))
    }

    struct TextCase: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var expected: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        TextCase(
            name: "canonical request line",
            text: "should have been\n'PUT\n/contact/chat\n\nhost:h\nx-amz-security-token:IQoJb3JpZ2luX2Vj+/=\n\nhost;x-amz-security-token'",
            expected: "should have been\n'PUT\n/contact/chat\n\nhost:h\nx-amz-security-token:(redacted)\n\nhost;x-amz-security-token'"),
        TextCase(
            name: "upper case with spaces", text: "X-Amz-Security-Token :  tok123 and more",
            expected: "X-Amz-Security-Token :  (redacted)"),
        TextCase(
            name: "bearer header", text: "x-amz-bearer:conn-token-1\nnext", expected: "x-amz-bearer:(redacted)\nnext"),
        TextCase(
            name: "presigned query", text: "url?X-Amz-Security-Token=abc%2Fdef&X-Amz-Signature=0123&x=1",
            expected: "url?X-Amz-Security-Token=(redacted)&X-Amz-Signature=(redacted)&x=1"),
        TextCase(
            name: "escaped line break in JSON",
            text: #"{"message":"x-amz-security-token:tok\nnext"}"#, expected: #"{"message":"x-amz-security-token:(redacted)\nnext"}"#),
        TextCase(
            name: "JSON member", text: #"echo {"SessionToken": "tok"}"#, expected: #"echo {"SessionToken": "(sensitive)"}"#),
        TextCase(
            name: "names only inside words are left", text: "my-authorization:x, token: y, The security token included",
            expected: "my-authorization:x, token: y, The security token included"),
    ])
    func redactsValuesServerMessagesQuote(_ testCase: TextCase) {
        #expect(HTTPLogRedactor.redactedText(testCase.text) == testCase.expected)
    }

    @Test func redactsATokenQuotedInAnErrorBodyInVerboseLogs() {
        let body = #"{"message":"The Canonical String ...\nx-amz-security-token:IQoJSECRET\n..."}"#
        let logged = HTTPLogRedactor.redactedBody(Array(body.utf8), contentType: "application/json")
        #expect(logged == #"{"message":"The Canonical String ...\nx-amz-security-token:(redacted)\n..."}"#)
    }
}
