import ChatctlAWS
import Foundation

/// Runs `Support/fake_credentials_server.py` (STS, IMDSv2 and the container endpoint on
/// 127.0.0.1) for one test, and stops it when released.
final class FakeCredentialsServer: @unchecked Sendable {
    enum StartError: Error, CustomStringConvertible {
        case noPort(String)
        var description: String {
            switch self {
            case .noPort(let output): "fake_credentials_server.py printed no PORT line: \(output)"
            }
        }
    }

    /// The port it listens on.
    let port: Int
    /// A port on 127.0.0.1 it holds bound without listening: connecting there is refused,
    /// and no parallel test can take the port while the server runs.
    let closedPort: Int
    private let process: Process
    private let input: Pipe
    private let folder: CredentialTestFolder

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/fake_credentials_server.py").path
    }

    /// Starts a server with `configuration` (see the script's docstring).
    init(_ configuration: [String: Any]) throws {
        folder = try CredentialTestFolder()
        let configPath = folder.url.appendingPathComponent("server.json")
        try JSONSerialization.data(withJSONObject: configuration).write(to: configPath)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scriptPath, configPath.path]
        let output = Pipe()
        process.standardOutput = output
        // The server exits when this pipe closes, so it never outlives the test process.
        input = Pipe()
        process.standardInput = input
        try process.run()

        // A watchdog: if no port arrives within 20 s, stop the process so the read ends.
        let watched = process
        let started = CredentialTestBox(false)
        DispatchQueue.global().asyncAfter(deadline: .now() + 20) {
            if !started.get(), watched.isRunning { watched.terminate() }
        }
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        started.set(true)
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        let words = firstLine.split(separator: " ")
        guard words.count == 4, words[0] == "PORT", words[2] == "CLOSED", let port = Int(words[1]),
            let closedPort = Int(words[3])
        else {
            process.stopAndReap()
            throw StartError.noPort(text)
        }
        self.port = port
        self.closedPort = closedPort
    }

    deinit {
        stop()
    }

    /// Stops the server (closing its standard input and sending SIGTERM), waits up to 5 s
    /// for it to exit and reaps it.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.stopAndReap()
    }

    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }

    /// The requests it has received, oldest first.
    func log(service: String? = nil) async throws -> [[String: Any]] {
        guard let request = HTTPRequest(method: "GET", url: url + "/__log") else { return [] }
        let response = try await CurlTransport().send(request, timeouts: HTTPTimeouts(connect: 2, total: 5))
        let entries = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        guard let service else { return entries }
        return entries.filter { $0["service"] as? String == service }
    }
}

/// A lock-guarded value for the tests' helpers.
final class CredentialTestBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set(_ newValue: Value) {
        lock.lock()
        defer { lock.unlock() }
        value = newValue
    }

    func update<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
