import ChatctlAWS
import ChatctlJSON
import Foundation

/// Turns an outcome of a Connect (or Participant Service) request into what is sent:
/// counts it, waits the latency, and builds the restJson1 answer — or carries out the
/// injected fault that replaces it.
struct RestJSONAnswers: Sendable {
    let statistics: StatisticsRecorder
    let faults: FaultStage
    let clock: any EmulatorClock

    /// Counts the outcome, waits the configured latency and builds the reply.
    ///
    /// - Parameters:
    ///   - result: the answer body or error the operation produced.
    ///   - operation: the name statistics count it under.
    ///   - fault: the injected fault, if any; `drop` and `lost` close the connection,
    ///     `garbage` sends bytes that are not HTTP, `malformed-200` replaces a success body.
    func finish(_ result: Result<JSONValue, ConnectError>, operation: String, fault: FaultKind? = nil) async -> EmulatorReply {
        let outcome: String
        switch (fault, result) {
        case (.drop, _): outcome = "ConnectionDropped"
        case (.lost, _): outcome = "AnswerLost"
        case (.garbage, _): outcome = "GarbageAnswer"
        case (.malformed200, _): outcome = "Malformed200"
        case (_, .success): outcome = "OK"
        case (_, .failure(let error)): outcome = error.code
        }
        statistics.record(operation: operation, outcome: outcome, fault: fault)
        let requestID = statistics.nextRequestID()
        await faults.delay()
        switch fault {
        case .drop, .lost:
            return .dropConnection
        case .garbage:
            return .garbage(Self.garbage)
        case .malformed200:
            var response = Self.response(.success(.object([:])), requestID: requestID, date: clock.now())
            response.body = malformedBody(for: result, operation: operation)
            return .answer(response)
        case .internalError, nil:
            return .answer(Self.response(result, requestID: requestID, date: clock.now()))
        }
    }

    /// What a `garbage` fault sends: a NUL, two bytes that are not UTF-8 and a line that
    /// no HTTP parser takes for a status line.
    static let garbage: [UInt8] = [0x00, 0xFF, 0xFE] + Array("chatctl emulator: injected garbage, not HTTP\r\n\r\n".utf8)

    /// The size of the oversized `ContactId` of a `malformed-200` answer: 1 MiB, 4096 times
    /// the model's limit of 256.
    static let oversizedContactIDLength = 1 << 20

    /// A 200 body the model forbids: StartChatContact's answer without its `ContactId`, or
    /// with a 1 MiB one (in turn); for anything else, truncated JSON.
    private func malformedBody(for result: Result<JSONValue, ConnectError>, operation: String) -> [UInt8] {
        guard operation == ConnectOperationName.startChatContact.rawValue, case .success(.object(var answer)) = result
        else {
            return Array(#"{"ContactId":"#.utf8)
        }
        if faults.nextMalformedLacksContactID() {
            answer["ContactId"] = nil
        } else {
            answer["ContactId"] = .string(String(repeating: "c", count: Self.oversizedContactIDLength))
        }
        return JSONWriter.compact.bytes(.object(answer))
    }

    /// A restJson1 answer: the body (or `{"message": …}`) with `Content-Type`,
    /// `x-amzn-RequestId`, `Date` and, for an error, `X-Amzn-ErrorType`.
    static func response(_ result: Result<JSONValue, ConnectError>, requestID: String, date: Date) -> HTTPResponse {
        var headers: HTTPHeaders = [
            "Content-Type": "application/json", "x-amzn-RequestId": requestID, "Date": HTTPDate.format(date),
        ]
        switch result {
        case .success(let body):
            return HTTPResponse(status: 200, headers: headers, body: JSONWriter.compact.bytes(body))
        case .failure(let error):
            headers.add(name: "X-Amzn-ErrorType", value: error.code)
            return HTTPResponse(
                status: error.httpStatus, headers: headers,
                body: JSONWriter.compact.bytes(.object(["message": .string(error.message)])))
        }
    }
}
