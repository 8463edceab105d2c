internal import Dispatch
internal import Foundation

/// Credentials printed by an external command: a profile's `credential_process`.
///
/// The command runs through `/bin/sh -c`, as the AWS CLI v2, the Go and the Rust SDKs do on
/// Unix, so quoting follows the shell's rules and the value is never interpolated into
/// another command. It gets the given environment, an empty standard input, and the
/// caller's standard error (so it can prompt or warn). Its standard output must be JSON
/// ([Sourcing credentials with an external process](https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html)):
///
/// ```json
/// {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "2026-01-01T00:00:00Z"}
/// ```
///
/// `SessionToken` and `Expiration` are optional; without `Expiration` the credentials are
/// treated as long-term. Errors name the command's program (its first word, not its
/// arguments, which may hold secrets) and its exit status, never its output.
public struct ProcessCredentialProvider: CredentialProvider, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The command line.
    private let command: String
    private let environment: [String: String]
    private let timeout: Double
    private let source: String

    /// The largest output read, in bytes.
    static let maxOutputBytes = 1 << 20

    /// Creates a provider.
    ///
    /// - Parameters:
    ///   - command: the `credential_process` command line.
    ///   - environment: the environment the command runs with.
    ///   - timeout: seconds after which the command is stopped (default 60).
    ///   - source: the source's name in errors, for example `profile dev`.
    public init(command: String, environment: [String: String], timeout: Double = 60, source: String = "credential_process") {
        self.command = command
        self.environment = environment
        self.timeout = timeout
        self.source = source
    }

    /// The program to name in messages: the command's first word, without quotes.
    var programName: String {
        let trimmed = command.trimmingASCIIWhitespace()
        if let quote = trimmed.first, quote == "\"" || quote == "'" {
            let rest = trimmed.dropFirst()
            return String(rest.prefix { $0 != quote })
        }
        return String(trimmed.prefix { $0 != " " && $0 != "\t" })
    }

    /// Runs the command and reads its output.
    ///
    /// - Returns: the credentials it printed.
    /// - Throws: ``CredentialsError/Kind/failed`` when the command cannot start, times out,
    ///   exits with a non-zero status or prints something other than Version 1 JSON.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        let what = "credential_process \"\(programName)\""
        guard !command.trimmingASCIIWhitespace().isEmpty else {
            throw .failed(source, "credential_process is empty")
        }
        let outcome = await Self.run(command: command, environment: environment, timeout: timeout)
        let output: [UInt8]
        switch outcome {
        case .launchFailed(let reason):
            throw .failed(source, "\(what) could not be started: \(reason)")
        case .timedOut:
            throw .failed(source, "\(what) did not finish within \(SecondsText.text(timeout)) s")
        case .tooMuchOutput:
            throw .failed(source, "\(what) printed more than \(Self.maxOutputBytes) bytes")
        case .exited(let status, _) where status != 0:
            throw .failed(source, "\(what) exited with status \(status)")
        case .signalled(let signal):
            throw .failed(source, "\(what) was killed by signal \(signal)")
        case .exited(_, let bytes):
            output = bytes
        }
        do throws(CredentialsDocument.Problem) {
            let object = try CredentialsDocument.object(output)
            guard let version = object["Version"] else { throw .missing("Version") }
            guard !(version is String), (version as? NSNumber)?.doubleValue == 1 else {
                throw .unsupportedVersion(String(describing: version))
            }
            return try CredentialsDocument.credentials(from: object, layout: .init(tokenKey: "SessionToken", requiresToken: false))
        } catch {
            throw .failed(source, "\(what) printed output that \(error)")
        }
    }


    /// How a run ended.
    enum Outcome: Sendable {
        case exited(Int32, [UInt8])
        case signalled(Int32)
        case launchFailed(String)
        case timedOut
        case tooMuchOutput
    }

    /// Runs `command` under `/bin/sh -c` on a dispatch thread, so no task thread blocks.
    ///
    /// If the command outlives `timeout`, it is sent SIGTERM and SIGKILL and the run reports
    /// ``Outcome/timedOut`` at once, even if a grandchild still holds the output pipe open.
    static func run(command: String, environment: [String: String], timeout: Double) async -> Outcome {
        await withCheckedContinuation { continuation in
            let finished = Locked(false)
            let finish: @Sendable (Outcome) -> Void = { outcome in
                let first = finished.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: outcome) }
            }
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                process.environment = environment
                process.standardInput = FileHandle.nullDevice
                let pipe = Pipe()
                process.standardOutput = pipe
                do {
                    try process.run()
                } catch {
                    finish(.launchFailed("/bin/sh: \(error.localizedDescription)"))
                    return
                }
                let processBox = UncheckedProcess(process)
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    if processBox.process.isRunning {
                        // Said before the signals: once the command dies, the reader
                        // thread reports how it ended, and on a loaded machine it could
                        // otherwise get there first ("killed by signal 9").
                        finish(.timedOut)
                        processBox.process.terminate()
                        // A child spawned from a dispatch thread inherits that thread's
                        // signal mask, in which SIGTERM may be blocked: SIGKILL cannot be.
                        kill(processBox.process.processIdentifier, SIGKILL)
                    }
                }
                let reader = pipe.fileHandleForReading
                var output: [UInt8] = []
                var overflow = false
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    if output.count + chunk.count > maxOutputBytes {
                        overflow = true
                        process.terminate()
                        break
                    }
                    output.append(contentsOf: chunk)
                }
                process.waitUntilExit()
                if overflow {
                    finish(.tooMuchOutput)
                } else if process.terminationReason == .uncaughtSignal {
                    finish(.signalled(process.terminationStatus))
                } else {
                    finish(.exited(process.terminationStatus, output))
                }
            }
        }
    }

    /// Lets the timeout closure reach the process; `Process` is thread-safe for
    /// `isRunning` and `terminate()`.
    private final class UncheckedProcess: @unchecked Sendable {
        let process: Process
        init(_ process: Process) { self.process = process }
    }

    /// Names the program only; the command's arguments and environment are not shown.
    public var description: String {
        "ProcessCredentialProvider(\(programName))"
    }

    /// The same text as ``description``.
    public var debugDescription: String { description }

    /// A mirror that shows only the program's name.
    public var customMirror: Mirror {
        Mirror(self, children: ["program": programName], displayStyle: .struct)
    }
}
