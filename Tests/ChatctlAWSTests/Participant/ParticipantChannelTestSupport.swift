import ChatctlAWS
import Testing

/// Reads channel events until `predicate` holds; every event read is returned, in order.
/// Fails the test when the stream ends first.
func collect(
    _ iterator: inout AsyncStream<ParticipantChannelEvent>.Iterator, until predicate: (ParticipantChannelEvent) -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> [ParticipantChannelEvent] {
    var seen: [ParticipantChannelEvent] = []
    while let event = await iterator.next() {
        seen.append(event)
        if predicate(event) { return seen }
    }
    Issue.record("the channel's events ended before the one awaited; saw \(seen)", sourceLocation: sourceLocation)
    return seen
}

extension Array where Element == ParticipantChannelEvent {
    /// The contents of the delivered items, in order.
    var itemContents: [String] {
        compactMap { if case .item(let item) = $0 { item.content } else { nil } }
    }
}

extension ParticipantHarness {
    /// A channel on a started chat, timed by `clock` (heartbeat 10 s, handshake 30 s,
    /// subscription 15 s, reconnection 1 s).
    func channel(
        _ client: ParticipantClient, participantToken: Sensitive<String>, clock: ControlledClock, maxReconnects: Int = 5
    ) -> ParticipantChatChannel {
        ParticipantChatChannel(
            client: client, participantToken: participantToken, configuration: WebSocketConfiguration(), clock: clock,
            timing: .init(
                heartbeatInterval: 10, handshakeTimeout: 30, subscribeTimeout: 15, reconnectDelay: 1,
                maxReconnects: maxReconnects))
    }

    /// Starts a chat and its channel, and waits for the first subscription.
    func connectedChannel(_ client: ParticipantClient) async throws -> (
        chat: (contactID: String, participantToken: Sensitive<String>), clock: ControlledClock,
        channel: ParticipantChatChannel, events: AsyncStream<ParticipantChannelEvent>.Iterator
    ) {
        let chat = try await startChat()
        let clock = ControlledClock()
        let channel = channel(client, participantToken: chat.participantToken, clock: clock)
        var events = channel.events.makeAsyncIterator()
        channel.start()
        _ = await collect(&events) { $0 == .connected(connection: 1) }
        return (chat, clock, channel, events)
    }
}
