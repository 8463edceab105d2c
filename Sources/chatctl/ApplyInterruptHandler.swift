import ArgumentParser
import ChatctlAWS
import ChatctlCore
import Foundation

/// SIGINT and SIGTERM during apply: the first stops scheduling (``ApplyInterruption``) and
/// gives the calls in flight `grace` seconds to finish and be recorded, then cancels them;
/// a second exits at once with 128 + the signal (pending entries stay pending and resume
/// with their client tokens).
final class ApplyInterruptHandler: @unchecked Sendable {
    // @unchecked: `sources` is set before any signal is handled; `cancel` only under `lock`.
    let interruption = ApplyInterruption()
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var cancel: (@Sendable () -> Void)?
    private var graceOver = false

    /// What cancels the calls in flight once the grace period is over.
    private func cancelling(with cancel: @escaping @Sendable () -> Void) {
        let over = lock.withLock {
            self.cancel = cancel
            return graceOver
        }
        if over { cancel() }
    }

    private func endGrace() {
        let cancel = lock.withLock {
            graceOver = true
            return self.cancel
        }
        cancel?()
    }

    /// Installs the handlers, returning once both are registered (libdispatch installs its
    /// handler asynchronously after `resume()`; until then `SIG_IGN` swallows the signal).
    /// - Parameters:
    ///   - firstSignal: what the first signal does, said when it comes (default: waiting for the
    ///     calls in flight, up to `grace`).
    ///   - atOnce: what a second signal leaves behind, said as it exits.
    private static func install(
        grace: Double, firstSignal: String? = nil,
        atOnce: String = "pending entries resume with their client tokens on the next apply"
    ) async -> ApplyInterruptHandler {
        let handler = ApplyInterruptHandler()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let interruption = handler.interruption
            source.setEventHandler {
                // Signals that arrive together are delivered as one event: `data` counts them.
                let first = interruption.request(signal: number)
                guard first, source.data < 2 else {
                    Terminal.writeError("\n\(Self.name(number)) again: exiting at once; \(atOnce).\n")
                    Terminal.exitAtOnce(128 + number)
                }
                let doing = firstSignal ?? "waiting up to \(SecondsText.text(grace)) s for the calls in flight"
                Terminal.writeError("\n\(Self.name(number)): starting nothing more; \(doing) (again to exit at once).\n")
                DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [weak handler] in handler?.endGrace() }
            }
            await withCheckedContinuation { (registered: CheckedContinuation<Void, Never>) in
                source.setRegistrationHandler { registered.resume() }
                source.resume()
            }
            handler.sources.append(source)
        }
        return handler
    }

    /// Runs `work` in a task of its own with the handlers installed (``install(grace:firstSignal:atOnce:)``),
    /// cancelled once the grace after a first signal is over, and removes them when it ends.
    /// - Returns: what `work` returned, and the signal that interrupted it, if one did.
    static func run<Result: Sendable>(
        grace: Double, firstSignal: String? = nil, atOnce: String = "pending entries resume with their client tokens on the next apply",
        _ work: @escaping @Sendable (ApplyInterruption) async -> Result
    ) async -> (result: Result, signal: Int32?) {
        let interrupts = await install(grace: grace, firstSignal: firstSignal, atOnce: atOnce)
        let interruption = interrupts.interruption
        let task = Task { await work(interruption) }
        interrupts.cancelling { task.cancel() }
        let result = await task.value
        interrupts.remove()
        return (result, interruption.signal)
    }

    /// Says on standard error that `signal` interrupted the command and what that left,
    /// and gives the exit status to leave with: 128 + the signal, as a shell reports it.
    static func interrupted(by signal: Int32, _ left: String) -> ExitCode {
        Terminal.writeError("Interrupted by \(name(signal)): \(left)\n")
        return ExitCode(128 + signal)
    }

    /// Stops handling signals: their default action (terminate) applies again.
    private func remove() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    static func name(_ number: Int32) -> String { number == SIGTERM ? "SIGTERM" : "SIGINT" }
}
