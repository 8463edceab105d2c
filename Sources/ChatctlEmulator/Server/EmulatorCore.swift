import ChatctlAWS
import ChatctlJSON
import Foundation

/// The protocol-independent heart of the server: it takes a request as plain data
/// (ChatctlAWS's `HTTPRequest`), resolves its route, authenticates it as the route says,
/// and hands it to the route's handler. The transport (``EmulatorHTTPServer``, or
/// ``InProcessEmulator``) only converts to and from the wire.
///
/// The parts it wires together each live in their own type: the ``RouteTable``, the
/// ``RequestAuthenticator``, the state (``EmulatorStateLock`` over the one
/// ``ContactStore``, publishing on a ``ContactEventHub``), the ``FaultStage``, the
/// ``StatisticsRecorder``, the ``ConnectRoutes`` and the ``AdminAPI``.
final class EmulatorCore: Sendable {
    let configuration: EmulatorConfiguration
    let seed: UInt64
    let state: EmulatorStateLock
    let statistics: StatisticsRecorder
    let routes: RouteTable
    let admin: AdminAPI
    /// Every chat's ``ChatSession``, where a flow interpreter delivers its output.
    let chatSessions: ChatSessions
    /// The contact flow each new chat runs (``EmulatorConfiguration/flowRunner``).
    let chatFlows: ChatFlows
    private let authenticator: RequestAuthenticator
    private let answers: RestJSONAnswers

    /// Creates a core.
    ///
    /// - Parameters:
    ///   - extraRoutes: routes added after the emulator's own (tests add routes of their own here).
    ///   - flowLog: `--verbose`: one line for each flow action that is not emulated.
    init(
        configuration: EmulatorConfiguration, seed: UInt64, clock: any EmulatorClock, extraRoutes: [Route] = [],
        flowLog: (@Sendable (String) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.seed = seed
        let time = EmulatedTime(clock: clock)
        let state = EmulatorStateLock(configuration: configuration, seed: seed, time: time, events: ContactEventHub())
        let statistics = StatisticsRecorder(seed: seed)
        let faults = FaultStage(configuration: configuration, seed: seed)
        let answers = RestJSONAnswers(statistics: statistics, faults: faults, clock: clock)
        let chatSessions = ChatSessions(state: state)
        let chatFlows = ChatFlows(runner: configuration.flowRunner, state: state, log: flowLog)
        chatSessions.onChatStarted = { [weak chatFlows] session, contact in
            chatFlows?.start(session, contact: contact)
        }
        let connect = ConnectRoutes(
            state: state, checker: ConnectRequestChecker(configuration: configuration), faults: faults, answers: answers,
            sessions: chatSessions)
        let participant = ParticipantRoutes(
            state: state, sessions: chatSessions, faults: faults, answers: answers,
            maxMessageBytes: configuration.maxBodyBytes)
        let admin = AdminAPI(
            state: state, statistics: statistics, faults: faults, seed: seed, chatSessions: chatSessions,
            chatFlows: chatFlows)
        self.state = state
        self.statistics = statistics
        self.answers = answers
        self.admin = admin
        self.chatSessions = chatSessions
        self.chatFlows = chatFlows
        self.authenticator = RequestAuthenticator(configuration: configuration)
        self.routes = RouteTable(connect.routes + participant.routes + admin.routes + extraRoutes)
    }

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

    /// Handles one request: route, then authentication, then the route's handler.
    func handle(_ request: HTTPRequest) async -> EmulatorReply {
        switch routes.resolve(method: request.method, path: request.path) {
        case .route(let route, let labels):
            switch authenticator.check(request, route.authentication, now: state.time.wallNow) {
            case .refused(let error):
                return await answers.finish(.failure(error), operation: route.operation)
            case .accepted(let bearerToken):
                return await route.handler(RoutedRequest(request: request, labels: labels, bearerToken: bearerToken))
            }
        case .methodNotAllowed(.admin, let allowed):
            return .answer(AdminAPI.unknown(path: request.path, method: request.method, allowed: allowed))
        case .notFound(.admin):
            return .answer(AdminAPI.unknown(path: request.path, method: request.method, allowed: []))
        case .notFound(let service), .methodNotAllowed(let service, _):
            return await answers.finish(
                .failure(.unknownOperation(method: request.method, path: request.path, service: service)),
                operation: "Unknown")
        }
    }

    /// The answer to a body larger than ``EmulatorConfiguration/maxBodyBytes``.
    func tooLargeResponse() -> HTTPResponse {
        statistics.record(operation: "Unknown", outcome: "RequestEntityTooLargeException")
        var response = RestJSONAnswers.response(
            .failure(.requestTooLarge(limit: configuration.maxBodyBytes)), requestID: statistics.nextRequestID(),
            date: state.time.wallNow)
        response.headers.add(name: "Connection", value: "close")
        return response
    }

    /// The answer to a request that could not be read (414, 431, 400): `{"message": …}`
    /// with `Connection: close`. It has no `X-Amzn-ErrorType`: like the front end of an AWS
    /// service, the transport answers before any service sees the request.
    func protocolErrorResponse(status: Int, message: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [
                "Content-Type": "application/json", "x-amzn-RequestId": statistics.nextRequestID(),
                "Date": HTTPDate.format(state.time.wallNow), "Connection": "close",
            ],
            body: JSONWriter.compact.bytes(.object(["message": .string(message)])))
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

    // MARK: - In-process access

    /// Every contact, in creation order.
    var contacts: [EmulatedContact] {
        state.read { $0.store.allContacts }
    }

    /// The chats active now (emulated time).
    var activeChatCount: Int {
        state.withState { state, now in state.store.activeChatCount(now: now) }
    }

    /// Adds contacts from outside this run (see ``ContactStore/importContacts(_:now:)``).
    func importContacts(_ contacts: [EmulatedContact]) {
        state.withState { state, now in state.store.importContacts(contacts, now: now) }
    }
}
