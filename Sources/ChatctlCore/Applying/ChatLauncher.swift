public import ChatctlAWS

/// What apply needs of Amazon Connect: start a chat, stop one. The production
/// implementation is ``ConnectChatLauncher`` over `ConnectClient`; the emulator serves
/// the same calls over real HTTP for tests and `--emulator`.
public protocol ChatLauncher: Sendable {
    /// Starts the chat `request` describes in `region` (the launcher's default when `nil`).
    /// - Returns: the response and how many requests it took.
    func startChat(_ request: StartChatContactRequest, region: String?) async throws(LaunchFailure)
        -> (response: StartChatContactResponse, attempts: Int)

    /// Ends a chat. A chat Amazon Connect no longer knows counts as ended.
    /// - Returns: how many requests it took.
    func stopChat(_ request: StopContactRequest, region: String?) async throws(LaunchFailure) -> Int
}

/// Why a call did not succeed, in the terms apply records and reports.
public struct LaunchFailure: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Amazon Connect refused the request: nothing was created.
        case refused
        /// The outcome is unknown (connection lost, server error after retries): the chat
        /// may exist. The entry stays pending so the next apply resends the same token.
        case ambiguous
        /// The instance's concurrent active chat quota is full (LimitExceededException).
        case capacity
        /// The contact does not exist (StopContact of a chat that already ended).
        case notFound
        /// The request never left: the call was cancelled before its first attempt.
        case notSent
    }

    public var kind: Kind
    /// The AWS error code, or a chatctl code (`transport.timeout`, `credentials`).
    public var code: String
    public var message: String
    public var requestId: String?
    public var hint: String?
    public var attempts: Int

    public init(kind: Kind, code: String, message: String, requestId: String? = nil, hint: String? = nil, attempts: Int) {
        self.kind = kind
        self.code = code
        self.message = message
        self.requestId = requestId
        self.hint = hint
        self.attempts = attempts
    }
}

/// Sends every call to one region, whatever the profile declares: the emulator serves
/// one region, and `apply --emulator` points every profile at it.
public struct RegionPinnedLauncher: ChatLauncher {
    public let base: any ChatLauncher
    public let region: String

    public init(base: any ChatLauncher, region: String) {
        self.base = base
        self.region = region
    }

    public func startChat(_ request: StartChatContactRequest, region _: String?) async throws(LaunchFailure)
        -> (response: StartChatContactResponse, attempts: Int)
    {
        try await base.startChat(request, region: region)
    }

    public func stopChat(_ request: StopContactRequest, region _: String?) async throws(LaunchFailure) -> Int {
        try await base.stopChat(request, region: region)
    }
}
