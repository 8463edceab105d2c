import ChatctlAWS
import Foundation
import Testing

@Suite struct AWSServiceErrorTests {
    struct DecodeCase: CustomTestStringConvertible, Sendable {
        var name: String
        var status: Int
        var headers: HTTPHeaders = [:]
        var body: String
        var code: String?
        var kind: AWSServiceError.Kind
        var message: String?
        var requestId: String? = nil
        var testDescription: String { name }
    }

    static let decodeCases: [DecodeCase] = [
        DecodeCase(
            name: "header wins over the body", status: 400,
            headers: ["X-Amzn-ErrorType": "InvalidParameterException:http://internal.amazon.com/coral/", "x-amzn-RequestId": "req-1"],
            body: #"{"__type":"Other","code":"AlsoOther","message":"bad value"}"#,
            code: "InvalidParameterException", kind: .invalidParameter, message: "bad value", requestId: "req-1"),
        DecodeCase(
            name: "code member before __type", status: 404, body: #"{"code":"ResourceNotFoundException","__type":"X","Message":"no instance"}"#,
            code: "ResourceNotFoundException", kind: .resourceNotFound, message: "no instance"),
        DecodeCase(
            name: "__type with namespace and url", status: 429,
            body: #"{"__type":"com.amazonaws.connect#LimitExceededException:http://x/y","message":"too many chats"}"#,
            code: "LimitExceededException", kind: .limitExceeded, message: "too many chats"),
        DecodeCase(
            name: "message member in lower case wins", status: 400, body: #"{"__type":"InvalidRequestException","message":"m1","Message":"m2"}"#,
            code: "InvalidRequestException", kind: .invalidRequest, message: "m1"),
        DecodeCase(
            name: "request id in the s3-style header", status: 403, headers: ["x-amz-request-id": "req-2"],
            body: #"{"__type":"AccessDeniedException","Message":"not allowed"}"#,
            code: "AccessDeniedException", kind: .accessDenied, message: "not allowed", requestId: "req-2"),
        DecodeCase(
            name: "html from a proxy", status: 502, body: "<html>Bad Gateway</html>\n", code: nil, kind: .unknown,
            message: "<html>Bad Gateway</html>"),
        DecodeCase(name: "empty body", status: 503, body: "", code: nil, kind: .unknown, message: nil),
        DecodeCase(
            name: "unknown code", status: 400, body: #"{"__type":"SomethingNewException"}"#, code: "SomethingNewException",
            kind: .unknown, message: nil),
        DecodeCase(
            name: "alias of throttling", status: 400, body: #"{"__type":"Throttling","message":"Rate exceeded"}"#,
            code: "Throttling", kind: .throttling, message: "Rate exceeded"),
        DecodeCase(
            name: "empty header falls back to nothing", status: 400, headers: ["X-Amzn-ErrorType": ":x"], body: "{}",
            code: nil, kind: .unknown, message: nil),
    ]

    @Test(arguments: decodeCases)
    func decodesTheCodeMessageAndRequestId(_ testCase: DecodeCase) {
        let error = AWSServiceError(
            response: HTTPResponse(status: testCase.status, headers: testCase.headers, body: Array(testCase.body.utf8)))
        #expect(error.code == testCase.code)
        #expect(error.kind == testCase.kind)
        #expect(error.message == testCase.message)
        #expect(error.requestId == testCase.requestId)
        #expect(error.httpStatus == testCase.status)
    }

    @Test(arguments: [
        ("FooError", "FooError"), ("aws.protocoltests.restjson#FooError", "FooError"),
        ("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"),
        ("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"),
        (" FooError ", "FooError"), ("a#b#c", "b#c"),
    ])
    func sanitizesCodesAsRestJson1Says(_ raw: String, _ expected: String) {
        #expect(AWSServiceError.sanitizeCode(raw) == expected)
    }

    @Test(arguments: ["StartChatContact", "StopContact"])
    func classifiesEveryModelledError(_ operation: String) throws {
        let errors = try ModelCoverage.errors(operation)
        #expect(!errors.isEmpty)
        for (shape, status) in errors {
            let error = AWSServiceError(
                response: HTTPResponse(status: status, body: Array(#"{"__type":"\#(shape)","Message":"m"}"#.utf8)),
                operation: operation)
            #expect(error.kind != .unknown, "\(shape)")
            #expect(error.kind.rawValue == shape)
            #expect(error.isThrottling == false, "\(shape) is not a rate throttle")
            #expect(error.isRetryable == (status >= 500), "\(shape)")
            #expect(error.isCapacity == (shape == "LimitExceededException"), "\(shape)")
        }
    }

    struct ClassificationCase: CustomTestStringConvertible, Sendable {
        var code: String?
        var status: Int
        var message: String? = nil
        var throttling = false
        var retryable = false
        var clockSkew = false
        var capacity = false
        var testDescription: String { "\(code ?? "no code") \(status)" }
    }

    static let classificationCases: [ClassificationCase] = [
        ClassificationCase(code: "ThrottlingException", status: 400, throttling: true, retryable: true),
        ClassificationCase(code: "TooManyRequestsException", status: 429, throttling: true, retryable: true),
        ClassificationCase(code: "LimitExceededException", status: 429, capacity: true),
        ClassificationCase(code: "ServiceQuotaExceededException", status: 402, capacity: true),
        ClassificationCase(code: nil, status: 429, throttling: true, retryable: true),
        ClassificationCase(code: "InternalServiceException", status: 500, retryable: true),
        ClassificationCase(code: nil, status: 502, retryable: true),
        ClassificationCase(code: nil, status: 503, retryable: true),
        ClassificationCase(code: nil, status: 504, retryable: true),
        ClassificationCase(code: nil, status: 501),
        ClassificationCase(code: "RequestTimeout", status: 400, retryable: true),
        ClassificationCase(code: "AccessDeniedException", status: 403),
        ClassificationCase(code: "IdempotentParameterMismatchException", status: 400),
        ClassificationCase(code: "RequestTimeTooSkewed", status: 403, clockSkew: true),
        ClassificationCase(code: "RequestExpired", status: 400, clockSkew: true),
        ClassificationCase(
            code: "InvalidSignatureException", status: 403,
            message: "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z", clockSkew: true),
        ClassificationCase(code: "InvalidSignatureException", status: 403, message: "The request signature we calculated does not match"),
    ]

    @Test(arguments: classificationCases)
    func classifiesThrottlesTransientsSkewAndCapacity(_ testCase: ClassificationCase) {
        let error = AWSServiceError(code: testCase.code, message: testCase.message, httpStatus: testCase.status)
        #expect(error.isThrottling == testCase.throttling)
        #expect(error.isRetryable == testCase.retryable)
        #expect(error.isClockSkew == testCase.clockSkew)
        #expect(error.isCapacity == testCase.capacity)
    }

    struct HintCase: CustomTestStringConvertible, Sendable {
        var code: String
        var status: Int
        var message: String? = nil
        var operation = "StartChatContact"
        var fragment: String
        var testDescription: String { code }
    }

    static let hintCases: [HintCase] = [
        HintCase(
            code: "InvalidParameterException", status: 400, message: "ChatDurationInMinutes is not supported",
            fragment: "the account may not support custom chat durations"),
        HintCase(code: "LimitExceededException", status: 429, fragment: "concurrent active chats (500 by default)"),
        HintCase(code: "AccessDeniedException", status: 403, fragment: "needs permission connect:StartChatContact on that instance"),
        HintCase(code: "AccessDeniedException", status: 403, operation: "StopContact", fragment: "connect:StopContact"),
        HintCase(code: "ResourceNotFoundException", status: 404, fragment: "the instance, the contact flow or the region is wrong"),
        HintCase(code: "InvalidSignatureException", status: 403, fragment: "secret access key"),
        HintCase(code: "RequestTimeTooSkewed", status: 403, fragment: "system clock"),
        HintCase(code: "ThrottlingException", status: 400, fragment: "lower the concurrency"),
        HintCase(code: "IdempotentParameterMismatchException", status: 400, fragment: "ClientToken was used before"),
        HintCase(code: "ContactNotFoundException", status: 410, fragment: "already ended"),
        HintCase(code: "ExpiredTokenException", status: 403, fragment: "expired"),
    ]

    @Test(arguments: hintCases)
    func hintsAtTheCommonCauses(_ testCase: HintCase) throws {
        let error = AWSServiceError(
            code: testCase.code, message: testCase.message, httpStatus: testCase.status, operation: testCase.operation)
        let hint = try #require(error.hint)
        #expect(hint.contains(testCase.fragment), "\(hint)")
        #expect(hint.first?.isLowercase == true)
        #expect(!hint.hasSuffix("."))
    }

    @Test func hasNoHintForAPlainValidationError() {
        #expect(AWSServiceError(code: "InvalidParameterException", message: "DisplayName too long", httpStatus: 400).hint == nil)
    }

    @Test func readsTheServerDateAndRetryAfter() {
        let error = AWSServiceError(
            response: HTTPResponse(
                status: 503,
                headers: ["Date": "Sun, 30 Aug 2015 12:36:00 GMT", "x-amz-retry-after": "1500"]))
        #expect(error.serverDate == Date(timeIntervalSince1970: 1_440_938_160))
        #expect(error.retryAfterMilliseconds == 1500)
        let malformed = AWSServiceError(
            response: HTTPResponse(status: 503, headers: ["Date": "yesterday", "x-amz-retry-after": "-4"]))
        #expect(malformed.serverDate == nil)
        #expect(malformed.retryAfterMilliseconds == nil)
    }

    @Test func readsTheReasonOfAnInvalidRequest() {
        let body = #"{"__type":"InvalidRequestException","Message":"bad file","Reason":{"AttachedFileInvalidRequestExceptionReason":"INVALID_FILE_SIZE"}}"#
        let error = AWSServiceError(response: HTTPResponse(status: 400, body: Array(body.utf8)))
        #expect(error.reason == "INVALID_FILE_SIZE")
    }

    @Test func describesItselfWithCodeStatusAndRequestId() {
        #expect(
            AWSServiceError(code: "LimitExceededException", message: "Too many", httpStatus: 429, requestId: "r-1").description
                == "LimitExceededException: Too many (HTTP 429, request id r-1)")
        #expect(AWSServiceError(code: nil, message: "Bad Gateway", httpStatus: 502).description == "HTTP 502: Bad Gateway")
    }
}
