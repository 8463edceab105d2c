import Foundation
import Testing

/// A `chatctl emulator` process started for a test, with its output going to files.
final class EmulatorProcess {
    let process: Process
    let folder: URL
    /// `http://127.0.0.1:PORT`, read from the `listening on` line.
    let endpoint: String

    /// What the process printed and how it ended.
    struct Ending {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Starts `chatctl emulator arguments…` and waits (up to 20 s) for its `listening on` line.
    /// - Parameter openFileLimit: runs it under `ulimit -n` with this many files, when given.
    static func start(_ arguments: [String] = [], openFileLimit: Int? = nil) throws -> EmulatorProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-emulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        if let openFileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", try ChatctlProcess.binary.path, "emulator"]
                + arguments
        } else {
            process.executableURL = try ChatctlProcess.binary
            process.arguments = ["emulator"] + arguments
        }
        process.environment = ChatctlProcess.baseEnvironment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                return EmulatorProcess(process: process, folder: folder, endpoint: String(line.dropFirst("listening on ".count)))
            }
            if !process.isRunning {
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning {
            process.terminate()
        }
        process.waitUntilExit()
        let stderr = String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self)
        throw Failure(description: "chatctl emulator did not start (status \(process.terminationStatus)): \(stderr)")
    }

    private init(process: Process, folder: URL, endpoint: String) {
        self.process = process
        self.folder = folder
        self.endpoint = endpoint
    }

    deinit {
        if process.isRunning {
            process.terminate()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether the emulator process is still running.
    var isRunning: Bool { process.isRunning }

    /// Sends `signal` and waits (up to 10 s) for the process to end.
    func stop(signal: Int32 = SIGTERM) -> Ending {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return Ending(
            status: process.terminationStatus,
            stdout: String(decoding: (try? Data(contentsOf: folder.appendingPathComponent("stdout"))) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: folder.appendingPathComponent("stderr"))) ?? Data(), as: UTF8.self))
    }
}

/// The Python that has boto3 and the AWS CLI, found on the test's own PATH (the e2e
/// runs of chatctl use a bare PATH, but pip installs these for the user's Python).
enum ConformancePython {
    static func find() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        var tried: [String] = []
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("python3")
            guard FileManager.default.isExecutableFile(atPath: candidate.path), !tried.contains(candidate.path) else {
                continue
            }
            tried.append(candidate.path)
            let check = try ChatctlProcess.runProgram(
                candidate, ["-c", "import boto3, awscli"], in: ChatctlProcess.packageRoot,
                environment: ProcessInfo.processInfo.environment)
            if check.status == 0 {
                return candidate
            }
        }
        throw EmulatorProcess.Failure(
            description: "no python3 with boto3 and awscli on PATH (tried \(tried.joined(separator: ", "))); "
                + "run scripts/install-deps")
    }
}
