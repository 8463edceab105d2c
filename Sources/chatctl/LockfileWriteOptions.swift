import ArgumentParser
import ChatctlCore

/// The lockfile and its lock, for the commands besides apply that write it (refresh, stop).
struct LockfileWriteOptions: ParsableArguments {
    @Option(name: .long, help: "The lockfile (default: the project's spec.lockfile, or chatctl.lock.json).")
    var lockfile: String?

    @Option(name: .long, help: "Seconds to wait for another apply's lock before failing (default 0).")
    var lockTimeout: Double = 0

    func validate() throws {
        if !(lockTimeout >= 0 && lockTimeout.isFinite) {
            throw ValidationError("--lock-timeout must be a number of seconds of 0 or more, not \(lockTimeout)")
        }
    }

    /// The exclusive lock of the lockfile at `path`, held until released.
    func acquire(_ path: String) throws -> LockfileLock {
        do {
            return try LockfileLock.acquire(for: path, timeout: lockTimeout)
        } catch {
            throw CommandFailure(error.diagnostic)
        }
    }
}
