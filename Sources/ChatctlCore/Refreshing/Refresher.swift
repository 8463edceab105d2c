public import Foundation
public import ChatctlAWS

/// `chatctl refresh`: asks Amazon Connect what became of every chat the lockfile records
/// (DescribeContact) and records only its state and times in `observed`.
public struct Refresher: Sendable {
    /// One profile's refresh.
    public struct Result: Sendable, Equatable {
        public var profile: String
        /// The observation before, if any.
        public var before: LockEntry.Observation?
        /// The new observation; `nil` when the call failed.
        public var after: LockEntry.Observation?
        /// Why the call failed (the entry keeps its previous observation).
        public var failure: LaunchFailure?

        /// True when the observed state or one of its times changed.
        public var changed: Bool {
            guard let after else { return false }
            guard let before else { return true }
            return !after.sameState(as: before)
        }
    }

    private let observer: any ContactObserver
    private let concurrency: Int

    /// - Parameter concurrency: calls in flight at once (the client's rate limiter paces them).
    public init(observer: any ContactObserver, concurrency: Int = 4) {
        self.observer = observer
        self.concurrency = max(1, concurrency)
    }

    /// The observed state of `contact`: ended once disconnected, else with an agent, else
    /// queued, else in its flow. Nothing else of the answer is kept.
    public static func observation(
        of contact: DescribeContactResponse.Contact?, refreshedAt: Date
    ) -> LockEntry.Observation {
        guard let contact else { return LockEntry.Observation(state: .gone, refreshedAt: wholeSeconds(refreshedAt)) }
        let state: LockEntry.Observation.State
        if contact.disconnectTimestamp != nil {
            state = .ended
        } else if contact.connectedToAgentTimestamp != nil {
            state = .withAgent
        } else if contact.enqueueTimestamp != nil {
            state = .queued
        } else {
            state = .inFlow
        }
        return LockEntry.Observation(
            state: state, refreshedAt: wholeSeconds(refreshedAt), disconnectedAt: contact.disconnectTimestamp.map(wholeSeconds),
            queuedAt: contact.enqueueTimestamp.map(wholeSeconds), queueId: contact.queueId,
            agentConnectedAt: contact.connectedToAgentTimestamp.map(wholeSeconds))
    }

    /// The lockfile keeps whole seconds: an observation compared with the one read back
    /// must not differ by the fraction the file dropped.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// Describes the contact of every entry that has one (among `names`, when given) and
    /// returns the lockfile with the observations recorded, and one result per entry asked.
    /// - Parameters:
    ///   - now: the time of each answer (the machine's clock in production).
    ///   - interruption: once requested, no other DescribeContact is sent; the answers that
    ///     arrived are returned, to be recorded (the entries not reached have no result).
    public func refresh(
        _ lockfile: Lockfile, names: Set<String>? = nil, now: @escaping @Sendable () -> Date,
        interruption: ApplyInterruption? = nil
    ) async -> (lockfile: Lockfile, results: [Result]) {
        let targets = lockfile.entries.filter { name, entry in
            entry.contactId != nil && entry.instance != nil && (names?.contains(name) ?? true)
        }.sorted { $0.key < $1.key }
        var results: [String: Result] = [:]
        await withTaskGroup(of: Result.self) { group in
            var next = 0
            func schedule() {
                guard next < targets.count, interruption?.isRequested != true else { return }
                let (name, entry) = targets[next]
                next += 1
                group.addTask { await self.refresh(name: name, entry: entry, now: now) }
            }
            for _ in 0..<min(concurrency, targets.count) { schedule() }
            for await result in group {
                results[result.profile] = result
                schedule()
            }
        }
        var updated = lockfile
        for (name, result) in results {
            if let after = result.after { updated.entries[name]?.observed = after }
        }
        return (updated, results.values.sorted { $0.profile < $1.profile })
    }

    private func refresh(name: String, entry: LockEntry, now: @Sendable () -> Date) async -> Result {
        guard let contactId = entry.contactId, let instance = entry.instance else {
            return Result(profile: name, before: entry.observed)
        }
        do {
            let response = try await observer.describeContact(
                DescribeContactRequest(instanceId: instance, contactId: contactId), region: entry.region)
            return Result(
                profile: name, before: entry.observed,
                after: Self.observation(of: response.contact ?? .init(), refreshedAt: now()))
        } catch where error.kind == .notFound {
            return Result(profile: name, before: entry.observed, after: Self.observation(of: nil, refreshedAt: now()))
        } catch {
            return Result(profile: name, before: entry.observed, failure: error)
        }
    }
}
