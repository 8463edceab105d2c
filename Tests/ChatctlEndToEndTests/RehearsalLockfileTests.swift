import ChatctlCore
import Foundation
import Testing

/// Rehearsals never touch real state: `apply --emulator` keeps its own lockfile, and a
/// lockfile of chats made elsewhere is refused, without writing, by apply and plan.
@Suite struct RehearsalLockfileTests {
    /// A lockfile as the previous release wrote it for Amazon Connect: version 1, no endpoint.
    static let realLockfile = """
        {
          "entries": {
            "vip-greeting": {
              "attempts": 1,
              "clientToken": "chatctl-vip-greeting-g1-real",
              "contactId": "real-contact-1",
              "digest": "sha256:\(String(repeating: "a", count: 64))",
              "expiresAt": "2026-11-23T06:35:56Z",
              "generation": 1,
              "startedAt": "2026-11-22T05:35:56Z",
              "status": "started"
            }
          },
          "lockfileVersion": 1,
          "serial": 4
        }

        """

    static func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    @Test func anEmulatorApplyLeavesTheRealLockfileByteForByte() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = folder.appendingPathComponent("chatctl.lock.json")
        try Data(Self.realLockfile.utf8).write(to: real)
        let before = try Self.bytes(real)

        let apply = try ChatctlProcess.run(["apply", "--emulator", "--yes"], in: folder)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("(lockfile chatctl.emulator.lock.json, serial 0)"))
        #expect(apply.stderr.contains("its chats are recorded in chatctl.emulator.lock.json, not in the real lockfile"))
        #expect(try Self.bytes(real) == before)
        let rehearsal = try LockfileStore(path: folder.appendingPathComponent("chatctl.emulator.lock.json").path).read()
        #expect(rehearsal.endpoint == .emulator)
        #expect(rehearsal.entries.count == 8 && rehearsal.entries["vip-greeting"]?.contactId != "real-contact-1")

        // Planned against each lockfile, each sees its own chats.
        let rehearsed = try ChatctlProcess.run(["plan", "--emulator", "--detailed-exitcode"], in: folder)
        #expect(rehearsed.status == 0, "\(rehearsed.stdout)\(rehearsed.stderr)")
        let planned = try ChatctlProcess.run(["plan"], in: folder)
        #expect(planned.status == 0)
        #expect(planned.stdout.contains("(lockfile chatctl.lock.json, serial 4)"))
        let status = try ChatctlProcess.run(["status", "--emulator"], in: folder)
        #expect(status.stdout.split(separator: "\n").count == 9)
        #expect(try Self.bytes(real) == before)
    }

    @Test func aRealApplyRefusesAnEmulatorLockfileWithoutWriting() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Named with --lockfile on purpose: the emulator's chats land in chatctl.lock.json.
        let rehearsal = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--lockfile", "chatctl.lock.json"], in: folder)
        #expect(rehearsal.status == 0, "\(rehearsal.stderr)")
        let lockfile = folder.appendingPathComponent("chatctl.lock.json")
        let before = try Self.bytes(lockfile)
        let message = "error: chatctl.lock.json records chats made on the chatctl emulator; this run is against Amazon Connect, where they do not exist"

        let apply = try ChatctlProcess.run(["apply", "--yes"], in: folder, environment: [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-west-2",
        ])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains(message), "\(apply.stderr)")
        #expect(apply.stderr.contains("hint: this lockfile is a rehearsal: plan, apply and status take --emulator for it"))
        #expect(apply.stdout.isEmpty, "nothing is planned against it")
        let plan = try ChatctlProcess.run(["plan"], in: folder)
        #expect(plan.status == 1)
        #expect(plan.stderr.contains(message))
        let custom = try ChatctlProcess.run(["apply", "--yes", "--endpoint-url", "http://127.0.0.1:9"], in: folder)
        #expect(custom.status == 1)
        #expect(custom.stderr.contains("this run is against the custom endpoint http://127.0.0.1:9"))
        #expect(try Self.bytes(lockfile) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("chatctl-tmp") }
        #expect(leftovers.isEmpty)
    }

    /// An emulator run on a lockfile of Amazon Connect (named with --lockfile) is refused too.
    @Test func anEmulatorApplyRefusesARealLockfile() throws {
        let folder = try ApplyCommandTests.copyOfExamples()
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = folder.appendingPathComponent("chatctl.lock.json")
        try Data(Self.realLockfile.utf8).write(to: real)
        let apply = try ChatctlProcess.run(["apply", "--emulator", "--yes", "--lockfile", "chatctl.lock.json"], in: folder)
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("records chats made on Amazon Connect; this run is against the chatctl emulator"))
        #expect(try Self.bytes(real) == Data(Self.realLockfile.utf8))
    }
}
