/// Why apply could not record a step, kept apart from what Amazon Connect answered
/// (``LaunchFailure``): the chat may well have started, and the report must say so.
public enum ApplyError: Error, Sendable {
    /// The pending entry could not be written, so the request was not sent.
    case notRecordedBeforeSending(LockfileError)
    /// The chat started but its entry could not be updated: the lockfile still holds it
    /// as pending with its client token, so the next apply resumes it and Connect returns
    /// this same chat.
    case startedButNotRecorded(contactId: String, LockfileError)
    /// Amazon Connect answered (a failure, a stop) but the lockfile could not record it.
    case resultNotRecorded(LockfileError)
    /// The chat started and is recorded, but its participant token could not be written
    /// to the outputs file: the token is lost.
    case tokenNotWritten(contactId: String, LockfileError)

    /// The file problem underneath.
    public var underlying: LockfileError {
        switch self {
        case .notRecordedBeforeSending(let error), .startedButNotRecorded(_, let error), .resultNotRecorded(let error),
             .tokenNotWritten(_, let error):
            error
        }
    }

    /// What happened, in the report's words.
    public var message: String {
        let reason = underlying.diagnostic.message
        switch self {
        case .notRecordedBeforeSending:
            return "not sent: the pending entry could not be written: \(reason)"
        case .startedButNotRecorded(let contact, _):
            return "the chat started (contact \(contact)) but its result could not be written to the lockfile: \(reason); "
                + "the lockfile holds it as pending, and the next apply resumes it with the same client token"
        case .resultNotRecorded:
            return "the result could not be written to the lockfile: \(reason)"
        case .tokenNotWritten(let contact, _):
            return "the chat started (contact \(contact)) but its participant token could not be written: \(reason); "
                + "the lockfile holds it as pending, and the next apply resumes it with the same client token "
                + "and writes the token then"
        }
    }

    /// True when the request was certainly not sent.
    public var nothingWasSent: Bool {
        if case .notRecordedBeforeSending = self { return true }
        return false
    }
}
