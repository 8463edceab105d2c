/// An error the emulator answers with, as Amazon Connect would: a restJson1 error code (sent
/// in `X-Amzn-ErrorType`), an HTTP status and a message (sent as `{"message": …}`).
///
/// Messages are the service's text, not chatctl's diagnostics: like AWS's own (and like
/// `SigV4VerificationError`'s), they start with a capital and end with a period where AWS
/// writes one. docs/emulator.md lists every code and when it is answered.
public struct ConnectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error code, for example `InvalidParameterException`.
    public var code: String
    /// The HTTP status, for example 400.
    public var httpStatus: Int
    /// The message.
    public var message: String

    /// Creates an error from its parts.
    public init(code: String, httpStatus: Int, message: String) {
        self.code = code
        self.httpStatus = httpStatus
        self.message = message
    }

    /// `<code>: <message>`.
    public var description: String {
        "\(code): \(message)"
    }

    // MARK: - Modelled errors

    /// 400 `InvalidParameterException`: one parameter's value is not valid (model
    /// constraints, attribute names and sizes, malformed ids).
    public static func invalidParameter(_ message: String) -> ConnectError {
        ConnectError(code: "InvalidParameterException", httpStatus: 400, message: message)
    }

    /// 400 `InvalidRequestException`: the request as a whole is not valid (rules between
    /// members, persistent-chat state).
    public static func invalidRequest(_ message: String) -> ConnectError {
        ConnectError(code: "InvalidRequestException", httpStatus: 400, message: message)
    }

    /// 404 `ResourceNotFoundException`: an instance, flow or contact the request names
    /// does not exist.
    public static func resourceNotFound(_ message: String) -> ConnectError {
        ConnectError(code: "ResourceNotFoundException", httpStatus: 404, message: message)
    }

    /// 410 `ContactNotFoundException` (StopContact): the contact is not active or does not exist.
    public static func contactNotFound(_ contactID: String) -> ConnectError {
        ConnectError(
            code: "ContactNotFoundException", httpStatus: 410,
            message: "The contact with the specified ID is not active or does not exist: '\(contactID)'.")
    }

    /// 429 `LimitExceededException`: the instance's quota of concurrent active chats is used up.
    public static func limitExceeded(maxActive: Int) -> ConnectError {
        ConnectError(
            code: "LimitExceededException", httpStatus: 429,
            message: "The concurrent active chats quota of \(maxActive) for this instance has been exceeded.")
    }

    /// 500 `InternalServiceException`, as injected by the fault rate.
    public static let internalService = ConnectError(
        code: "InternalServiceException", httpStatus: 500, message: "Request processing failed because of an unknown error, exception or failure.")

    // MARK: - Protocol and frontend errors

    /// 429 `TooManyRequestsException`: the API rate (token bucket) is exceeded.
    public static let tooManyRequests = ConnectError(
        code: "TooManyRequestsException", httpStatus: 429, message: "Rate exceeded")

    /// 429 `ThrottlingException`: DescribeContact's rate is exceeded (its model's throttling error).
    public static let throttling = ConnectError(
        code: "ThrottlingException", httpStatus: 429, message: "Rate exceeded")

    /// 400 `IdempotentParameterMismatchException`: a ClientToken used before with another body.
    public static let idempotentParameterMismatch = ConnectError(
        code: "IdempotentParameterMismatchException", httpStatus: 400,
        message: "The ClientToken has already been used with different request parameters.")

    /// 400 `SerializationException`: the body is not JSON, or a member has the wrong JSON type.
    public static func serialization(_ message: String) -> ConnectError {
        ConnectError(code: "SerializationException", httpStatus: 400, message: message)
    }

    /// 404 `UnknownOperationException`: no operation at that method and path.
    static func unknownOperation(method: String, path: String, service: EmulatorService) -> ConnectError {
        let served = switch service {
        case .participant:
            "the emulator serves POST /participant/connection, /participant/message, /participant/event, "
                + "/participant/transcript and /participant/disconnect"
        case .connect, .admin: "the emulator serves PUT /contact/chat, POST /contact/stop and GET /contacts/{InstanceId}/{ContactId}"
        }
        return ConnectError(
            code: "UnknownOperationException", httpStatus: 404, message: "No operation is bound to \(method) \(path); \(served).")
    }

    /// 413 `RequestEntityTooLargeException`: the body is larger than the emulator reads.
    public static func requestTooLarge(limit: Int) -> ConnectError {
        ConnectError(
            code: "RequestEntityTooLargeException", httpStatus: 413,
            message: "Request body exceeds the limit of \(limit) bytes.")
    }
}
