/// The services the emulator serves on its one port, told apart by path (their paths do
/// not overlap), each with its own answer to a path it does not serve.
enum EmulatorService: String, Sendable, Equatable {
    /// Amazon Connect: `/contact/…` and every path no other service claims.
    case connect
    /// The Amazon Connect Participant Service: `/participant/…` (issue 16 adds its routes).
    case participant
    /// The emulator's own admin API: `/_emulator/…`, unsigned.
    case admin

    /// The service a path belongs to.
    static func owning(_ path: String) -> EmulatorService {
        if path == "/_emulator" || path.hasPrefix("/_emulator/") {
            return .admin
        }
        if path == "/participant" || path.hasPrefix("/participant/") {
            return .participant
        }
        return .connect
    }
}
