public import Foundation
public import ChatctlAWS

/// `chatctl stop NAME…`: StopContact for each named profile's current chat, and the entry
/// becomes `stopped` with `stoppedAt`. A stopped chat counts as ended (a persistent `from:`
/// may continue it) and is not relaunched unless its profile changes.
public struct ChatStopper: Sendable {
    /// What became of one name.
    public struct Result: Sendable, Equatable {
        public enum Outcome: String, Sendable, Equatable {
            /// StopContact succeeded.
            case stopped
            /// Amazon Connect no longer had it active: recorded as stopped all the same.
            case alreadyEnded = "already-ended"
            /// The entry has no running chat (pending, failed, stopped, or past its expiry).
            case notRunning = "not-running"
            /// The lockfile has no entry of that name.
            case unknown
            /// StopContact failed; the entry is unchanged.
            case failed
            /// Not attempted: a SIGINT or SIGTERM came first.
            case interrupted
        }

        public var profile: String
        public var outcome: Outcome
        public var contactId: String?
        public var failure: LaunchFailure?
    }

    private let launcher: any ChatLauncher

    public init(launcher: any ChatLauncher) {
        self.launcher = launcher
    }

    /// Stops the chats of `names`, one after another, and returns the lockfile with each
    /// stopped entry recorded, and one result per name in the order given.
    /// - Parameter interruption: once requested, the names not reached yet are not stopped
    ///   (``Result/Outcome/interrupted``); the stops made are returned, to be recorded.
    public func stop(
        _ names: [String], in lockfile: Lockfile, now: @Sendable () -> Date, interruption: ApplyInterruption? = nil
    ) async -> (lockfile: Lockfile, results: [Result]) {
        var updated = lockfile
        var results: [Result] = []
        for name in names {
            if interruption?.isRequested == true || Task.isCancelled {
                results.append(Result(profile: name, outcome: .interrupted, contactId: updated.entries[name]?.contactId))
                continue
            }
            guard let entry = updated.entries[name] else {
                results.append(Result(profile: name, outcome: .unknown))
                continue
            }
            guard entry.status == .started, !entry.hasEnded(at: now()), let contact = entry.contactId,
                  let instance = entry.instance else {
                results.append(Result(profile: name, outcome: .notRunning, contactId: entry.contactId))
                continue
            }
            var outcome = Result.Outcome.stopped
            do {
                _ = try await launcher.stopChat(StopContactRequest(contactId: contact, instanceId: instance), region: entry.region)
            } catch where error.kind == .notFound {
                outcome = .alreadyEnded
            } catch {
                results.append(Result(profile: name, outcome: .failed, contactId: contact, failure: error))
                continue
            }
            updated.entries[name]?.status = .stopped
            updated.entries[name]?.stoppedAt = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
            results.append(Result(profile: name, outcome: outcome, contactId: contact))
        }
        return (updated, results)
    }
}
