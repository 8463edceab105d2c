extension ConnectError {
    /// 400 `ValidationException` of the Participant Service.
    static func participantValidation(_ message: String) -> ConnectError {
        ConnectError(code: "ValidationException", httpStatus: 400, message: message)
    }

    /// 403 `AccessDeniedException`: a token that is unknown, of the wrong kind, expired, or of
    /// a chat that has ended.
    static let participantAccessDenied = ConnectError(
        code: "AccessDeniedException", httpStatus: 403, message: "You do not have sufficient access to perform this action.")

    /// 429 `ThrottlingException`: the instance's bucket for the operation is empty.
    static let participantThrottling = ConnectError(
        code: "ThrottlingException", httpStatus: 429, message: "Rate exceeded")
}
