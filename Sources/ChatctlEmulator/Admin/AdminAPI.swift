import ChatctlAWS
import ChatctlJSON
import Foundation

/// The emulator's own API under `/_emulator/`: unsigned, never throttled, delayed or
/// faulted, not counted. It reads and steers the state for tests and people: the contacts,
/// the statistics, reset, time travel, and a WebSocket of the store's events.
struct AdminAPI: Sendable {
    let state: EmulatorStateLock
    let statistics: StatisticsRecorder
    let faults: FaultStage
    let seed: UInt64
    let chatSessions: ChatSessions
    let chatFlows: ChatFlows

    /// Every admin route.
    var routes: [Route] {
        [
            route("GET", "/_emulator/contacts") { contacts($0.request) },
            route("GET", "/_emulator/contacts/{ContactId}") { contact($0.labels["ContactId"] ?? "") },
            route("GET", "/_emulator/stats") { _ in stats() },
            route("POST", "/_emulator/reset") { _ in
                reset()
                return Self.answer(200, .object(["reset": .bool(true)]))
            },
            route("POST", "/_emulator/advance") { advance($0.request) },
            Route(.admin, "GET", "/_emulator/events", authentication: .none, operation: "admin") { routed in
                WebSocketHandshake.reply(to: routed.request, session: eventsSession())
            },
        ]
    }

    private func route(
        _ method: String, _ path: String, _ handler: @escaping @Sendable (RoutedRequest) -> HTTPResponse
    ) -> Route {
        Route(.admin, method, path, authentication: .none, operation: "admin") { .answer(handler($0)) }
    }

    /// Forgets every contact, ClientToken and statistic, refills the buckets, restarts the
    /// random sequences from the seed and puts the emulated time back on the clock.
    func reset() {
        state.reset()
        chatSessions.reset()
        chatFlows.reset()
        statistics.reset()
        faults.reset()
    }

    // MARK: - Handlers

    private func contacts(_ request: HTTPRequest) -> HTTPResponse {
        let query = Self.queryItems(request.query)
        let (all, now) = state.withState { state, now in (state.store.allContacts, now) }
        let contacts = all.filter { contact in
            (query["clientToken"].map { $0 == contact.clientToken } ?? true)
                && (query["state"].map { $0 == contact.state(at: now).rawValue } ?? true)
                && (query["instance"].map { $0 == contact.instanceID } ?? true)
        }
        return Self.answer(
            200, .object(["count": .integer(contacts.count), "contacts": .array(contacts.map { Self.json($0, now: now) })]))
    }

    /// `GET /_emulator/contacts/{id}`: the contact as the list shows it, plus its chat — the
    /// state of the participant side and the whole transcript (a persistent chat's past
    /// items first) — and, for a chat that runs a loaded contact flow, the flow: its path
    /// and state. Attribute values are not shown, only their names.
    private func contact(_ id: String) -> HTTPResponse {
        let found: (EmulatedContact, ChatRecord?, Date)? = state.withState { state, now in
            state.store.endExpiredChats(now: now)
            return state.store.contact(id).map { ($0, state.store.chats[id], now) }
        }
        guard let (contact, chat, now) = found else {
            return Self.answer(404, .object(["message": .string("no contact \(id)")]))
        }
        guard case .object(var object) = Self.json(contact, now: now) else {
            return Self.answer(500, .object(["message": .string("the contact could not be shown")]))
        }
        if let chat {
            object["chat"] = Self.json(chat, contactID: contact.contactID)
        }
        if let flow = chatFlows.record(for: id) ?? chat?.flow {
            object["flow"] = Self.json(flow)
        }
        return Self.answer(200, .object(object))
    }

    /// A chat's participant side as `GET /_emulator/contacts/{id}` shows it.
    static func json(_ chat: ChatRecord, contactID: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "customerConnected": .bool(chat.customerConnectedAt != nil),
            "attributeNames": .array(chat.attributes.keys.sorted().map(JSONValue.string)),
            "transcript": .array(
                (chat.pastItems + chat.items).map { ParticipantBehaviour.json($0, currentContactID: contactID) }),
        ]
        object["customerConnectedAt"] = chat.customerConnectedAt.map { .string(HTTPDate.iso8601($0)) }
        object["customerListeningAt"] = chat.customerListeningAt.map { .string(HTTPDate.iso8601($0)) }
        object["connectDeadline"] = chat.connectDeadline.map { .string(HTTPDate.iso8601($0)) }
        object["queued"] = .bool(chat.queuedAt != nil)
        object["queueId"] = chat.queueID.map(JSONValue.string)
        object["queuedAt"] = chat.queuedAt.map { .string(HTTPDate.iso8601($0)) }
        object["endReason"] = chat.endReason.map { .string($0.rawValue) }
        return .object(object)
    }

    private func stats() -> HTTPResponse {
        let stats = statistics.current
        let (count, active, now) = state.withState { state, now in
            (state.store.contactCount, state.store.activeChatCount(now: now), now)
        }
        return Self.answer(
            200,
            .object([
                "requests": .integer(stats.requests),
                "outcomes": .object(stats.outcomes.mapValues { .object($0.mapValues { .integer($0) }) }),
                "faults": .object(stats.faults.mapValues { .integer($0) }),
                "connections": .integer(stats.connections),
                "refusedRequests": .object(stats.refusedRequests.mapValues { .integer($0) }),
                "contacts": .integer(count), "activeChats": .integer(active),
                "eventSubscribers": .integer(state.events.subscriberCount),
                "seed": .string(String(seed)), "timeOffsetSeconds": .double(state.time.offsetSeconds),
                "now": .string(HTTPDate.iso8601(now)),
            ]))
    }

    private func advance(_ request: HTTPRequest) -> HTTPResponse {
        let query = Self.queryItems(request.query)
        let fromBody = (try? JSONParser.parse(request.body))?["seconds"]?.numberValue
        guard let seconds = query["seconds"].flatMap(Double.init) ?? fromBody, seconds >= 0, seconds.isFinite else {
            return Self.answer(
                400, .object(["message": .string("give the seconds to advance as ?seconds=N or {\"seconds\": N}")]))
        }
        let offset = advanceTime(by: seconds)
        return Self.answer(
            200, .object(["timeOffsetSeconds": .double(offset), "now": .string(HTTPDate.iso8601(state.time.now))]))
    }

    /// Moves the emulated time forward: ends the chats whose time ran out, then moves on the
    /// flows whose deadline (a Wait's, a Lex bot's) has come, earliest first.
    ///
    /// - Returns: the total offset, in seconds.
    @discardableResult
    func advanceTime(by seconds: TimeInterval) -> TimeInterval {
        let offset = state.advance(by: seconds)
        chatFlows.advance(to: state.time.now)
        return offset
    }

    /// A chat's flow as `GET /_emulator/contacts/{id}` shows it: `{contactFlowId, state,
    /// path}`, the state as `{name, action?, until?, queueId?, reason?}`. No attribute value.
    static func json(_ flow: ChatFlowRecord) -> JSONValue {
        var state: [String: JSONValue]
        switch flow.state {
        case .notStarted:
            state = ["name": .string("notStarted")]
        case .waiting(let action, let until):
            state = ["name": .string("waiting"), "action": .string(action)]
            state["until"] = until.map { .string(HTTPDate.iso8601($0)) }
        case .queued(let queueID):
            state = ["name": .string("queued")]
            state["queueId"] = queueID.map(JSONValue.string)
        case .ended(let reason):
            state = ["name": .string("ended"), "reason": .string(reason.rawValue)]
        }
        return .object([
            "contactFlowId": .string(flow.contactFlowID), "state": .object(state),
            "path": .array(flow.path.map(\.json)),
        ])
    }

    /// `GET /_emulator/events`: a WebSocket that first says `{"type": "subscribed"}`, then
    /// sends every ``ContactEvent`` from then on as one JSON text message, until the client
    /// closes it or the emulator stops.
    private func eventsSession() -> WebSocketSession {
        let events = state.events
        return WebSocketSession { channel in
            let stream = events.subscribe()
            guard (try? await channel.send(text: #"{"type":"subscribed"}"#)) != nil else { return }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Contact life-cycle events only: transcript items are read per chat
                    // (`GET /_emulator/contacts/{id}`), so messages never reach this stream.
                    for await event in stream where event.kind != .transcriptItem {
                        guard (try? await channel.send(text: JSONWriter.compact.string(Self.json(event)))) != nil else {
                            return
                        }
                    }
                }
                group.addTask {
                    // Inbound messages are not used; the loop ends when the client closes.
                    for await _ in channel.messages {}
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    // MARK: - Answers

    /// A 404 or 405 of the admin API, listing what it serves.
    static func unknown(path: String, method: String, allowed: [String]) -> HTTPResponse {
        if !allowed.isEmpty {
            return answer(405, .object(["message": .string("method \(method.uppercased()) is not allowed here")]))
        }
        return answer(
            404,
            .object([
                "message": .string(
                    "no admin endpoint at \(path); there are GET /_emulator/contacts, GET /_emulator/contacts/{id}, "
                        + "GET /_emulator/stats, "
                        + "POST /_emulator/reset, POST /_emulator/advance and GET /_emulator/events (WebSocket)")
            ]))
    }

    private static func answer(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "application/json"], body: JSONWriter.pretty.bytes(body) + [0x0A])
    }

    /// An event as `GET /_emulator/events` sends it.
    static func json(_ event: ContactEvent) -> JSONValue {
        .object([
            "sequence": .integer(event.sequence), "type": .string(event.kind.rawValue),
            "contactId": .string(event.contactID), "instanceId": .string(event.instanceID),
            "at": .string(HTTPDate.iso8601(event.at)),
        ])
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
