/// Renders each attempt of a ``AWSServiceClient`` call as text for `--verbose`, with every
/// secret redacted, and hands it to a sink the caller chooses (this module prints nothing
/// itself).
///
/// The layout follows `curl -v`: `*` lines say what happens, `>` lines are the request as
/// sent, `<` lines the response as received:
///
/// ```
/// * StartChatContact attempt 1
/// > PUT https://connect.us-east-1.amazonaws.com/contact/chat
/// > Content-Type: application/json
/// > Host: connect.us-east-1.amazonaws.com
/// > X-Amz-Date: 20260101T120000Z
/// > Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=(redacted)
/// >
/// > {"ClientToken":"…","ContactFlowId":"…","CustomerId":"(sensitive)",…}
/// < HTTP 200
/// < Content-Type: application/json
/// <
/// < {"ContactId":"…","ParticipantId":"…","ParticipantToken":"(sensitive)"}
/// * StartChatContact attempt 1: HTTP 200 in 0.154 s
/// ```
///
/// Redacted: `Authorization` (its signature; the access key id and scope stay),
/// `X-Amz-Security-Token` and the other ``HTTPHeaders/sensitiveNames``; the presigned query
/// parameters `X-Amz-Credential`, `X-Amz-Signature` and `X-Amz-Security-Token`; body members
/// such as `CustomerId`, `ParticipantToken`, `SecretAccessKey` and `SessionToken` (see
/// ``HTTPLogRedactor``).
public struct HTTPExchangeLogger: AWSAttemptObserver {
    private let write: @Sendable (String) -> Void
    /// The most characters of a body shown.
    public var bodyLimit: Int

    /// Creates a logger.
    ///
    /// - Parameters:
    ///   - bodyLimit: the most characters of each body shown (default 4096).
    ///   - write: receives each block of text (several lines joined by `\n`, no final newline).
    public init(bodyLimit: Int = 4096, write: @escaping @Sendable (String) -> Void) {
        self.bodyLimit = bodyLimit
        self.write = write
    }

    /// Logs the request about to be sent.
    public func attemptWillSend(operation: String, attempt: Int, request: HTTPRequest) {
        write("* \(operation) attempt \(attempt)\n" + Self.render(request, bodyLimit: bodyLimit))
    }

    /// Logs the response (or the transport failure) and what the client does next.
    public func attemptDidFinish(_ report: AWSAttemptReport) {
        var blocks: [String] = []
        if let response = report.response {
            blocks.append(Self.render(response, bodyLimit: bodyLimit))
        }
        blocks.append("* \(report)")
        write(blocks.joined(separator: "\n"))
    }

    /// The request line, headers and body, redacted, each line prefixed `> `.
    ///
    /// - Parameters:
    ///   - request: the request as sent.
    ///   - bodyLimit: the most body characters shown.
    public static func render(_ request: HTTPRequest, bodyLimit: Int = 4096) -> String {
        var lines = ["\(request.method) \(request.scheme)://\(request.authority)\(HTTPLogRedactor.redactedTarget(of: request))"]
        lines += request.headers.redacted().map { "\($0.name): \($0.value)" }
        if let body = HTTPLogRedactor.redactedBody(
            request.body, contentType: request.headers["content-type"], limit: bodyLimit)
        {
            lines.append("")
            lines += body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.map { $0.isEmpty ? ">" : "> \($0)" }.joined(separator: "\n")
    }

    /// The status, headers and body, redacted, each line prefixed `< `.
    ///
    /// - Parameters:
    ///   - response: the response as received.
    ///   - bodyLimit: the most body characters shown.
    public static func render(_ response: HTTPResponse, bodyLimit: Int = 4096) -> String {
        var lines = ["HTTP \(response.status)"]
        lines += response.headers.redacted().map { "\($0.name): \($0.value)" }
        if let body = HTTPLogRedactor.redactedBody(
            response.body, contentType: response.headers["content-type"], limit: bodyLimit)
        {
            lines.append("")
            lines += body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.map { $0.isEmpty ? "<" : "< \($0)" }.joined(separator: "\n")
    }
}
