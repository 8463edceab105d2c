import ChatctlAWS
import ChatctlCore
import ChatctlEmulator
import Foundation
import Testing

/// The applying stage against the emulator over real HTTP (libcurl, SigV4, the
/// emulator's checks): what gets recorded when calls succeed, fail or lose their answer.
@Suite struct ApplierTests {
    /// Profiles from YAML text, validated.
    static func profiles(_ yaml: String, in folder: URL) throws -> [ChatLaunchProfile] {
        let path = folder.appendingPathComponent("profiles.yaml")
        try Data(yaml.utf8).write(to: path)
        let result = try ProfileValidator().validate(ProfileLoader().load(paths: [path.path]))
        try #require(result.isValid, "\(result.diagnostics.map(\.text))")
        return result.profiles
    }

    static func profile(_ name: String, instance: String = "12345678-1234-1234-1234-123456789012", _ extra: String = "") -> String {
        """
        apiVersion: chatctl/v1
        kind: ChatLaunchProfile
        metadata: {name: \(name)}
        spec:
          instance: \(instance)
          flow: 846ec553-a005-41c0-8341-0123456789ab
          participant: {displayName: Customer \(name)}
        \(extra.isEmpty ? "" : "  " + extra)
        """
    }

    /// Plans and applies `yaml` against `emulator`, returning the report and the lockfile.
    static func apply(
        _ yaml: String, emulator: EmulatorServer, folder: URL, options: ApplyOptions = ApplyOptions(), maxAttempts: Int = 3
    ) async throws -> (ApplyReport, Lockfile) {
        let store = try LockfileStore(path: folder.appendingPathComponent("chatctl.lock.json").path)
        let lockfile = try store.read()
        let plan = try Planner().plan(try profiles(yaml, in: folder), lockfile: lockfile, options: PlanOptions(), now: Date())
        let transport = CurlTransport()
        let credentials = StaticCredentialProvider(emulator.awsCredentials)
        let retry = RetryStrategy(configuration: .init(maxAttempts: maxAttempts, maxBackoff: 0.05, baseDelay: 0.01))
        let launcher = ConnectChatLauncher(defaultRegion: emulator.region) { region, observer in
            ConnectClient(region: region, endpoint: emulator.endpoint, credentialProvider: credentials, transport: transport,
                          retryStrategy: retry, rateLimiters: .unlimited, observer: observer)
        }
        let pinned = RegionPinnedLauncher(base: launcher, region: emulator.region)
        let report = await Applier(launcher: pinned, options: options).apply(plan, lockfile: lockfile, store: store, outputs: nil)
        return (report, try store.read())
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-applier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aFailureIsIsolatedAndItsDependantsAreSkipped() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(
            tps: 0, instances: ["12345678-1234-1234-1234-123456789012"], seed: 1))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = [
            Self.profile("good"),
            Self.profile("unknown-instance", instance: "99999999-1234-1234-1234-123456789012"),
            Self.profile("after-failure", "relatedContact: {from: unknown-instance}"),
            Self.profile("after-good", "relatedContact: {from: good}"),
        ].joined(separator: "\n---\n")
        let (report, lockfile) = try await Self.apply(yaml, emulator: emulator, folder: folder)
        await emulator.stop()
        let outcomes = Dictionary(uniqueKeysWithValues: report.results.map { ($0.profile, $0.outcome) })
        #expect(outcomes == ["good": .started, "unknown-instance": .failed, "after-failure": .skipped, "after-good": .started])
        #expect(report.hasFailures)
        #expect(report.results.first { $0.profile == "after-failure" }?.message == "skipped: unknown-instance failed")
        #expect(lockfile.entries["unknown-instance"]?.status == .failed)
        #expect(lockfile.entries["unknown-instance"]?.error?.code == "ResourceNotFoundException")
        #expect(lockfile.entries["after-failure"] == nil)
        #expect(lockfile.entries["after-good"]?.status == .started)
    }

    @Test func lostAnswersNeverLaunchTheSameChatTwice() async throws {
        // Every request's answer is lost after the contact is created, with a few
        // attempts allowed: the retries carry the same token, so Connect returns the same contact.
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(
            tps: 0, faultRate: 0.5, faults: [.lost], seed: 7))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = (0..<12).map { Self.profile("p\($0)") }.joined(separator: "\n---\n")
        var options = ApplyOptions()
        options.concurrency = 1  // one request at a time: the seeded faults fall the same way on every run
        var (report, lockfile) = try await Self.apply(yaml, emulator: emulator, folder: folder, options: options, maxAttempts: 2)
        let pendingAfterFirstRun = lockfile.entries.values.filter { $0.status == .pending }.count
        #expect(pendingAfterFirstRun > 0, "the seed should lose both answers of some launch")
        #expect(report.results.filter { $0.error?.kind == .ambiguous }.count == pendingAfterFirstRun)
        // Whatever stayed pending (every answer lost) is resumed with its own token.
        for _ in 0..<10 where lockfile.entries.values.contains(where: { $0.status != .started }) {
            (report, lockfile) = try await Self.apply(yaml, emulator: emulator, folder: folder, options: options, maxAttempts: 2)
        }
        let contacts = emulator.contacts
        #expect((emulator.stats.faults["lost"] ?? 0) > pendingAfterFirstRun)
        await emulator.stop()
        #expect(lockfile.entries.count == 12)
        #expect(lockfile.entries.values.allSatisfy { $0.status == .started })
        let tokens = Dictionary(grouping: contacts, by: { $0.clientToken ?? "" })
        #expect(tokens.count == 12)
        #expect(tokens.values.allSatisfy { $0.count == 1 })
        for (name, entry) in lockfile.entries {
            #expect(tokens[entry.clientToken]?.first?.contactID == entry.contactId, "\(name)")
        }
    }

    @Test func aFullActiveChatQuotaFailsTheLaunchClearly() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(tps: 0, maxActive: 1, seed: 3))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = Self.profile("first") + "\n---\n" + Self.profile("second", "dependsOn: [first]")
        let (report, lockfile) = try await Self.apply(yaml, emulator: emulator, folder: folder)
        await emulator.stop()
        let second = try #require(report.results.first { $0.profile == "second" })
        #expect(second.outcome == .failed)
        #expect(second.error?.kind == .capacity)
        #expect(second.error?.code == "LimitExceededException")
        #expect(second.error?.attempts == 1)
        #expect(lockfile.entries["second"]?.status == .failed)
    }

    @Test func failFastStopsSchedulingAfterTheFirstFailure() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(
            tps: 0, instances: ["12345678-1234-1234-1234-123456789012"], seed: 4))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = Self.profile("a-bad", instance: "99999999-1234-1234-1234-123456789012") + "\n---\n"
            + Self.profile("b", "dependsOn: [a-bad]") + "\n---\n" + Self.profile("c", "dependsOn: [b]")
        var options = ApplyOptions()
        options.failFast = true
        options.concurrency = 1
        let (report, _) = try await Self.apply(yaml, emulator: emulator, folder: folder, options: options)
        await emulator.stop()
        #expect(report.results.map(\.outcome) == [.failed, .skipped, .skipped])
    }

    @Test func aResumeThatFailsStaysPendingWithItsToken() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(tps: 0, seed: 5))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = Self.profile("a")
        // A launch whose answer was lost: pending, with its token recorded.
        let planned = try Planner().plan(try Self.profiles(yaml, in: folder), lockfile: Lockfile(), options: PlanOptions(), now: Date())
        let call = try #require(planned.calls.first)
        let token = try #require(call.clientToken)
        let store = try LockfileStore(path: folder.appendingPathComponent("chatctl.lock.json").path)
        try store.write(Lockfile(serial: 1, entries: ["a": LockEntry(
            digest: call.digest ?? "", generation: 1, clientToken: token, status: .pending, attempts: 1)]))
        // The resume cannot reach Connect at all (the emulator is gone): a definite error,
        // but the first request's fate is still unknown.
        await emulator.stop()
        let (report, lockfile) = try await Self.apply(yaml, emulator: emulator, folder: folder, maxAttempts: 1)
        #expect(report.results.first?.action == .resume)
        #expect(report.results.first?.outcome == .failed)
        #expect(lockfile.entries["a"]?.status == .pending)
        #expect(lockfile.entries["a"]?.clientToken == token)
        #expect(lockfile.entries["a"]?.generation == 1)
    }

    @Test func aContinuationRecordsItsSourceAndThenStaysUnchanged() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(tps: 0, seed: 6))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let intake = Self.profile("intake", "duration: 60")
        _ = try await Self.apply(intake, emulator: emulator, folder: folder)
        // The intake chat ends: in the emulator's time and in the lockfile's.
        emulator.advanceTime(by: 7200)
        let store = try LockfileStore(path: folder.appendingPathComponent("chatctl.lock.json").path)
        var ended = try store.read()
        ended.entries["intake"]?.expiresAt = Date().addingTimeInterval(-60)
        try store.write(ended)
        let both = intake + "\n---\n" + Self.profile("follow-up", "persistence: {rehydration: ENTIRE_PAST_SESSION, from: intake}")
        let (report, lockfile) = try await Self.apply(both, emulator: emulator, folder: folder)
        await emulator.stop()
        #expect(report.results.first { $0.profile == "follow-up" }?.outcome == .started)
        #expect(lockfile.entries["follow-up"]?.continuedFromContactId == lockfile.entries["intake"]?.contactId)
        let again = try Planner().plan(try Self.profiles(both, in: folder), lockfile: lockfile, options: PlanOptions(), now: Date())
        #expect(again.calls.map(\.action) == [.unchanged, .unchanged])
    }
}
