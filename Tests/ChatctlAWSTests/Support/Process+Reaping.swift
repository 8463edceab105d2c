import Foundation

extension Process {
    /// Sends SIGTERM if the process still runs, waits up to `seconds` for it to end (then
    /// SIGKILL), and reaps it with `waitUntilExit()`.
    ///
    /// The reaping is not optional on Linux: corelibs-foundation's `Process` and its run-loop
    /// source retain each other until `waitUntilExit()` clears the source, so a `Process`
    /// that is never waited for is never freed (LeakSanitizer reports it, with its pipes).
    func stopAndReap(within seconds: Double = 5) {
        if isRunning {
            terminate()
            let deadline = Date().addingTimeInterval(seconds)
            while isRunning, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            if isRunning {
                kill(processIdentifier, SIGKILL)
            }
        }
        waitUntilExit()
    }
}
