import Foundation
import Testing

/// Runs the built `chatctl` binary, as a user would, and captures what it printed.
struct ChatctlProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the process outlived its `killAfter` limit and was killed.
        var killed = false
        /// Wall-clock seconds the run took, for the record (never asserted).
        var seconds = 0.0
    }

    /// The package's root folder.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// This test target's Fixtures folder.
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The binary built next to the test bundle (`swift build --build-tests` builds both).
    static var binary: URL {
        get throws {
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for folder in [beside, beside.deletingLastPathComponent(), beside.deletingLastPathComponent().deletingLastPathComponent()] {
                let candidate = folder.appendingPathComponent("chatctl")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            throw Missing(description: "no chatctl binary near \(beside.path); run `swift build` before `swift test`")
        }
    }

    struct Missing: Error, CustomStringConvertible { var description: String }

    /// The environment every run starts from: a bare PATH, a temporary HOME, UTF-8, plus the
    /// sanitizer options this test process was given (`scripts/sanitize` sets them), so a
    /// sanitized `chatctl` reports where the script looks and fails the run as it should.
    static var baseEnvironment: [String: String] {
        var environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "LANG": "C.UTF-8"]
        for name in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"] {
            environment[name] = ProcessInfo.processInfo.environment[name]
        }
        return environment
    }

    /// Whether this run is under a sanitizer (`scripts/sanitize` sets these options): the
    /// binary is then several times slower, which a test of size may scale down to.
    static var isSanitized: Bool {
        ["ASAN_OPTIONS", "TSAN_OPTIONS"].contains { ProcessInfo.processInfo.environment[$0] != nil }
    }

    /// Runs `chatctl arguments…` in `directory` with a minimal, controlled environment
    /// (no terminal, no colour, no GitHub Actions unless given).
    static func run(
        _ arguments: [String], in directory: URL = packageRoot, environment extra: [String: String] = [:]
    ) throws -> Result {
        try runProgram(try binary, arguments, in: directory, environment: extra)
    }

    /// Runs `chatctl arguments…` like ``run(_:in:environment:)``, but kills it with SIGKILL
    /// if it is still running after `killAfter` seconds, so a hang fails the test instead
    /// of the whole suite. The limit is generous on purpose: a guard, not a timing assertion.
    static func runBounded(
        _ arguments: [String], in directory: URL, killAfter: Double = 20, environment extra: [String: String] = [:]
    ) throws -> Result {
        try runProgram(try binary, arguments, in: directory, environment: extra, killAfter: killAfter)
    }

    /// Runs any program with the controlled environment, capturing its output.
    /// - Parameter killAfter: seconds after which the process is killed (``Result/killed``).
    static func runProgram(
        _ program: URL, _ arguments: [String], in directory: URL, environment extra: [String: String],
        killAfter: Double? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = baseEnvironment
        environment.merge(extra) { $1 }
        process.environment = environment
        // Output goes to files, not pipes: nothing can block however much is printed.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        var killed = false
        if let killAfter {
            // Polled: Foundation reports the exit through the run loop `waitUntilExit` spins.
            while process.isRunning, Date().timeIntervalSince(start) < killAfter {
                usleep(20_000)
            }
            if process.isRunning {
                killed = true
                kill(process.processIdentifier, SIGKILL)
            }
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), killed: killed, seconds: seconds)
    }

    /// Starts `chatctl arguments…` without waiting for it, its output discarded (for tests
    /// that stop it themselves).
    static func start(_ arguments: [String], in directory: URL = packageRoot, environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = baseEnvironment
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What a run on a pseudo-terminal printed (stdout and stderr together, with the
    /// terminal's `\r\n` line ends).
    struct TerminalResult {
        var status: Int32
        var output: String
    }

    /// Runs `chatctl arguments…` on a pseudo-terminal through util-linux `script`, so the
    /// binary sees a terminal as a person's shell would give it.
    static func runOnTerminal(
        _ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:]
    ) throws -> TerminalResult {
        let command = try ([binary.path] + arguments).map(shellQuoted).joined(separator: " ")
        let result = try runProgram(
            URL(fileURLWithPath: "/usr/bin/script"), ["-q", "-e", "-c", command, "/dev/null"],
            in: directory, environment: environment)
        return TerminalResult(status: result.status, output: result.stdout)
    }

    private static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
