public import ChatctlAWS

/// The emulator's request handling without a socket: a request as read off the wire goes
/// in, the answer comes out. ``EmulatorServer`` puts the same ``EmulatorCore`` behind
/// its HTTP server (``EmulatorHTTPServer``); this type exists for the fuzz target (Tests/Fuzz) and in-process tests,
/// which need every request handled deterministically and without the network.
public final class InProcessEmulator: Sendable {
    private let core: EmulatorCore

    /// Creates an emulator that listens nowhere.
    ///
    /// - Parameters:
    ///   - configuration: how to behave (its host and port are ignored); its seed, or 0
    ///     when it has none, drives every random choice.
    ///   - clock: the wall clock; pass a ``ManualEmulatorClock`` for repeatable runs.
    /// - Throws: ``EmulatorStartError/invalidConfiguration(_:)`` when the configuration has problems.
    public init(_ configuration: EmulatorConfiguration, clock: any EmulatorClock) throws(EmulatorStartError) {
        let problems = configuration.problems
        guard problems.isEmpty else {
            throw .invalidConfiguration(problems)
        }
        core = EmulatorCore(configuration: configuration, seed: configuration.seed ?? 0, clock: clock)
    }

    /// Handles one request as the server does once it has read it off the socket.
    ///
    /// - Parameters:
    ///   - method: the method as sent, for example `PUT`.
    ///   - target: the raw request target, the path and an optional `?query`.
    ///   - headers: the header fields as received.
    ///   - body: the body bytes.
    /// - Returns: the answer, or `nil` when the reply is not an HTTP answer: an injected
    ///   fault that closes the connection or answers garbage, or a WebSocket upgrade (which
    ///   needs a socket).
    public func respond(method: String, target: String, headers: HTTPHeaders, body: [UInt8]) async -> HTTPResponse? {
        guard body.count <= core.configuration.maxBodyBytes else {
            return core.tooLargeResponse()
        }
        let request = EmulatorCore.request(method: method, target: target, headers: headers, body: body)
        switch await core.handleCounted(request) {
        case .answer(let response): return response
        case .dropConnection, .garbage, .webSocket: return nil
        }
    }
}
