import ChatctlAWS
import Foundation

/// A ``AWSClock`` on real wall-clock time (the loopback server checks signing times)
/// whose sleeps return at once and are recorded, so retry and rate-limit waits can be
/// observed without waiting.
final class RecordingAWSClock: AWSClock, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    private let offset: Double

    /// - Parameter offset: seconds added to the real time (to simulate a skewed local clock).
    init(offset: Double = 0) {
        self.offset = offset
    }

    func now() -> Date {
        Date().addingTimeInterval(offset)
    }

    func sleep(seconds: Double) async throws {
        lock.withLock { recorded.append(seconds) }
        try Task.checkCancellation()
    }

    /// Every sleep asked for, in order, in seconds.
    var sleeps: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}

/// A random source that always returns the same number, for exact backoff delays.
struct ConstantRandomSource: RandomSource {
    var value: Double

    func nextUnitInterval() -> Double {
        value
    }
}

/// Collects ``AWSAttemptReport``s and the text an ``HTTPExchangeLogger`` writes.
final class AttemptRecorder: AWSAttemptObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var storedReports: [AWSAttemptReport] = []
    private var storedSent: [(operation: String, attempt: Int)] = []

    func attemptWillSend(operation: String, attempt: Int, request: HTTPRequest) {
        lock.lock()
        storedSent.append((operation, attempt))
        lock.unlock()
    }

    func attemptDidFinish(_ report: AWSAttemptReport) {
        lock.lock()
        storedReports.append(report)
        lock.unlock()
    }

    var reports: [AWSAttemptReport] {
        lock.lock()
        defer { lock.unlock() }
        return storedReports
    }

    var sentAttempts: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return storedSent.map(\.attempt)
    }
}

/// Text written by a logger, collected in order.
final class TextSink: @unchecked Sendable {
    private let lock = NSLock()
    private var blocks: [String] = []

    func write(_ text: String) {
        lock.lock()
        blocks.append(text)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return blocks.joined(separator: "\n")
    }
}

/// A credential provider that always fails, as a broken source would.
struct FailingCredentialProvider: CredentialProvider {
    func credentials() async throws(CredentialsError) -> AWSCredentials {
        throw .failed("test source", "the token file is unreadable")
    }
}

/// A self-signed certificate for 127.0.0.1 made with the `openssl` command in a temporary
/// folder, removed on release.
final class SelfSignedCertificate: Sendable {
    let certificate: String
    let key: String
    private let folder: URL

    private init(folder: URL) {
        self.folder = folder
        certificate = folder.appendingPathComponent("cert.pem").path
        key = folder.appendingPathComponent("key.pem").path
    }

    /// Makes a certificate, waiting for `openssl` without blocking a thread of the
    /// cooperative pool.
    static func make() async throws -> SelfSignedCertificate {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("chatctl-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = SelfSignedCertificate(folder: folder)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", made.key, "-out", made.certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // Waited for on a thread of its own: `waitUntilExit` must not block the cooperative
        // pool, and a `terminationHandler` keeps the Process alive for good on Linux.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    try process.run()
                    process.waitUntilExit()
                    continuation.resume(returning: process.terminationStatus)
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
        guard status == 0 else {
            throw LoopbackServer.StartError(description: "openssl could not make a test certificate")
        }
        return made
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A monotonic clock that never moves, so a rate limiter never refills.
struct FrozenMonotonicClock: MonotonicClock {
    func now() -> Double {
        1000
    }
}
