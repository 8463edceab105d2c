import ChatctlAWS
import ChatctlJSON
import Foundation

/// What the emulator does with one request: answer it, or close the connection without a
/// word (an injected connection fault).
enum EmulatorReply: Sendable, Equatable {
    /// Send this response.
    case answer(HTTPResponse)
    /// Close the connection without answering.
    case drop
}

/// Everything the emulator changes, behind one lock.
struct EmulatorState: Sendable {
    var behaviour: ConnectBehaviour
    var faults: FaultInjector
    var stats = EmulatorStats()
    /// Request ids come from their own sequence, so they do not shift contact ids.
    var requestIDs: SplitMix64
    /// Seconds added to the clock for everything but signatures (`POST /_emulator/advance`).
    var timeOffset: TimeInterval = 0

    init(configuration: EmulatorConfiguration, seed: UInt64) {
        behaviour = ConnectBehaviour(configuration: configuration, seed: seed)
        faults = FaultInjector(rate: configuration.faultRate, kinds: configuration.faults, seed: seed)
        requestIDs = SplitMix64(seed: seed ^ 0x5EED_0F_1D5)
    }
}

/// The protocol-independent heart of the server: it takes a request as plain data
/// (ChatctlAWS's `HTTPRequest`), verifies its signature, routes it, applies the quotas,
/// faults and latency, runs ``ConnectBehaviour`` and builds the restJson1 answer. The
/// FlyingFox handler only converts to and from the wire.
final class EmulatorCore: Sendable {
    let configuration: EmulatorConfiguration
    let seed: UInt64
    let clock: any EmulatorClock
    private let verifier: SigV4Verifier
    private let checker: ConnectRequestChecker
    private let state: Locked<EmulatorState>

    init(configuration: EmulatorConfiguration, seed: UInt64, clock: any EmulatorClock) {
        self.configuration = configuration
        self.seed = seed
        self.clock = clock
        let credentials = configuration.credentials
        self.verifier = SigV4Verifier(
            service: "connect", region: configuration.region, allowedSkew: configuration.allowedClockSkew
        ) { accessKeyID in
            accessKeyID == credentials.accessKeyID ? credentials.secretAccessKey : nil
        }
        self.checker = ConnectRequestChecker(configuration: configuration)
        self.state = Locked(EmulatorState(configuration: configuration, seed: seed))
    }

    // MARK: - Connect requests

    /// A request as read off the wire, as plain data: the raw target split at its first
    /// `?` (an empty path counts as `/`), the authority taken from the `Host` header.
    static func request(method: String, target: String, headers: HTTPHeaders, body: [UInt8]) -> HTTPRequest {
        var path = Substring(target)
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            path = target[..<mark]
            query = String(target[target.index(after: mark)...])
        }
        return HTTPRequest(
            method: method, scheme: "http", authority: headers["host"] ?? "", path: path.isEmpty ? "/" : String(path),
            query: query, headers: headers, body: body)
    }

    /// Handles one request.
    func handle(_ request: HTTPRequest) async -> EmulatorReply {
        if request.path == "/_emulator" || request.path.hasPrefix("/_emulator/") {
            return .answer(admin(request))
        }
        let wallNow = clock.now()
        let operation = Self.operation(method: request.method, path: request.path)
        let name = operation?.rawValue ?? "Unknown"
        if let failure = authenticate(request, now: wallNow) {
            return await finish(.failure(failure), operation: name)
        }
        guard let operation else {
            return await finish(.failure(.unknownOperation(method: request.method, path: request.path)), operation: name)
        }
        let (admitted, fault) = state.withLock { state -> (Bool, FaultKind?) in
            let admitted = state.behaviour.admit(operation, now: wallNow.addingTimeInterval(state.timeOffset))
            return (admitted, admitted ? state.faults.next() : nil)
        }
        guard admitted else {
            return await finish(.failure(.tooManyRequests), operation: name)
        }
        switch fault {
        case .internalError:
            return await finish(.failure(.internalService), operation: name, fault: .internalError)
        case .drop:
            return await finish(.failure(.internalService), operation: name, fault: .drop)
        case .lost, nil:
            break
        }
        let result = perform(operation, body: request.body, wallNow: wallNow)
        return await finish(result, operation: name, fault: fault)
    }

    /// Runs the stateless checks outside the lock, then the operation inside it.
    private func perform(
        _ operation: ConnectOperationName, body: [UInt8], wallNow: Date
    ) -> Result<JSONValue, ConnectError> {
        do throws(ConnectError) {
            switch operation {
            case .startChatContact:
                let input = try checker.checkStartChatContact(body)
                return state.withLock { state in
                    state.behaviour.startChatContact(input, now: wallNow.addingTimeInterval(state.timeOffset))
                }
            case .stopContact:
                let input = try checker.checkStopContact(body)
                return state.withLock { state in
                    state.behaviour.stopContact(input, now: wallNow.addingTimeInterval(state.timeOffset))
                }
            }
        } catch {
            return .failure(error)
        }
    }

    /// Verifies the SigV4 signature: the emulator's access key, scope `connect` and the
    /// configured region, a signing time within the allowed skew, `host` and `x-amz-date`
    /// among the signed headers, and the payload hash.
    ///
    /// - Returns: the error to answer, or `nil` when the signature is good.
    private func authenticate(_ request: HTTPRequest, now: Date) -> ConnectError? {
        if let header = request.headers["authorization"],
            let authorization = try? SigV4Authorization(parsing: header),
            authorization.signedHeaders.contains("host"), !authorization.signedHeaders.contains("x-amz-date")
        {
            let error = SigV4VerificationError.incompleteSignature(
                "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
            return ConnectError(code: error.code, httpStatus: error.httpStatus, message: error.message)
        }
        do {
            _ = try verifier.verify(request, now: now)
            return nil
        } catch {
            return ConnectError(code: error.code, httpStatus: error.httpStatus, message: error.message)
        }
    }

    /// Counts the outcome, waits the configured latency and builds the reply.
    private func finish(
        _ result: Result<JSONValue, ConnectError>, operation: String, fault: FaultKind? = nil
    ) async -> EmulatorReply {
        let requestID = state.withLock { state -> String in
            if let fault {
                state.stats.record(fault: fault)
            }
            let outcome: String
            switch (fault, result) {
            case (.drop, _): outcome = "ConnectionDropped"
            case (.lost, _): outcome = "AnswerLost"
            case (_, .success): outcome = "OK"
            case (_, .failure(let error)): outcome = error.code
            }
            state.stats.record(operation: operation, outcome: outcome)
            return state.requestIDs.nextUUID()
        }
        if configuration.latencyMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(configuration.latencyMilliseconds))
        }
        if fault == .drop || fault == .lost {
            return .drop
        }
        return .answer(Self.response(result, requestID: requestID, date: clock.now()))
    }

    /// The operation bound to a method and path, as the model binds them.
    static func operation(method: String, path: String) -> ConnectOperationName? {
        switch (method.uppercased(), path) {
        case ("PUT", "/contact/chat"): .startChatContact
        case ("POST", "/contact/stop"): .stopContact
        default: nil
        }
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

    /// The answer to a body larger than ``EmulatorConfiguration/maxBodyBytes``.
    func tooLargeResponse() -> HTTPResponse {
        let requestID = state.withLock { state -> String in
            state.stats.record(operation: "Unknown", outcome: "RequestEntityTooLargeException")
            return state.requestIDs.nextUUID()
        }
        var response = Self.response(
            .failure(.requestTooLarge(limit: configuration.maxBodyBytes)), requestID: requestID, date: clock.now())
        response.headers.add(name: "Connection", value: "close")
        return response
    }

    /// Requests being handled now; ``EmulatorServer/stop()`` waits for them.
    private let inFlight = Locked(0)

    /// The number of requests being handled now.
    var requestsInFlight: Int {
        inFlight.withLock { $0 }
    }

    /// Handles one request, counted in ``requestsInFlight`` while it runs.
    func handleCounted(_ request: HTTPRequest) async -> EmulatorReply {
        inFlight.withLock { $0 += 1 }
        let reply = await handle(request)
        inFlight.withLock { $0 -= 1 }
        return reply
    }

    /// Counts an accepted TCP connection.
    func recordConnection() {
        state.withLock { $0.stats.connections += 1 }
    }

    // MARK: - In-process access

    /// Every contact, in creation order.
    var contacts: [EmulatedContact] {
        state.withLock { $0.behaviour.allContacts }
    }

    /// The statistics so far.
    var stats: EmulatorStats {
        state.withLock { $0.stats }
    }

    /// The chats active now (emulated time).
    var activeChatCount: Int {
        let now = clock.now()
        return state.withLock { state in
            state.behaviour.activeChatCount(now: now.addingTimeInterval(state.timeOffset))
        }
    }

    /// The emulated time: the clock plus every advance.
    var emulatedNow: Date {
        let now = clock.now()
        return state.withLock { now.addingTimeInterval($0.timeOffset) }
    }

    /// Adds contacts from outside this run (see ``ConnectBehaviour/importContacts(_:now:)``).
    func importContacts(_ contacts: [EmulatedContact]) {
        let now = clock.now()
        state.withLock { state in
            state.behaviour.importContacts(contacts, now: now.addingTimeInterval(state.timeOffset))
        }
    }

    /// Forgets every contact, ClientToken and statistic, refills the buckets, restarts the
    /// random sequences from the seed and puts the emulated time back on the clock.
    func reset() {
        state.withLock { state in
            state = EmulatorState(configuration: configuration, seed: seed)
        }
    }

    /// Moves the emulated time forward, so chats reach the end of their duration and
    /// ClientTokens are forgotten. Signatures are still checked against the clock.
    ///
    /// - Returns: the total offset, in seconds, at most ``maxTimeOffset``.
    @discardableResult
    func advanceTime(by seconds: TimeInterval) -> TimeInterval {
        state.withLock { state in
            state.timeOffset = min(state.timeOffset + max(0, seconds), Self.maxTimeOffset)
            return state.timeOffset
        }
    }

    /// The furthest the emulated time goes ahead of the clock: 100 years. Further, its
    /// dates could not be printed (`CivilTime` traps on seconds beyond `Int`).
    static let maxTimeOffset: TimeInterval = 100 * 365 * 86_400

    // MARK: - Admin API

    /// Serves `/_emulator/…`: unsigned, never delayed, never faulted, not counted.
    private func admin(_ request: HTTPRequest) -> HTTPResponse {
        let method = request.method.uppercased()
        let query = Self.queryItems(request.query)
        switch (method, request.path) {
        case ("GET", "/_emulator/contacts"):
            let now = emulatedNow
            let contacts = self.contacts.filter { contact in
                (query["clientToken"].map { $0 == contact.clientToken } ?? true)
                    && (query["state"].map { $0 == contact.state(at: now).rawValue } ?? true)
                    && (query["instance"].map { $0 == contact.instanceID } ?? true)
            }
            return Self.adminResponse(
                200, .object(["count": .integer(contacts.count), "contacts": .array(contacts.map { Self.json($0, now: now) })]))
        case ("GET", "/_emulator/stats"):
            let stats = self.stats
            let active = activeChatCount
            let (count, offset) = state.withLock { ($0.behaviour.contactCount, $0.timeOffset) }
            return Self.adminResponse(
                200,
                .object([
                    "requests": .integer(stats.requests),
                    "outcomes": .object(stats.outcomes.mapValues { .object($0.mapValues { .integer($0) }) }),
                    "faults": .object(stats.faults.mapValues { .integer($0) }),
                    "connections": .integer(stats.connections),
                    "contacts": .integer(count), "activeChats": .integer(active),
                    "seed": .string(String(seed)), "timeOffsetSeconds": .double(offset),
                    "now": .string(HTTPDate.iso8601(emulatedNow)),
                ]))
        case ("POST", "/_emulator/reset"):
            reset()
            return Self.adminResponse(200, .object(["reset": .bool(true)]))
        case ("POST", "/_emulator/advance"):
            let fromBody = (try? JSONParser.parse(request.body))?["seconds"]?.numberValue
            guard let seconds = query["seconds"].flatMap(Double.init) ?? fromBody, seconds >= 0, seconds.isFinite else {
                return Self.adminResponse(
                    400, .object(["message": .string("give the seconds to advance as ?seconds=N or {\"seconds\": N}")]))
            }
            let offset = advanceTime(by: seconds)
            return Self.adminResponse(
                200, .object(["timeOffsetSeconds": .double(offset), "now": .string(HTTPDate.iso8601(emulatedNow))]))
        case (_, "/_emulator/contacts"), (_, "/_emulator/stats"), (_, "/_emulator/reset"), (_, "/_emulator/advance"):
            return Self.adminResponse(405, .object(["message": .string("method \(method) is not allowed here")]))
        default:
            return Self.adminResponse(
                404,
                .object([
                    "message": .string(
                        "no admin endpoint at \(request.path); there are GET /_emulator/contacts, "
                            + "GET /_emulator/stats, POST /_emulator/reset and POST /_emulator/advance")
                ]))
        }
    }

    private static func adminResponse(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "application/json"], body: JSONWriter.pretty.bytes(body) + [0x0A])
    }

    /// A contact as the admin API shows it.
    static func json(_ contact: EmulatedContact, now: Date) -> JSONValue {
        var object: [String: JSONValue] = [
            "contactId": .string(contact.contactID), "participantId": .string(contact.participantID),
            "participantTokenSha256": .string(contact.participantTokenSHA256),
            "instanceId": .string(contact.instanceID), "contactFlowId": .string(contact.contactFlowID),
            "state": .string(contact.state(at: now).rawValue),
            "createdAt": .string(HTTPDate.iso8601(contact.createdAt)),
            "expiresAt": .string(HTTPDate.iso8601(contact.expiresAt)),
            "chatDurationInMinutes": .integer(contact.chatDurationInMinutes),
            "initialContactId": .string(contact.initialContactID),
        ]
        object["clientToken"] = contact.clientToken.map(JSONValue.string)
        object["endedAt"] = contact.endedAt(at: now).map { .string(HTTPDate.iso8601($0)) }
        object["disconnectReasonCode"] = contact.disconnectReasonCode.map(JSONValue.string)
        object["continuedFromContactId"] = contact.continuedFromContactID.map(JSONValue.string)
        object["relatedContactId"] = contact.relatedContactID.map(JSONValue.string)
        return .object(object)
    }

    /// The decoded `name=value` pairs of a query (the last of a repeated name wins).
    static func queryItems(_ query: String?) -> [String: String] {
        var items: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            items[name] = value
        }
        return items
    }
}
