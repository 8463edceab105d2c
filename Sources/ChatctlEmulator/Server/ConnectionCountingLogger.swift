import FlyingSocks

/// FlyingFox's logger slot, used to count the TCP connections the server accepts (for
/// `GET /_emulator/stats`, and to check that clients keep connections alive). Nothing is
/// printed.
///
/// FlyingFox 0.27 logs `<peer> open connection` at info level for every accepted connection
/// and has no other hook for it; `EmulatorServerTests` checks the count, so a change of that
/// text shows up there.
struct ConnectionCountingLogger: Logging {
    let core: EmulatorCore

    func logInfo(_ info: @autoclosure () -> String) {
        if info().hasSuffix(" open connection") {
            core.recordConnection()
        }
    }

    func logDebug(_ debug: @autoclosure () -> String) {}
    func logWarning(_ warning: @autoclosure () -> String) {}
    func logError(_ error: @autoclosure () -> String) {}
    func logCritical(_ critical: @autoclosure () -> String) {}
}
