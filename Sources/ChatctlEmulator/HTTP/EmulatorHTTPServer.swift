import ChatctlAWS
import FlyingSocks
import Foundation

/// The emulator's HTTP/1.1 server on FlyingSocks' non-blocking sockets and event loop
/// (``SharedSocketPool``): it
/// accepts connections, gives each a ``HTTPConnectionHandler`` and a ``ConnectionWatchdog``,
/// and on ``stop()`` closes the listening socket and every connection.
///
/// It replaces FlyingFox's `HTTPServer`, whose request reading (internal to the package)
/// has no bound on a line or a head, no timeout before a request is complete, a quadratic
/// line reader, and no way to close a connection without answering or to send bytes that
/// are not HTTP (docs/emulator.md, "The HTTP server").
final class EmulatorHTTPServer: Sendable {
    private let core: EmulatorCore
    private let configuration: EmulatorConfiguration
    private let requestLog: (@Sendable (EmulatorRequestRecord) -> Void)?
    private let listener: AsyncSocket
    private let connections = Locked<(next: Int, tasks: [Int: Task<Void, Never>], stopped: Bool)>((0, [:], false))
    /// How many connections are served at once (``connectionLimit(openFileLimit:)``).
    let maximumConnections: Int

    /// The port listened on.
    let port: Int

    /// Binds and listens on `host:port` (an IPv4 or IPv6 literal).
    init(
        host: String, configuration: EmulatorConfiguration, core: EmulatorCore,
        requestLog: (@Sendable (EmulatorRequestRecord) -> Void)?
    ) async throws {
        self.core = core
        self.configuration = configuration
        self.requestLog = requestLog
        maximumConnections = Self.connectionLimit(openFileLimit: OpenFileLimit.soft)
        let port = UInt16(clamping: configuration.port)
        let isIPv6 = host.contains(":")
        let socket = try Socket(domain: Int32(isIPv6 ? sockaddr_in6.family : sockaddr_in.family))
        do {
            try socket.setValue(true, for: BoolSocketOption(name: SO_REUSEADDR))
            if isIPv6 {
                try socket.bind(to: try sockaddr_in6.inet6(ip6: host, port: port))
            } else {
                try socket.bind(to: try sockaddr_in.inet(ip4: host, port: port))
            }
            try socket.listen()
            switch try socket.sockname() {
            case .ip4(_, let bound), .ip6(_, let bound): self.port = Int(bound)
            case .unix: self.port = configuration.port
            }
        } catch {
            try? socket.close()  // a socket that cannot listen is not kept open
            throw error
        }
        do {
            listener = try AsyncSocket(socket: socket, pool: try await SharedSocketPool.get())
        } catch {
            try? socket.close()
            throw error
        }
    }

    /// At most this many connections are served at once; one more is closed at once
    /// (a client holding thousands of idle sockets cannot exhaust the process's files).
    static let maximumConnections = 4_096

    /// Files kept for the emulator's own use beyond its connections: the runtime's event
    /// and timer descriptors (libdispatch creates some lazily, on the first timer of a
    /// clock, and traps when it cannot), the listener, flow files, the log.
    static let reservedFiles = 32

    /// The connections served at once under a limit of `openFileLimit` open files:
    /// ``maximumConnections``, or fewer so that ``reservedFiles`` stay free (at least one).
    static func connectionLimit(openFileLimit: Int?) -> Int {
        guard let openFileLimit else { return maximumConnections }
        return max(1, min(maximumConnections, openFileLimit - reservedFiles))
    }

    /// Accepts connections until ``stop()``. A failed accept (too many open files, a
    /// connection reset before it was accepted) is not the end of the server: it waits a
    /// moment, so that connections can close, and accepts again.
    func run() async {
        // libdispatch opens a timer descriptor for a clock the first time a sleep uses it;
        // open them now, not when a full table of files makes the retry below sleep.
        try? await Task.sleep(for: .milliseconds(1), clock: .continuous)
        try? await Task.sleep(for: .milliseconds(1), clock: .suspending)
        while !Task.isCancelled {
            do {
                let socket = try await listener.accept()
                if openConnections >= maximumConnections {
                    try? socket.close()
                    continue
                }
                serve(socket)
            } catch {
                if Task.isCancelled || connections.withLock({ $0.stopped }) { break }
                do {
                    try await Task.sleep(nanoseconds: 50_000_000)
                } catch {
                    break
                }
            }
        }
    }

    /// Starts serving one accepted connection in its own task, watched by its watchdog.
    private func serve(_ socket: AsyncSocket) {
        core.statistics.recordConnection()
        // FlyingSocks sets no socket option on accepted connections. Without TCP_NODELAY an
        // answer written just after another waits for the client's delayed acknowledgement
        // (up to 40 ms on a kept-alive connection).
        try? socket.socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: Int32(TCP_NODELAY)))
        #if canImport(Darwin)
            // Linux writes with MSG_NOSIGNAL; Darwin needs the option, or a write to a client
            // that has gone raises SIGPIPE and kills the process.
            try? socket.socket.setValue(true, for: BoolSocketOption(name: SO_NOSIGPIPE))
        #endif
        let watchdog = ConnectionWatchdog()
        let handler = HTTPConnectionHandler(
            socket: socket, core: core, limits: configuration, requestLog: requestLog, deadline: watchdog)
        let idleCheck = configuration.idleTimeout
        let registered: Int? = connections.withLock { connections in
            guard !connections.stopped else { return nil }
            let id = connections.next
            connections.next += 1
            connections.tasks[id] = Task {
                let work = Task { await handler.serve() }
                let watching = Task { await watchdog.watch(work, idleCheck: idleCheck) }
                await withTaskCancellationHandler {
                    await work.value
                } onCancel: {
                    work.cancel()
                }
                watching.cancel()
                try? socket.close()
                self.finished(id)
            }
            return id
        }
        if registered == nil {
            try? socket.close()
        }
    }

    private func finished(_ id: Int) {
        connections.withLock { _ = $0.tasks.removeValue(forKey: id) }
    }

    /// The number of connections open now.
    var openConnections: Int {
        connections.withLock { $0.tasks.count }
    }

    /// Stops accepting, closes every connection (WebSockets and idle keep-alive ones
    /// included) and waits until their tasks are done.
    func stop(runTask: Task<Void, Never>) async {
        let tasks = connections.withLock { connections in
            connections.stopped = true
            return Array(connections.tasks.values)
        }
        runTask.cancel()
        await runTask.value
        try? listener.close()
        for task in tasks {
            task.cancel()
        }
        for task in tasks {
            await task.value
        }
    }
}
