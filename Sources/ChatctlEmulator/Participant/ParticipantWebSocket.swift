import ChatctlAWS
import ChatctlJSON
import Foundation

/// The chat WebSocket of one participant connection, speaking the protocol ChatJS speaks
/// (research §1.6): every frame is `{"topic": …, "content": …}`.
///
/// - `aws/subscribe` with `{"topics": ["aws/chat"]}` is answered
///   `{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}`
///   (`"failure"` for a topic other than `aws/chat`); `aws/unsubscribe` alike.
/// - `aws/heartbeat` is echoed `{"topic":"aws/heartbeat"}`; `aws/ping` is answered
///   `{"topic":"aws/ping","statusCode":200}`.
/// - The first `aws/chat` subscription of a chat starts its contact flow, if nothing the
///   customer did started it before (``ContactStore/claimFlowStart(_:now:)``): the flow's
///   first messages arrive on the socket after the subscription's answer.
/// - Once subscribed to `aws/chat`, every new transcript item of the chat arrives as
///   `{"topic":"aws/chat","contentType":"application/json","content":"<item as JSON>"}`; the
///   item carries `ContactId` and `InitialContactId`. Items from before the subscription
///   are not sent (GetTranscript has them). After the `…event.chat.ended` item the server
///   closes the socket.
/// - Anything else is answered with an error frame `{"message": …}` and the socket stays open.
struct ParticipantWebSocket: Sendable {
    let contactID: String
    let state: EmulatorStateLock
    /// Where the chat's flow hears that the customer is listening.
    let sessions: ChatSessions

    /// What the transport runs once the connection is upgraded.
    var session: WebSocketSession {
        WebSocketSession { channel in await run(channel) }
    }

    private func run(_ channel: any WebSocketChannel) async {
        let events = state.events.subscribe(contactID: contactID)
        let subscribed = Locked(false)
        let (initialContactID, alreadyEnded) = state.withState { state, now in
            let contact = state.store.contact(contactID)
            return (contact?.initialContactID ?? contactID, contact?.state(at: now) != .active)
        }
        if alreadyEnded {
            await channel.close(code: 1000)
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events {
                    guard event.kind == .transcriptItem, let item = event.item else { continue }
                    if subscribed.withLock({ $0 }) {
                        let frame = Self.chatFrame(item, initialContactID: initialContactID)
                        guard (try? await channel.send(text: frame)) != nil else { return }
                    }
                    if item.kind == .chatEnded {
                        // Nothing more will come: the chat is over, subscribed or not.
                        await channel.close(code: 1000)
                        return
                    }
                }
            }
            group.addTask {
                for await message in channel.messages {
                    guard case .text(let text) = message else { continue }
                    let wasSubscribed = subscribed.withLock { $0 }
                    let reply = Self.answer(to: text, subscribed: subscribed)
                    guard (try? await channel.send(text: reply)) != nil else { return }
                    if !wasSubscribed, subscribed.withLock({ $0 }) {
                        startFlow()
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Starts the chat's flow if the customer had not been heard from before.
    private func startFlow() {
        let claimed = state.withState { state, now in state.store.claimFlowStart(contactID, now: now) }
        if claimed {
            sessions.session(for: contactID)?.deliver(.connected)
        }
    }

    /// The answer to one client frame.
    static func answer(to text: String, subscribed: Locked<Bool>) -> String {
        guard let frame = try? JSONParser.parse(Array(text.utf8)), let topic = frame["topic"]?.stringValue else {
            return errorFrame("The message must be a JSON object with a topic.")
        }
        switch topic {
        case "aws/heartbeat":
            return JSONWriter.compact.string(.object(["topic": .string("aws/heartbeat")]))
        case "aws/ping":
            return JSONWriter.compact.string(.object(["topic": .string("aws/ping"), "statusCode": .integer(200)]))
        case "aws/subscribe", "aws/unsubscribe":
            let topics = (frame["content"]?["topics"]?.arrayValue ?? []).compactMap(\.stringValue)
            let known = !topics.isEmpty && topics.allSatisfy { $0 == "aws/chat" }
            if known {
                subscribed.withLock { $0 = topic == "aws/subscribe" }
            }
            return JSONWriter.compact.string(
                .object([
                    "topic": .string(topic),
                    "content": .object([
                        "status": .string(known ? "success" : "failure"), "topics": .array(topics.map(JSONValue.string)),
                    ]),
                ]))
        default:
            return errorFrame("Unknown topic \(topic).")
        }
    }

    /// An `aws/chat` frame carrying `item`.
    static func chatFrame(_ item: TranscriptItem, initialContactID: String) -> String {
        var object = ParticipantBehaviour.json(item, currentContactID: item.contactID)
        if case .object(var members) = object {
            members["InitialContactId"] = .string(initialContactID)
            object = .object(members)
        }
        return JSONWriter.compact.string(
            .object([
                "topic": .string("aws/chat"), "contentType": .string("application/json"),
                "content": .string(JSONWriter.compact.string(object)),
            ]))
    }

    private static func errorFrame(_ message: String) -> String {
        JSONWriter.compact.string(.object(["message": .string(message)]))
    }
}
