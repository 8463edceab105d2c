public import Foundation

/// An error response from an AWS service, decoded as restJson1 says, classified, and with a
/// hint for the common causes.
///
/// The error code comes from the `X-Amzn-ErrorType` header, else the body's `code`, else its
/// `__type`; it is cleaned as the restJson1 protocol specifies (the text before the first `:`,
/// then the text after the first `#`). The message comes from the body's `message` or
/// `Message`, the request id from `x-amzn-RequestId` (or `x-amz-request-id`).
/// See [restJson1 error responses](https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization).
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What an error code means to chatctl. Every error the model defines for
    /// StartChatContact and StopContact has a case, plus the common AWS-wide ones.
    public enum Kind: String, Sendable, Equatable, Hashable, CaseIterable {
        // Modelled errors of StartChatContact and StopContact.
        case invalidRequest = "InvalidRequestException"
        case invalidParameter = "InvalidParameterException"
        case resourceNotFound = "ResourceNotFoundException"
        case internalService = "InternalServiceException"
        case limitExceeded = "LimitExceededException"
        case contactNotFound = "ContactNotFoundException"
        case invalidActiveRegion = "InvalidActiveRegionException"
        // Common AWS errors.
        case tooManyRequests = "TooManyRequestsException"
        case throttling = "ThrottlingException"
        case accessDenied = "AccessDeniedException"
        case invalidSignature = "InvalidSignatureException"
        case signatureDoesNotMatch = "SignatureDoesNotMatch"
        case incompleteSignature = "IncompleteSignatureException"
        case missingAuthenticationToken = "MissingAuthenticationTokenException"
        case unrecognizedClient = "UnrecognizedClientException"
        case invalidClientTokenId = "InvalidClientTokenId"
        case expiredToken = "ExpiredTokenException"
        case idempotentParameterMismatch = "IdempotentParameterMismatchException"
        case requestTimeTooSkewed = "RequestTimeTooSkewed"
        case requestExpired = "RequestExpired"
        case requestInTheFuture = "RequestInTheFuture"
        case serviceQuotaExceeded = "ServiceQuotaExceededException"
        case serviceUnavailable = "ServiceUnavailableException"
        case validation = "ValidationException"
        // Modelled errors of the Participant Service (restJson1: AccessDenied 403,
        // Validation 400, Throttling 429, these two).
        case internalServer = "InternalServerException"
        case conflict = "ConflictException"
        /// A code chatctl does not know, or no code at all.
        case unknown = "Unknown"

        /// The kind of a cleaned error code; `nil` and unknown codes give ``unknown``.
        /// Aliases the SDKs treat alike (`Throttling`, `ServiceUnavailable`, …) map to one case.
        public init(code: String?) {
            guard let code else {
                self = .unknown
                return
            }
            if let kind = Kind(rawValue: code), kind != .unknown {
                self = kind
                return
            }
            switch code {
            case "Throttling", "ThrottledException", "RequestThrottledException", "RequestThrottled",
                "RequestLimitExceeded", "BandwidthLimitExceeded", "SlowDown", "EC2ThrottledException",
                "ProvisionedThroughputExceededException", "TransactionInProgressException":
                self = .throttling
            case "TooManyRequests":
                self = .tooManyRequests
            case "AccessDenied":
                self = .accessDenied
            case "ExpiredToken":
                self = .expiredToken
            case "ServiceUnavailable":
                self = .serviceUnavailable
            default:
                self = .unknown
            }
        }
    }

    /// The cleaned error code, for example `LimitExceededException`; `nil` when the response
    /// carried none (a bare 502 from a proxy, say).
    public var code: String?
    /// The classification of ``code``.
    public var kind: Kind
    /// The service's message (AWS messages start with a capital), passed through
    /// ``HTTPLogRedactor/redactedText(_:)`` when decoded from a response: a message may
    /// quote the canonical request, session token included.
    public var message: String?
    /// The HTTP status, for example 429.
    public var httpStatus: Int
    /// The request id AWS Support asks for.
    public var requestId: String?
    /// The `Reason` of an `InvalidRequestException` (for example `INVALID_FILE_SIZE`).
    public var reason: String?
    /// The operation that failed, for example `StartChatContact`, if known.
    public var operation: String?
    /// The server's clock from the `Date` header (UTC), used to correct clock skew.
    public var serverDate: Date?
    /// The `x-amz-retry-after` header: how long the service asks the client to wait, in milliseconds.
    public var retryAfterMilliseconds: Int?
    /// The region the request was signed for (SigV4 only), for hints.
    public var signingRegion: String?
    /// The SigV4 service name the request was signed for, for example `connect`.
    public var signingService: String?
    /// The API model's `serviceId` when the operation named it (`ConnectParticipant`), so
    /// hints speak of that service's own causes (tokens rather than IAM permissions).
    public var serviceID: String?

    /// Creates an error from its parts.
    public init(
        code: String?, message: String?, httpStatus: Int, requestId: String? = nil, reason: String? = nil,
        operation: String? = nil, serverDate: Date? = nil, retryAfterMilliseconds: Int? = nil
    ) {
        self.code = code
        self.kind = Kind(code: code)
        self.message = message
        self.httpStatus = httpStatus
        self.requestId = requestId
        self.reason = reason
        self.operation = operation
        self.serverDate = serverDate
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    /// Decodes an error response.
    ///
    /// - Parameters:
    ///   - response: a response with a status of 300 or more.
    ///   - operation: the operation that was called, used in hints.
    public init(response: HTTPResponse, operation: String? = nil) {
        let body = ErrorBody(response.body)
        let rawCode = response.headers["x-amzn-errortype"] ?? body.code ?? body.type
        var message = body.message
        if message == nil, !body.isJSON {
            let text = response.bodyText.trimmingASCIIWhitespace()
            message = text.isEmpty ? nil : String(text.prefix(200))
        }
        self.init(
            code: rawCode.map(Self.sanitizeCode).flatMap { $0.isEmpty ? nil : $0 },
            message: message.map(HTTPLogRedactor.redactedText),
            httpStatus: response.status,
            requestId: response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"],
            reason: body.reason,
            operation: operation,
            serverDate: response.headers["date"].flatMap(Self.parseHTTPDate),
            retryAfterMilliseconds: response.headers["x-amz-retry-after"].flatMap {
                Int($0.trimmingASCIIWhitespace()).flatMap { $0 >= 0 ? $0 : nil }
            })
    }

    /// Decodes an error response of the AWS Query protocol (STS): an XML `ErrorResponse`
    /// with `Error/Code`, `Error/Message` and `RequestId`.
    ///
    /// - Parameters:
    ///   - response: a response with a status of 300 or more.
    ///   - operation: the operation that was called.
    public init(queryResponse response: HTTPResponse, operation: String? = nil) {
        let root = STSXMLElement.parse(response.body)
        self.init(
            code: root?.text(of: "Code").map(Self.sanitizeCode).flatMap { $0.isEmpty ? nil : $0 },
            message: root?.text(of: "Message").map(HTTPLogRedactor.redactedText),
            httpStatus: response.status,
            requestId: root?.text(of: "RequestId") ?? response.headers["x-amzn-requestid"],
            operation: operation,
            serverDate: response.headers["date"].flatMap(Self.parseHTTPDate),
            retryAfterMilliseconds: nil)
    }

    /// Cleans a wire error code as restJson1 specifies: keep the text before the first `:`,
    /// then the text after the first `#`; surrounding whitespace is dropped.
    ///
    /// `aws.protocoltests#FooError:http://internal.amazon.com/` becomes `FooError`.
    public static func sanitizeCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") {
            code = code[..<colon]
        }
        if let hash = code.firstIndex(of: "#") {
            code = code[code.index(after: hash)...]
        }
        return code.trimmingASCIIWhitespace()
    }

    // MARK: - Classification

    /// A request-rate throttle: retry with backoff, and slow the shared rate limiter down.
    /// `LimitExceededException` is not one: on StartChatContact it means the active-chat
    /// quota is used up (see ``isCapacity``), which retrying within seconds does not fix.
    public var isThrottling: Bool {
        switch kind {
        case .throttling, .tooManyRequests:
            return true
        case .unknown:
            return httpStatus == 429
        default:
            return false
        }
    }

    /// A transient server-side failure: HTTP 500, 502, 503 or 504, or a timeout code.
    public var isTransient: Bool {
        if [500, 502, 503, 504].contains(httpStatus) {
            return true
        }
        switch code {
        // IDPCommunicationError: STS could not reach the web identity provider; AWS documents
        // it as transient and to be retried.
        case "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError",
            "InternalFailure", "IDPCommunicationError":
            return true
        default:
            return kind == .serviceUnavailable || kind == .internalService || kind == .internalServer
        }
    }

    /// Whether the AWS SDKs' standard retry mode retries this error: throttles and transient
    /// failures. Clock skew is handled separately (see ``isClockSkew``).
    public var isRetryable: Bool {
        isThrottling || isTransient
    }

    /// The request was rejected because its time is too far from the server's:
    /// `RequestTimeTooSkewed`, `RequestExpired`, `RequestInTheFuture`, or an invalid signature
    /// whose message says the signature expired or is not yet current. Re-signing with the
    /// server's clock (``serverDate``) and retrying once can fix it.
    public var isClockSkew: Bool {
        switch kind {
        case .requestTimeTooSkewed, .requestExpired, .requestInTheFuture:
            return true
        case .invalidSignature, .signatureDoesNotMatch:
            let text = message ?? ""
            return text.contains("Signature expired") || text.contains("Signature not yet current")
        default:
            return false
        }
    }

    /// Whether the error could come from a skewed clock, even if the message does not say
    /// so: ``isClockSkew`` or any invalid signature. The retry strategy then compares
    /// ``serverDate`` with the local clock before retrying.
    public var mayBeClockSkew: Bool {
        isClockSkew || kind == .invalidSignature || kind == .signatureDoesNotMatch
    }

    /// A capacity limit rather than a rate limit: `LimitExceededException` (the instance's
    /// concurrent active-chat quota on StartChatContact) or `ServiceQuotaExceededException`.
    public var isCapacity: Bool {
        kind == .limitExceeded || kind == .serviceQuotaExceeded
    }

    // MARK: - Text

    /// A hint on the likely cause and fix, lowercase with no trailing period; `nil` when
    /// there is nothing more useful to say than the message.
    public var hint: String? {
        if serviceID == participantServiceID, let hint = participantHint {
            return hint
        }
        let action = "connect:\(operation ?? "StartChatContact")"
        if httpStatus == 400, (message ?? "").contains("ChatDurationInMinutes") {
            return "the account may not support custom chat durations (ChatDurationInMinutes); "
                + "leave the duration out to use the default of 25 hours, or keep it within 60 to 10080 minutes"
        }
        switch kind {
        case .limitExceeded:
            return "the instance's quota of concurrent active chats (500 by default) is used up; "
                + "wait for chats to end, stop some, or ask for a higher quota in Service Quotas"
        case .serviceQuotaExceeded:
            return "a service quota of the account is used up; raise it in Service Quotas"
        case .accessDenied:
            return "the IAM identity in use needs permission \(action) on that instance "
                + "(resource arn:aws:connect:<region>:<account>:instance/<id> and its contact flows)"
        case .resourceNotFound:
            return "the instance, the contact flow or the region is wrong: check the ids and that the instance is in the region used"
        case .contactNotFound:
            return "the contact has already ended or does not exist"
        case .invalidActiveRegion:
            return "the instance is active in another region (global resiliency); send the request to that region"
        case .invalidSignature, .signatureDoesNotMatch, .incompleteSignature:
            if isClockSkew {
                return "the system clock is off; synchronise it (for example with NTP)"
            }
            guard let signingRegion, let signingService else {
                return "the secret access key does not match the access key id, or the system clock is off"
            }
            return "the request was signed for service \(signingService) in region \(signingRegion): "
                + "a region (or --endpoint-url) that differs from the one the endpoint serves is the usual cause; "
                + "otherwise the secret access key does not match the access key id, or the system clock is off"
        case .requestTimeTooSkewed, .requestExpired, .requestInTheFuture:
            return "the system clock differs from AWS's by more than 5 minutes; synchronise it (for example with NTP)"
        case .unrecognizedClient, .invalidClientTokenId:
            return "the access key id is not valid in this partition; check which credentials are in use"
        case .expiredToken:
            return "the temporary credentials have expired; refresh them (for example aws sso login) and run again"
        case .missingAuthenticationToken:
            return "the request was not signed, or the endpoint URL points at the wrong service"
        case .throttling, .tooManyRequests:
            return "requests came faster than the account's API rate; lower the concurrency or try again later"
        case .idempotentParameterMismatch:
            return "this ClientToken was used before with different parameters; "
                + "change the profile's clientToken, or leave it out to have one derived"
        case .internalService, .internalServer, .serviceUnavailable:
            return "a temporary failure on the AWS side; try again later"
        default:
            if isTransient {
                return "a temporary failure on the AWS side or on the way to it; try again later"
            }
            return nil
        }
    }

    /// `LimitExceededException: <message> (HTTP 429, request id <id>)`; with no code,
    /// `HTTP 502: <message>`.
    public var description: String {
        var text = code ?? "HTTP \(httpStatus)"
        if let message, !message.isEmpty {
            text += ": \(message)"
        }
        var details: [String] = []
        if code != nil {
            details.append("HTTP \(httpStatus)")
        }
        if let requestId {
            details.append("request id \(requestId)")
        }
        if let reason {
            details.append("reason \(reason)")
        }
        return details.isEmpty ? text : "\(text) (\(details.joined(separator: ", ")))"
    }

    // MARK: - Parsing helpers

    /// The members of a restJson1 error body chatctl reads; every member is optional and a
    /// body that is not a JSON object gives none.
    private struct ErrorBody {
        var isJSON = false
        var code: String?
        var type: String?
        var message: String?
        var reason: String?

        init(_ bytes: [UInt8]) {
            guard !bytes.isEmpty,
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            else { return }
            isJSON = true
            code = object["code"] as? String
            type = object["__type"] as? String
            message = (object["message"] as? String) ?? (object["Message"] as? String)
            if let reasons = object["Reason"] as? [String: Any] {
                reason = reasons.values.compactMap { $0 as? String }.first
            }
        }
    }

    /// Parses an IMF-fixdate `Date` header (RFC 9110 section 5.6.7), such as
    /// `Sun, 30 Aug 2015 12:36:00 GMT`.
    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT" else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let month = months.firstIndex(of: String(parts[2])), parts[1].count == 2, parts[3].count == 4
        else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, time.allSatisfy({ $0.count == 2 }) else { return nil }
        let monthText = month + 1 < 10 ? "0\(month + 1)" : "\(month + 1)"
        let amzDate = "\(parts[3])\(monthText)\(parts[1])T\(time[0])\(time[1])\(time[2])Z"
        return SigV4Timestamp(amzDate: amzDate)?.date
    }
}
