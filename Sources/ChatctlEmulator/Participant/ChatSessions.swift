import ChatctlAWS

/// The ``ChatSession`` of every chat, and the hook a flow interpreter installs to hear of
/// new chats (``onChatStarted``). A reset of the emulator forgets the sessions, not the hook.
final class ChatSessions: Sendable {
    private let state: EmulatorStateLock
    private let sessions = Locked<[String: ChatSession]>([:])
    private let startHandler = LockedHook<@Sendable (ChatSession, EmulatedContact) -> Void>()

    init(state: EmulatorStateLock) {
        self.state = state
    }

    /// Called once for each chat StartChatContact creates, before it is answered (see
    /// ``ChatSession``'s contract).
    var onChatStarted: (@Sendable (ChatSession, EmulatedContact) -> Void)? {
        get { startHandler.function }
        set { startHandler.function = newValue }
    }

    /// The session of `contactID`, or `nil` when no chat of that id was started here.
    func session(for contactID: String) -> ChatSession? {
        guard state.read({ $0.store.chats[contactID] != nil }) else { return nil }
        return sessions.withLock { sessions in
            if let session = sessions[contactID] {
                return session
            }
            let session = ChatSession(contactID: contactID, state: state)
            sessions[contactID] = session
            return session
        }
    }

    /// StartChatContact created `contact`: hands its session to ``onChatStarted``.
    func chatStarted(_ contact: EmulatedContact) {
        guard let handler = onChatStarted, let session = session(for: contact.contactID) else { return }
        handler(session, contact)
    }

    /// Forgets every session (the emulator was reset).
    func reset() {
        sessions.withLock { $0.removeAll() }
    }
}
