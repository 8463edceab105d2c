import ChatctlAWS
import ChatctlJSON
import Foundation

/// The Participant Service routes: `X-Amz-Bearer`-authenticated (an `Authorization`
/// header is ignored), checked against the model, then run by ``ParticipantBehaviour`` on
/// the shared store; and the chat WebSocket their CreateParticipantConnection answers name.
struct ParticipantRoutes: Sendable {
    let state: EmulatorStateLock
    let sessions: ChatSessions
    let faults: FaultStage
    let answers: RestJSONAnswers
    /// The largest WebSocket message a client may send.
    let maxMessageBytes: Int
    private let checker = ParticipantRequestChecker()

    init(
        state: EmulatorStateLock, sessions: ChatSessions, faults: FaultStage, answers: RestJSONAnswers,
        maxMessageBytes: Int
    ) {
        self.state = state
        self.sessions = sessions
        self.faults = faults
        self.answers = answers
        self.maxMessageBytes = maxMessageBytes
    }

    /// The routes, bound as the model binds the operations.
    var routes: [Route] {
        [
            route(.createParticipantConnection, "/participant/connection"),
            route(.sendMessage, "/participant/message"),
            route(.sendEvent, "/participant/event"),
            route(.getTranscript, "/participant/transcript"),
            route(.disconnectParticipant, "/participant/disconnect"),
            Route(.participant, "GET", "/participant/websocket", authentication: .none, operation: "WebSocket") {
                webSocket($0)
            },
        ]
    }

    private func route(_ operation: ParticipantOperationName, _ path: String) -> Route {
        Route(.participant, "POST", path, authentication: .bearer, operation: operation.rawValue) {
            await serve(operation, $0)
        }
    }

    /// Checks, then the fault, then the operation; the chat's hook hears what the customer
    /// did before the answer goes out.
    private func serve(_ operation: ParticipantOperationName, _ routed: RoutedRequest) async -> EmulatorReply {
        let request: ParticipantRequest
        do throws(ConnectError) {
            request = try checker.check(operation, token: routed.bearerToken, body: routed.request.body)
        } catch {
            return await answers.finish(.failure(error), operation: operation.rawValue)
        }
        let fault = faults.draw()
        if let fault, !fault.actsFirst {
            return await answers.finish(
                .failure(ConnectError(code: "InternalServerException", httpStatus: 500, message: "Internal server error.")),
                operation: operation.rawValue, fault: fault)
        }
        if operation.startsTheFlow {
            startFlow(connectionToken: request.token)
        }
        let base = Self.webSocketBase(authority: routed.request.authority)
        let outcome = state.withState { state, now in
            state.participant.perform(operation, request, webSocketBase: base, store: &state.store, now: now)
        }
        if case .success(let done) = outcome, let event = done.customerEvent {
            sessions.session(for: done.contactID)?.deliver(event)
        }
        return await answers.finish(outcome.map(\.answer), operation: operation.rawValue, fault: fault)
    }

    /// Starts the flow of the chat `token` belongs to if its customer had not been heard
    /// from yet (``ContactStore/claimFlowStart(_:now:)``): before the call is performed, so
    /// a GetTranscript sees what the flow posted and a SendMessage reaches a running flow.
    private func startFlow(connectionToken token: String) {
        let contactID: String? = state.withState { state, now in
            state.store.endExpiredChats(now: now)
            guard case .success(let contact) =
                ParticipantBehaviour.contact(connectionToken: token, store: state.store, now: now),
                state.store.claimFlowStart(contact.contactID, now: now)
            else { return nil }
            return contact.contactID
        }
        if let contactID {
            sessions.session(for: contactID)?.deliver(.connected)
        }
    }

    /// `ws://` and the authority the client reached the emulator at (`127.0.0.1:PORT`).
    static func webSocketBase(authority: String) -> String {
        let usable = !authority.isEmpty && authority.allSatisfy { $0.isLetter || $0.isNumber || ".:-[]".contains($0) }
        return "ws://" + (usable ? authority : "127.0.0.1")
    }

    // MARK: - The WebSocket

    /// `GET /participant/websocket?token=…`: the URL CreateParticipantConnection answered,
    /// usable for ``ParticipantBehaviour/webSocketURLLifetime`` seconds while the chat is
    /// active. The token travels in the query, which `--verbose` never logs (as the
    /// service's pre-signed URLs carry theirs).
    private func webSocket(_ routed: RoutedRequest) -> EmulatorReply {
        let token = AdminAPI.queryItems(routed.request.query)["token"] ?? ""
        let contactID: String? = state.withState { state, now in
            state.store.endExpiredChats(now: now)
            guard let connection = state.store.webSockets[token], now < connection.expiresAt,
                state.store.contact(connection.contactID)?.state(at: now) == .active
            else {
                return nil
            }
            return connection.contactID
        }
        guard let contactID else {
            return .answer(
                RestJSONAnswers.response(
                    .failure(.participantAccessDenied), requestID: answers.statistics.nextRequestID(),
                    date: state.time.wallNow))
        }
        return WebSocketHandshake.reply(
            to: routed.request, session: ParticipantWebSocket(contactID: contactID, state: state, sessions: sessions).session)
    }
}
