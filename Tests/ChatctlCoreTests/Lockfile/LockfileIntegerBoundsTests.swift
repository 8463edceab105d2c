import Foundation
import Testing
@testable import ChatctlCore

/// Hand-edited lockfiles with integers at and beyond the largest one: read exactly or
/// refused at decode time, and never a trap later on.
@Suite struct LockfileIntegerBoundsTests {
    static let digest = "sha256:" + String(repeating: "a", count: 64)

    static func text(serial: String = "1", generation: String = "1", attempts: String = "1") -> [UInt8] {
        Array("""
        {"lockfileVersion": 1, "serial": \(serial), "entries": {"a": {"digest": "\(digest)", "generation": \(generation),
         "clientToken": "t", "status": "pending", "attempts": \(attempts)}}}
        """.utf8)
    }

    @Test func readsTheLargestIntegerExactly() throws {
        let max = "9223372036854775807"
        let lockfile = try LockfileCodec().decode(Self.text(serial: max, generation: max, attempts: max), file: "l.json")
        #expect(lockfile.serial == Int.max)
        #expect(lockfile.entries["a"]?.generation == Int.max)
        #expect(lockfile.entries["a"]?.attempts == Int.max)
    }

    @Test(arguments: [
        ("serial", Self.text(serial: "9223372036854775808")),
        ("entries.a.generation", Self.text(generation: "9223372036854775808")),
        ("entries.a.attempts", Self.text(attempts: "100000000000000000000")),
    ])
    func refusesAnIntegerBeyondTheLargest(path: String, bytes: [UInt8]) throws {
        #expect {
            try LockfileCodec().decode(bytes, file: "l.json")
        } throws: { error in
            let diagnostic = (error as? LockfileError)?.diagnostic
            return diagnostic?.code == "lockfile.invalid" && diagnostic?.path == path
                && diagnostic?.message == "the lockfile does not match its schema: must be at most 9223372036854775807"
        }
    }

    /// `--replace a`: the fixture's pending entry has another digest, which only
    /// `--replace` relaunches (a new generation, a new token).
    static var replaceA: PlanOptions {
        var options = PlanOptions()
        options.replace = ["a"]
        return options
    }

    @Test func planningARelaunchPastTheLargestGenerationIsRefusedClearly() throws {
        let lockfile = try LockfileCodec().decode(
            Self.text(serial: "9223372036854775807", generation: "9223372036854775807"), file: "l.json")
        #expect {
            try Planner().plan(try profiles(profileYAML("a")), lockfile: lockfile, options: Self.replaceA, now: fixedNow)
        } throws: { error in
            (error as? PlanError)?.diagnostic.code == "plan.generation"
        }
    }

    @Test func planningAResumeAtTheLargestSerialDoesNotTrap() throws {
        var lockfile = try LockfileCodec().decode(Self.text(serial: "9223372036854775807"), file: "l.json")
        let plan = try Planner().plan(try profiles(profileYAML("a")), lockfile: lockfile, options: Self.replaceA, now: fixedNow)
        #expect(plan.calls.map(\.action) == [.relaunch])
        lockfile.entries = [:]
        let fresh = try Planner().plan(try profiles(profileYAML("a")), lockfile: lockfile, options: PlanOptions(), now: fixedNow)
        #expect(fresh.calls.map(\.action) == [.launch])
    }
}
