/// One attempt of a ``AWSServiceClient`` call, as reported to a ``AWSAttemptObserver``:
/// what was sent, what came back, how long it took and what the client does next.
///
/// ``request`` is the signed request as sent and ``response`` the response as received, so
/// they hold secrets (the signature, a session token, a `CustomerId`, a `ParticipantToken`).
/// ``description`` and ``customMirror`` show none of them; render them with
/// ``HTTPExchangeLogger``, which redacts.
public struct AWSAttemptReport: Sendable, CustomStringConvertible, CustomReflectable {
    /// How the attempt ended.
    public enum Outcome: Sendable, Equatable {
        /// A 2xx response.
        case success
        /// An error response, decoded.
        case serviceError(AWSServiceError)
        /// No response: the transport failed.
        case transportError(TransportError)
    }

    /// What the client does after this attempt.
    public enum NextStep: Sendable, Equatable {
        /// Nothing: the call returns this attempt's result (success or failure).
        case finish
        /// Another attempt after waiting this many seconds.
        case retry(afterSeconds: Double)
        /// Another attempt at once, signed with the local clock plus this many seconds.
        case retryWithClockCorrection(offsetSeconds: Double)
    }

    /// The operation, for example `StartChatContact`.
    public var operation: String
    /// The attempt number, from 1.
    public var attempt: Int
    /// The signed request as sent. Holds secrets: do not print it unredacted.
    public var request: HTTPRequest
    /// The response, when one arrived. May hold secrets (`ParticipantToken`).
    public var response: HTTPResponse?
    /// How the attempt ended.
    public var outcome: Outcome
    /// Seconds from sending the request to having the whole response (or the failure).
    public var duration: Double
    /// What the client does next.
    public var nextStep: NextStep

    /// Creates a report.
    public init(
        operation: String, attempt: Int, request: HTTPRequest, response: HTTPResponse?, outcome: Outcome,
        duration: Double, nextStep: NextStep
    ) {
        self.operation = operation
        self.attempt = attempt
        self.request = request
        self.response = response
        self.outcome = outcome
        self.duration = duration
        self.nextStep = nextStep
    }

    /// The HTTP status, when a response arrived.
    public var status: Int? {
        response?.status
    }

    /// One line without secrets, for example
    /// `StartChatContact attempt 2: HTTP 500 InternalServiceException in 0.012 s, retrying in 0.400 s`.
    public var description: String {
        var text = "\(operation) attempt \(attempt): "
        switch outcome {
        case .success:
            text += "HTTP \(status ?? 0)"
        case .serviceError(let error):
            text += "HTTP \(error.httpStatus) \(error.code ?? "(no error code)")"
        case .transportError(let error):
            text += "no response (\(error.message))"
        }
        text += " in \(Self.seconds(duration)) s"
        switch nextStep {
        case .finish:
            break
        case .retry(let delay):
            text += ", retrying in \(Self.seconds(delay)) s"
        case .retryWithClockCorrection(let offset):
            text += ", retrying at once with the clock corrected by \(Self.seconds(offset)) s"
        }
        return text
    }

    /// A mirror without the request and response (which hold secrets), so `dump` and
    /// debuggers show only the summary fields.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "operation": operation, "attempt": attempt, "status": status as Any, "outcome": outcome,
                "duration": duration, "nextStep": nextStep,
            ],
            displayStyle: .struct)
    }

    /// Seconds with three decimals.
    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let sign = millis < 0 ? "-" : ""
        let magnitude = abs(millis)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}

/// Receives every attempt of every ``AWSServiceClient`` call, for progress display and
/// `--verbose` logging. Called on the calling task, so keep it quick; it must not throw.
public protocol AWSAttemptObserver: Sendable {
    /// An attempt is about to be sent.
    ///
    /// - Parameters:
    ///   - operation: the operation, for example `StartChatContact`.
    ///   - attempt: the attempt number, from 1.
    ///   - request: the signed request. Holds secrets.
    func attemptWillSend(operation: String, attempt: Int, request: HTTPRequest)

    /// An attempt finished.
    ///
    /// - Parameter report: what was sent and received, and what comes next.
    func attemptDidFinish(_ report: AWSAttemptReport)
}

extension AWSAttemptObserver {
    /// Does nothing by default.
    public func attemptWillSend(operation: String, attempt: Int, request: HTTPRequest) {}
}
