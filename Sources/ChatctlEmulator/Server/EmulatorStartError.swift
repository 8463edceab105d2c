/// Why an emulator did not start.
public enum EmulatorStartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration has problems (see ``EmulatorConfiguration/problems``).
    case invalidConfiguration([String])
    /// The server could not listen on the address: a port in use, a host that is not an
    /// address of this machine, or no permission.
    case cannotListen(host: String, port: Int, reason: String)

    /// A lowercase message without a trailing period.
    public var description: String {
        switch self {
        case .invalidConfiguration(let problems):
            return "invalid emulator configuration: " + problems.joined(separator: "; ")
        case .cannotListen(let host, let port, let reason):
            return "cannot listen on \(host):\(port): \(reason)"
        }
    }
}
