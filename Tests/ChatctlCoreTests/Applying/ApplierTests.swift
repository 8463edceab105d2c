import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

/// The applying stage on its own: an in-memory launcher, a virtual clock, and the real
/// lockfile journal (or, for the longest plans, one in memory).
@Suite struct ApplierTests {
    static func outcomes(_ report: ApplyReport) -> [String: ApplyReport.Result.Outcome] {
        Dictionary(uniqueKeysWithValues: report.results.map { ($0.profile, $0.outcome) })
    }

    static func applier(_ launcher: InMemoryChatLauncher, clock: VirtualApplyClock = VirtualApplyClock(),
                        _ configure: (inout ApplyOptions) -> Void = { _ in }) -> Applier {
        var options = ApplyOptions()
        configure(&options)
        return Applier(launcher: launcher, options: options, clock: clock)
    }

    /// Applies through a ``LockfileJournal`` on a lockfile in `folder`.
    static func apply(
        _ plan: Plan, _ applier: Applier, folder: TemporaryFolder, lockfile: Lockfile = Lockfile(),
        fileSystem: any FileSystem = PosixFileSystem(), outputs: ParticipantOutputs? = nil, events: EventLog = EventLog()
    ) async throws -> (ApplyReport, Lockfile) {
        try await apply(plan, applier, at: folder.path("chatctl.lock.json"), lockfile: lockfile, fileSystem: fileSystem,
                        outputs: outputs, events: events)
    }

    static func apply(
        _ plan: Plan, _ applier: Applier, at path: String, lockfile: Lockfile = Lockfile(),
        fileSystem: any FileSystem = PosixFileSystem(), outputs: ParticipantOutputs? = nil, events: EventLog = EventLog()
    ) async throws -> (ApplyReport, Lockfile) {
        let store = try LockfileStore(path: path, fileSystem: fileSystem)
        let report = await applier.apply(plan, lockfile: lockfile, store: store, outputs: outputs, events: events.record)
        return (report, try LockfileStore(path: store.path).read())
    }

    // MARK: Order

    @Test func aDiamondRunsEachCallAfterItsDependencies() async throws {
        let launcher = InMemoryChatLauncher()
        let plan = TestPlans.plan([
            TestPlans.call("top"), TestPlans.call("left", after: ["top"]), TestPlans.call("right", after: ["top"]),
            TestPlans.call("bottom", after: ["left", "right"]),
        ])
        let (report, lockfile) = try await Self.apply(plan, Self.applier(launcher), folder: try TemporaryFolder())
        #expect(Self.outcomes(report) == ["top": .started, "left": .started, "right": .started, "bottom": .started])
        let order = launcher.started
        let position = { (name: String) in order.firstIndex(of: name) ?? -1 }
        #expect(order.count == 4)
        #expect(position("top") < position("left") && position("top") < position("right"))
        #expect(position("left") < position("bottom") && position("right") < position("bottom"))
        #expect(report.results.map(\.profile) == ["top", "left", "right", "bottom"], "results stay in plan order")
        #expect(lockfile.entries.values.allSatisfy { $0.status == .started })
        #expect(lockfile.serial == 1)
    }

    @Test func aChainOf100000RunsInOrder() async throws {
        let count = 100_000
        var calls = [TestPlans.call("c0")]
        for index in 1..<count { calls.append(TestPlans.call("c\(index)", after: ["c\(index - 1)"])) }
        let launcher = InMemoryChatLauncher()
        let journal = MemoryJournal()
        let report = await Self.applier(launcher).apply(
            TestPlans.plan(calls), journal: journal, lockfilePath: "memory", outputs: nil)
        #expect(report.results.count == count)
        #expect(report.results.allSatisfy { $0.outcome == .started })
        #expect(launcher.started == calls.map(\.profile))
        #expect(launcher.peakConcurrency == 1)
        #expect(await journal.records == 2 * count)
    }

    @Test func independentCallsRunConcurrentlyUpToTheLimit() async throws {
        let launcher = InMemoryChatLauncher()
        let calls = (0..<40).map { TestPlans.call("p\($0)") }
        let applier = Self.applier(launcher) { $0.concurrency = 3 }
        let report = await applier.apply(TestPlans.plan(calls), journal: MemoryJournal(), lockfilePath: "memory", outputs: nil)
        #expect(report.results.allSatisfy { $0.outcome == .started })
        #expect(launcher.peakConcurrency <= 3)
    }

    // MARK: Failures

    @Test func aFailureSkipsItsDependantsAndNothingElse() async throws {
        let refused = LaunchFailure(kind: .refused, code: "ResourceNotFoundException", message: "no such instance", attempts: 1)
        let launcher = InMemoryChatLauncher(["bad": .fail(refused)])
        let plan = TestPlans.plan([
            TestPlans.call("bad"), TestPlans.call("good"), TestPlans.call("child", after: ["bad"]),
            TestPlans.call("grandchild", after: ["child"]), TestPlans.call("beside", after: ["good"]),
            TestPlans.call("kept", .unchanged, after: ["bad"]),
        ])
        let folder = try TemporaryFolder()
        let kept = TestPlans.started("kept", contact: "contact-kept")
        let (report, lockfile) = try await Self.apply(plan, Self.applier(launcher), folder: folder, lockfile: Lockfile(entries: ["kept": kept]))
        #expect(Self.outcomes(report) == [
            "bad": .failed, "good": .started, "child": .skipped, "grandchild": .skipped, "beside": .started, "kept": .unchanged,
        ])
        #expect(report.results.first { $0.profile == "child" }?.message == "skipped: bad failed")
        #expect(report.results.first { $0.profile == "grandchild" }?.message == "skipped: child was not applied")
        #expect(report.results.first { $0.profile == "kept" }?.contactId == "contact-kept")
        #expect(!launcher.started.contains("child") && !launcher.started.contains("grandchild"))
        #expect(lockfile.entries["bad"]?.status == .failed)
        #expect(lockfile.entries["bad"]?.error?.code == "ResourceNotFoundException")
        #expect(lockfile.entries["child"] == nil)
        #expect(report.stopReason == nil)
    }

    @Test func failFastSkipsTheRestButNotTheUnchanged() async throws {
        let refused = LaunchFailure(kind: .refused, code: "InvalidParameterException", message: "bad", attempts: 1)
        let launcher = InMemoryChatLauncher(["first": .fail(refused)])
        let plan = TestPlans.plan([
            TestPlans.call("first"), TestPlans.call("second"), TestPlans.call("same", .unchanged),
            TestPlans.call("third"),
        ])
        let entries = ["same": TestPlans.started("same", contact: "contact-same")]
        let applier = Self.applier(launcher) {
            $0.failFast = true
            $0.concurrency = 1
        }
        let (report, _) = try await Self.apply(plan, applier, folder: try TemporaryFolder(), lockfile: Lockfile(entries: LockEntries(entries)))
        #expect(report.results.map(\.outcome) == [.failed, .skipped, .unchanged, .skipped])
        #expect(report.results[1].message == "not started: --fail-fast after first failed")
        #expect(report.stopReason == .failFast(after: "first"))
        #expect(launcher.started == ["first"])
    }

    @Test func anUnknownOutcomeStaysPendingWithItsToken() async throws {
        let lost = LaunchFailure(kind: .ambiguous, code: "transport.timeout", message: "timed out", attempts: 3)
        let launcher = InMemoryChatLauncher(["lost": .fail(lost)])
        let (report, lockfile) = try await Self.apply(
            TestPlans.plan([TestPlans.call("lost")]), Self.applier(launcher), folder: try TemporaryFolder())
        #expect(report.results.first?.outcome == .failed)
        #expect(lockfile.entries["lost"]?.status == .pending)
        #expect(lockfile.entries["lost"]?.clientToken == "token-lost")
        #expect(lockfile.entries["lost"]?.attempts == 3)
    }

    // MARK: What a start records

    @Test func aStartRecordsTheTokenDigestAndTheProfilesDuration() async throws {
        let clock = VirtualApplyClock()
        let plan = TestPlans.plan([TestPlans.call("short", durationMinutes: 90), TestPlans.call("default")])
        let (report, lockfile) = try await Self.apply(plan, Self.applier(InMemoryChatLauncher(), clock: clock), folder: try TemporaryFolder())
        #expect(report.results.allSatisfy { $0.outcome == .started })
        let short = try #require(lockfile.entries["short"])
        #expect(short.startedAt == clock.now())
        #expect(short.expiresAt == clock.now().addingTimeInterval(90 * 60))
        #expect(lockfile.entries["default"]?.expiresAt == clock.now().addingTimeInterval(1500 * 60))
        let contact = try #require(short.contactId)
        #expect(short.participantTokenSha256 == SHA256.hexDigest("token-of-\(contact)"))
        #expect(short.participantId == "participant-\(contact)")
    }

    @Test func aResumeAddsItsAttemptsWithoutOverflowing() async throws {
        let call = TestPlans.call("again", .resume, generation: Int.max)
        var pending = TestPlans.started("again", contact: "unused")
        pending.status = .pending
        pending.contactId = nil
        pending.generation = Int.max
        pending.attempts = Int.max
        let (report, lockfile) = try await Self.apply(
            TestPlans.plan([call]), Self.applier(InMemoryChatLauncher()), folder: try TemporaryFolder(),
            lockfile: Lockfile(serial: 3, entries: ["again": pending]))
        #expect(report.results.first?.outcome == .started)
        #expect(lockfile.entries["again"]?.attempts == Int.max)
        #expect(lockfile.entries["again"]?.generation == Int.max)
    }

    @Test func aSerialAtTheLargestIntegerIsRefusedNotWrapped() async throws {
        let (report, _) = try await Self.apply(
            TestPlans.plan([TestPlans.call("one")]), Self.applier(InMemoryChatLauncher()), folder: try TemporaryFolder(),
            lockfile: Lockfile(serial: Int.max))
        #expect(report.results.first?.outcome == .failed)
        #expect(report.results.first?.applyError?.underlying.diagnostic.code == "lockfile.serial")
    }

    // MARK: Capacity

    @Test func aFullQuotaWaitsUpToCapacityWaitOnTheInjectedClock() async throws {
        let clock = VirtualApplyClock()
        let start = clock.now()
        let launcher = InMemoryChatLauncher(["busy": .capacity(times: 2)])
        let events = EventLog()
        let applier = Self.applier(launcher, clock: clock) { $0.capacityWait = 30 }
        let (report, lockfile) = try await Self.apply(
            TestPlans.plan([TestPlans.call("busy")]), applier, folder: try TemporaryFolder(), events: events)
        #expect(report.results.first?.outcome == .started)
        #expect(lockfile.entries["busy"]?.status == .started)
        #expect(launcher.started == ["busy", "busy", "busy"])
        #expect(events.capacityPauses == 2)
        // Two pauses of 5 s each, in the clock's time, not the wall clock's.
        #expect(clock.sleeps == [start.addingTimeInterval(5), start.addingTimeInterval(10)])
    }

    @Test func aFullQuotaFailsOnceCapacityWaitIsOver() async throws {
        let clock = VirtualApplyClock()
        let launcher = InMemoryChatLauncher(["busy": .capacity(times: 100)])
        let applier = Self.applier(launcher, clock: clock) { $0.capacityWait = 12 }
        let (report, lockfile) = try await Self.apply(TestPlans.plan([TestPlans.call("busy")]), applier, folder: try TemporaryFolder())
        #expect(report.results.first?.outcome == .failed)
        #expect(report.results.first?.error?.kind == .capacity)
        #expect(lockfile.entries["busy"]?.status == .failed)
        #expect(clock.sleeps.count == 3, "5 s, 5 s, then the 2 s left")
        #expect(clock.now() == Date(timeIntervalSince1970: 1_800_000_012))
    }

    // MARK: Stop and forget

    @Test func pruningStopsTheChatBeforeForgettingIt() async throws {
        let stop = TestPlans.call("removed", .stop)
        let forget = TestPlans.call("gone", .forget)
        let launcher = InMemoryChatLauncher()
        let entries = ["removed": TestPlans.started("removed", contact: "contact-removed"),
                       "gone": TestPlans.started("gone", contact: "contact-gone")]
        let (report, lockfile) = try await Self.apply(
            TestPlans.plan([stop, forget]), Self.applier(launcher), folder: try TemporaryFolder(), lockfile: Lockfile(entries: LockEntries(entries)))
        #expect(report.results.map(\.outcome) == [.stopped, .forgotten])
        #expect(launcher.stopped == ["contact-removed"])
        #expect(lockfile.entries.isEmpty)
    }

    // MARK: Cancellation

    @Test func anApplyCancelledBeforeItStartsSendsAndWritesNothing() async throws {
        let folder = try TemporaryFolder()
        let launcher = InMemoryChatLauncher()
        let plan = TestPlans.plan([TestPlans.call("a"), TestPlans.call("b", after: ["a"])])
        let path = folder.path("chatctl.lock.json")
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            // Cancelled while waiting here, before apply begins.
            for await _ in gate {}
            return try await Self.apply(plan, Self.applier(launcher), at: path)
        }
        task.cancel()
        open.finish()
        let (report, _) = try await task.value
        #expect(report.results.map(\.outcome) == [.skipped, .skipped])
        #expect(report.results.first?.message == "not started: apply was interrupted")
        #expect(report.stopReason == .interrupted)
        #expect(launcher.started.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path("chatctl.lock.json")))
    }

    @Test func anApplyCancelledInFlightKeepsThatChatPendingAndStartsNoOther() async throws {
        let folder = try TemporaryFolder()
        let launcher = InMemoryChatLauncher(["slow": .hold])
        let plan = TestPlans.plan([TestPlans.call("slow"), TestPlans.call("next"), TestPlans.call("after", after: ["slow"])])
        let applier = Self.applier(launcher) { $0.concurrency = 1 }
        let path = folder.path("chatctl.lock.json")
        let task = Task { try await Self.apply(plan, applier, at: path) }
        let watcher = Task {
            _ = await task.result
            launcher.stopAnnouncing()
        }
        var holding = launcher.holding.makeAsyncIterator()
        #expect(await holding.next() == "slow")
        task.cancel()
        let (report, lockfile) = try await task.value
        await watcher.value
        #expect(Self.outcomes(report) == ["slow": .failed, "next": .skipped, "after": .skipped])
        #expect(report.stopReason == .interrupted)
        #expect(launcher.started == ["slow"])
        // The request had left: its outcome is unknown, so its token stays on disk.
        #expect(lockfile.entries["slow"]?.status == .pending)
        #expect(lockfile.entries["next"] == nil, "no pending entry for a call never started")
        #expect(lockfile.entries["after"] == nil)
    }

    @Test func anApplyCancelledWhileWaitingForCapacitySendsNothingMoreAndDoesNotSpin() async throws {
        let folder = try TemporaryFolder()
        let clock = VirtualApplyClock(blocksSleeps: true)
        let launcher = InMemoryChatLauncher(["busy": .capacity(times: 1)])
        var earlier = TestPlans.started("busy", contact: "contact-old")
        earlier.generation = 1
        let relaunch = TestPlans.call("busy", .relaunch, generation: 2, clientToken: "token-busy-2")
        let applier = Self.applier(launcher, clock: clock) { $0.capacityWait = 60 }
        let path = folder.path("chatctl.lock.json")
        let task = Task { [earlier] in
            try await Self.apply(TestPlans.plan([relaunch]), applier, at: path, lockfile: Lockfile(serial: 1, entries: ["busy": earlier]))
        }
        let watcher = Task {
            _ = await task.result
            clock.stopAnnouncing()
        }
        var sleeping = clock.sleeping.makeAsyncIterator()
        #expect(await sleeping.next() != nil, "the launch should wait for capacity")
        task.cancel()
        let (report, lockfile) = try await task.value
        await watcher.value
        #expect(report.results.first?.outcome == .skipped)
        #expect(report.results.first?.message == "not sent: apply was interrupted")
        #expect(launcher.started == ["busy"], "the one request that met the full quota, no other")
        #expect(clock.sleeps.count == 1)
        // Nothing was sent for generation 2: the entry is the one from before.
        #expect(lockfile.entries["busy"] == earlier)
    }

    @Test func aLaunchCancelledBeforeItsRequestLeftIsNotSent() async throws {
        let folder = try TemporaryFolder()
        let notSent = LaunchFailure(kind: .notSent, code: "cancelled", message: "cancelled", attempts: 0)
        let launcher = InMemoryChatLauncher(["quiet": .fail(notSent)])
        let (report, lockfile) = try await Self.apply(TestPlans.plan([TestPlans.call("quiet")]), Self.applier(launcher), folder: folder)
        #expect(report.results.first?.outcome == .skipped)
        #expect(report.results.first?.message == "not sent: apply was interrupted")
        #expect(lockfile.entries["quiet"] == nil)
    }

    // MARK: The journal failing

    @Test func aPendingEntryThatCannotBeWrittenSendsNothingAndStopsTheApply() async throws {
        let folder = try TemporaryFolder()
        let launcher = InMemoryChatLauncher()
        let plan = TestPlans.plan([TestPlans.call("first"), TestPlans.call("second")])
        let applier = Self.applier(launcher) { $0.concurrency = 1 }
        let (report, _) = try await Self.apply(plan, applier, folder: folder, fileSystem: RecordingFileSystem(failing: "rename"))
        let first = try #require(report.results.first)
        #expect(first.outcome == .failed)
        #expect(first.applyError?.nothingWasSent == true)
        #expect(first.error == nil, "Amazon Connect was not asked, so it did not refuse")
        #expect(first.message?.hasPrefix("not sent: the pending entry could not be written: ") == true)
        #expect(report.results[1].outcome == .skipped)
        #expect(report.results[1].message == "not started: the lockfile could not be written")
        #expect(report.stopReason == .journalFailure)
        #expect(launcher.started.isEmpty)
    }

    /// A participant token that cannot be written is not lost: the entry stays pending
    /// with its client token, so the next apply resumes it and Amazon Connect hands back
    /// the same chat and token (written then). Recording the start first would lose the
    /// token for good: the next plan would see `started` and do nothing.
    @Test func aTokenThatCannotBeWrittenLeavesTheChatPendingToResume() async throws {
        let folder = try TemporaryFolder()
        let launcher = InMemoryChatLauncher()
        let plan = TestPlans.plan([TestPlans.call("first")])
        let outputs = try ParticipantOutputs(
            path: folder.path("outputs.json"), now: Date(timeIntervalSince1970: 1_800_000_000),
            // The first creation is the check made when the file is opened (it can be
            // written then); the token's write fails.
            fileSystem: RecordingFileSystem(failing: "createNew", fromOccurrence: 2))
        let (report, lockfile) = try await Self.apply(plan, Self.applier(launcher), folder: folder, outputs: outputs)
        let first = try #require(report.results.first)
        #expect(first.outcome == .failed)
        guard case .tokenNotWritten(let contact, _)? = first.applyError else {
            Issue.record("expected tokenNotWritten, got \(String(describing: first.applyError))")
            return
        }
        #expect(contact == "contact-1")
        #expect(first.message?.contains("the next apply resumes it with the same client token") == true)
        #expect(lockfile.entries["first"]?.status == .pending)
        #expect(lockfile.entries["first"]?.clientToken == "token-first")
    }

    @Test func aStartThatCannotBeRecordedSaysTheChatStarted() async throws {
        let folder = try TemporaryFolder()
        let launcher = InMemoryChatLauncher()
        let plan = TestPlans.plan([TestPlans.call("first"), TestPlans.call("second")])
        let applier = Self.applier(launcher) { $0.concurrency = 1 }
        // The pending entry is written (the first write creates the lockfile); the result's
        // write (the journal's first record) fails, and so does the fold at the end.
        let fileSystem = RecordingFileSystem(failing: "write", fromOccurrence: 2)
        let (report, lockfile) = try await Self.apply(plan, applier, folder: folder, fileSystem: fileSystem)
        let first = try #require(report.results.first)
        #expect(first.outcome == .failed)
        #expect(first.contactId == "contact-1")
        guard case .startedButNotRecorded(let contact, _)? = first.applyError else {
            Issue.record("expected startedButNotRecorded, got \(String(describing: first.applyError))")
            return
        }
        #expect(contact == "contact-1")
        #expect(first.message?.hasPrefix("the chat started (contact contact-1) but its result could not be written") == true)
        #expect(report.stopReason == .journalFailure)
        #expect(launcher.started == ["first"])
        // On disk: still pending with its token, so the next apply resumes the same chat.
        #expect(lockfile.entries["first"]?.status == .pending)
        #expect(lockfile.entries["first"]?.clientToken == "token-first")
    }
}
