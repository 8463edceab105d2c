import Foundation
import Testing

/// `chatctl plan` and `chatctl graph` on the examples: golden files for what people read.
@Suite struct PlanCommandTests {
    static let examples = ChatctlProcess.packageRoot.appendingPathComponent("examples")

    @Test func printsTheFirstPlanOfTheExamples() throws {
        let result = try ChatctlProcess.run(["plan"], in: Self.examples)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        try GoldenFile.check(result.stdout, against: "plan-examples.txt")
    }

    @Test func printsThePlanAsJSON() throws {
        let result = try ChatctlProcess.run(["plan", "--format", "json"], in: Self.examples)
        #expect(result.status == 0)
        try GoldenFile.check(result.stdout, against: "plan-examples.json")
    }

    /// A JSON plan is written a piece at a time (about 1 MB each): one longer than several
    /// pieces is one whole document, on standard output and in a saved plan alike, with
    /// every action in order.
    @Test func writesAJSONPlanLongerThanItsPiecesWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-long-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let profiles = folder.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        let count = 3_000
        let padding = String(repeating: "x", count: 400)
        for file in 0..<(count / 10) {
            let documents = (0..<10).map { offset in
                let name = String(format: "p%05d", file * 10 + offset)
                return "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: \(name)}\nspec:\n"
                    + "  instance: 4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d\n  flow: 9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f\n"
                    + "  participant: {displayName: Tester}\n  attributes: {note: \(padding)}\n"
            }
            try Data(documents.joined(separator: "---\n").utf8).write(to: profiles.appendingPathComponent(String(format: "f%04d.yaml", file)))
        }
        let printed = try ChatctlProcess.run(["plan", "--format", "json", "--out", "plan.json"], in: folder)
        #expect(printed.status == 0, "\(printed.stderr)")
        let saved = try Data(contentsOf: folder.appendingPathComponent("plan.json"))
        for (what, bytes) in [("standard output", Data(printed.stdout.utf8)), ("the saved plan", saved)] {
            #expect(bytes.count > 3 << 20, "\(what) spans several pieces")
            let document = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any], "\(what) is one JSON object")
            let actions = try #require(document["actions"] as? [[String: Any]])
            #expect(actions.compactMap { $0["profile"] as? String } == (0..<count).map { String(format: "p%05d", $0) }, "\(what)")
            #expect((document["summary"] as? [String: Any])?["launch"] as? Int == count, "\(what)")
            #expect(String(decoding: bytes.suffix(2), as: UTF8.self) == "}\n", "\(what) ends as the writer ends a document")
        }
        // The saved plan is the printed one with what apply needs to re-plan.
        let document = try #require(try JSONSerialization.jsonObject(with: saved) as? [String: Any])
        #expect(document["inputs"] != nil)
    }

    /// Output that cannot be written (here a full disk) is a clear error and exit code 1,
    /// not a crash.
    @Test func saysSoWhenItsOutputCannotBeWritten() throws {
        for arguments in [["plan", "--format", "json"], ["plan"], ["validate"]] {
            let result = try ChatctlProcess.runProgram(
                URL(fileURLWithPath: "/bin/sh"), ["-c", #"exec "$0" "$@" > /dev/full"#, try ChatctlProcess.binary.path] + arguments,
                in: Self.examples, environment: [:])
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr == "error: cannot write to standard output: No space left on device\n", "\(arguments)")
        }
    }

    /// `plan --out` naming a FIFO through a symbolic link: the saved plan goes through both,
    /// and neither is replaced by a regular file.
    @Test func aSavedPlanNamingAFIFOIsWrittenThroughIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("plan.fifo").path
        let link = folder.appendingPathComponent("plan.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "plan.fifo")
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let result = try ChatctlProcess.runBounded(["plan", "--out", link], in: Self.examples)
        #expect(result.status == 0, "\(result.stderr)")
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = read(reader, &buffer, buffer.count)
        #expect(count > 0 && count < buffer.count, "the examples' saved plan fits a pipe's buffer")
        let saved = try JSONSerialization.jsonObject(with: Data(buffer.prefix(max(0, count)))) as? [String: Any]
        #expect(saved?["actions"] != nil && saved?["inputsDigest"] != nil, "\(String(describing: saved?.keys))")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "plan.fifo")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO, "the FIFO is still a FIFO")
    }

    @Test func printsThePlanAsMarkdownWithAGraph() throws {
        let result = try ChatctlProcess.run(["plan", "--format", "markdown"], in: Self.examples)
        #expect(result.status == 0)
        #expect(result.stdout.contains("```mermaid\ngraph LR\n"))
        try GoldenFile.check(result.stdout, against: "plan-examples.md")
    }

    @Test func showsWaitingAndKnownAfterApply() throws {
        let result = try ChatctlProcess.run(["plan"], in: Self.examples.appendingPathComponent("continuations"))
        #expect(result.stdout.contains("waiting: claims-intake has not ended (it is launched in this plan)"))
        #expect(result.stdout.contains("persistence.from: claims-intake (known after apply)"))
        #expect(result.stdout.contains(#""SourceContactId": "(known after apply)""#))
        #expect(result.stdout.contains("Plan: 3 to launch, 0 to relaunch, 0 to stop. 1 waiting."))
    }

    @Test func exitsTwoWithDetailedExitcodeWhenThereAreChanges() throws {
        #expect(try ChatctlProcess.run(["plan", "--detailed-exitcode"], in: Self.examples).status == 2)
    }

    @Test func rejectsAnUnknownTarget() throws {
        let result = try ChatctlProcess.run(["plan", "--target", "vip-greting"], in: Self.examples)
        #expect(result.status == 1)
        #expect(result.stderr == "error: --target vip-greting: no profile has this name\n  hint: did you mean vip-greeting?\n")
    }

    @Test func printsTheGraphAsMermaidAndDOT() throws {
        let mermaid = try ChatctlProcess.run(["graph"], in: Self.examples)
        #expect(mermaid.status == 0)
        try GoldenFile.check(mermaid.stdout, against: "graph-examples.mmd")
        let dot = try ChatctlProcess.run(["graph", "--format", "dot"], in: Self.examples)
        #expect(dot.stdout.hasPrefix("digraph chatctl {\n"))
        #expect(dot.stdout.contains(#""order-delay-notice" -> "order-delay-logistics";"#))
    }
}
