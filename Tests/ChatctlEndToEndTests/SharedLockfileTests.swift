import ChatctlCore
import Foundation
import Testing

/// Issue 12 item 8: two repositories (or two path sets) on one lockfile. A plan forgets,
/// or with prune stops, every entry it does not read, so the second repository's apply
/// used to end the first one's chats, and the first one's next apply launched them again.
/// The lockfile now records its inputs and refuses another set until it is adopted.
@Suite struct SharedLockfileTests {
    /// Two repositories side by side and the lockfile they share, in a fresh folder.
    final class Repositories {
        let folder: URL
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-shared-\(UUID().uuidString)")
            for (repository, names) in [("repo-a", ["alpha", "amber"]), ("repo-b", ["bravo"])] {
                let path = folder.appendingPathComponent(repository)
                try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
                for name in names {
                    try Data(ApplierTests.profile(name).utf8).write(to: path.appendingPathComponent("\(name).yaml"))
                }
            }
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        var lockfilePath: String { folder.appendingPathComponent("shared.lock.json").path }
        func lockfile() throws -> Lockfile { try LockfileStore(path: lockfilePath).read() }
        func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: lockfilePath)) }

        /// `chatctl COMMAND --emulator --lockfile shared.lock.json ARGUMENTS…` in the folder.
        func run(_ command: String, _ arguments: [String], in subfolder: String? = nil) throws -> ChatctlProcess.Result {
            let directory = subfolder.map { folder.appendingPathComponent($0) } ?? folder
            return try ChatctlProcess.run([command, "--emulator", "--lockfile", lockfilePath] + arguments, in: directory)
        }
    }

    static let refusal = "belongs to the inputs [repo-a]; this run reads [repo-b] (paths from the lockfile's folder)"

    @Test func theSecondRepositoryIsRefusedBeforeItForgetsOrStopsTheFirstOnesChats() throws {
        let repositories = try Repositories()
        let first = try repositories.run("apply", ["--yes", "repo-a"])
        #expect(first.status == 0, "\(first.stderr)")
        let launched = try repositories.lockfile()
        #expect(launched.inputs?.roots == ["repo-a"])
        #expect(Set(launched.entries.keys) == ["alpha", "amber"])
        let before = try repositories.bytes()

        // The bug: this apply planned `stop alpha`, `stop amber` and ended their chats.
        let second = try repositories.run("apply", ["--yes", "--prune", "repo-b"])
        #expect(second.status == 1)
        #expect(second.stderr.contains(Self.refusal), "\(second.stderr)")
        #expect(second.stderr.contains("run again with --adopt-inputs"))
        #expect(!second.stderr.contains("Started the Amazon Connect emulator"), "refused before anything starts")
        #expect(second.stdout.isEmpty, "nothing is planned against it")
        #expect(try repositories.bytes() == before)
        let plan = try repositories.run("plan", ["repo-b"])
        #expect(plan.status == 1 && plan.stderr.contains(Self.refusal), "\(plan.stdout)\(plan.stderr)")
        let saving = try repositories.run("plan", ["--out", "plan.json", "repo-b"])
        #expect(saving.status == 1 && saving.stderr.contains(Self.refusal))

        // The same set spelt otherwise, from another folder, or narrowed, is not another set.
        let respelt = try repositories.run("plan", ["--detailed-exitcode", "../repo-a/"], in: "repo-b")
        #expect(respelt.status == 0, "\(respelt.stdout)\(respelt.stderr)")
        let narrowed = try repositories.run("apply", ["--yes", "--prune", "--replace", "alpha", "--target", "alpha", "repo-a"])
        #expect(narrowed.status == 0, "\(narrowed.stderr)")
        #expect(narrowed.stdout.contains("Plan: 0 to launch, 1 to relaunch, 0 to stop."), "\(narrowed.stdout)")
        #expect(Set(try repositories.lockfile().entries.keys) == ["alpha", "amber"])
    }

    /// Adopting is explicit and recorded: the plan says what the new set forgets, and a
    /// saved plan carries the choice to `apply FILE`, from any folder.
    @Test func adoptingTheNewSetForgetsWhatItDoesNotReadAndRecordsIt() throws {
        let repositories = try Repositories()
        #expect(try repositories.run("apply", ["--yes", "repo-a"]).status == 0)
        let saved = try repositories.run("plan", ["--adopt-inputs", "--out", "plan.json", "repo-b"])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("- forget alpha"), "\(saved.stdout)")
        let planFile = repositories.folder.appendingPathComponent("plan.json").path
        let apply = try ChatctlProcess.run(["apply", "--emulator", "--yes", planFile], in: repositories.folder.appendingPathComponent("repo-a"))
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let adopted = try repositories.lockfile()
        #expect(adopted.inputs?.roots == ["repo-b"])
        #expect(Set(adopted.entries.keys) == ["bravo"])
        let back = try repositories.run("plan", ["repo-a"])
        #expect(back.status == 1 && back.stderr.contains("belongs to the inputs [repo-b]; this run reads [repo-a]"))
    }

    /// A lockfile of an older chatctl has no record: it is used without a refusal and gains
    /// the record with its next write.
    @Test func aLockfileWithoutTheRecordGainsItOnTheNextWrite() throws {
        let repositories = try Repositories()
        #expect(try repositories.run("apply", ["--yes", "repo-a"]).status == 0)
        var old = try repositories.lockfile()
        old.inputs = nil
        try LockfileStore(path: repositories.lockfilePath).write(old)

        let unchanged = try repositories.run("apply", ["--yes", "repo-a"])
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        #expect(try repositories.lockfile().inputs == nil, "nothing to record: the file is not rewritten")
        let replaced = try repositories.run("apply", ["--yes", "--replace", "amber", "repo-a"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try repositories.lockfile().inputs?.roots == ["repo-a"])
    }
}
