public import ChatctlAWS

/// Starts the chat a scripted conversation runs in (`chatctl verify`), resending its
/// client token while the outcome is unknown.
///
/// A lost or unreadable answer (a dropped connection, a 200 without a usable ContactId)
/// may mean the chat exists. Apply keeps such an entry pending for the next run; verify has
/// no lockfile entry to keep, so it resends the same token now: Amazon Connect answers the
/// chat that token started (idempotency), and the conversation runs in it and its cleanup
/// ends it, rather than leaving a chat no record names.
public enum VerificationLaunch {
    /// Requests with the same token after the first whose outcome was unknown.
    public static let resends = 3

    /// Starts `request`, resending it while its outcome is unknown.
    /// - Parameter pause: waits before resend number `n` (1-based); tests pass none.
    /// - Returns: the answer, from whichever request got one.
    /// - Throws: ``LaunchFailure``: a refusal at once; an unknown outcome once the resends
    ///   are spent, its message saying that a chat may have started.
    public static func start(
        _ request: StartChatContactRequest, region: String?, launcher: any ChatLauncher,
        pause: @Sendable (Int) async -> Void = { resend in try? await Task.sleep(for: .milliseconds(250 << resend)) }
    ) async throws(LaunchFailure) -> StartChatContactResponse {
        var resend = 0
        while true {
            do {
                return try await launcher.startChat(request, region: region).response
            } catch {
                guard error.kind == .ambiguous, error.code != "cancelled", !Task.isCancelled else { throw error }
                guard resend < resends else {
                    var failure = error
                    failure.message += "; the outcome is still unknown after \(resends + 1) requests with the same client token, "
                        + "so a chat may have started that nothing can stop: it ends when its duration passes"
                    throw failure
                }
                resend += 1
                await pause(resend)
            }
        }
    }
}
