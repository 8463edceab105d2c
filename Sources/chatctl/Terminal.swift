import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the process's terminal, and writing to its streams.
enum Terminal {
    enum Stream {
        case standardInput
        case standardOutput
        case standardError
    }

    /// True when `stream` is a terminal (a person is there).
    static func isTerminal(_ stream: Stream) -> Bool {
        switch stream {
        case .standardInput: isatty(STDIN_FILENO) == 1
        case .standardOutput: isatty(STDOUT_FILENO) == 1
        case .standardError: isatty(STDERR_FILENO) == 1
        }
    }

    /// `text` with every control character escaped (`\u{1B}`), for values that come from
    /// outside (a server's contact id or message): printed raw, an escape sequence could
    /// rewrite the terminal or forge lines of output. Bidirectional overrides are
    /// escaped too: they reorder what a reader sees.
    static func printable(_ text: String) -> String {
        printable(text, keepingTabs: false)
    }

    /// - Parameter keepingTabs: leaves tabs as they are (a source line under which a caret
    ///   is lined up).
    static func printable(_ text: String, keepingTabs: Bool) -> String {
        func escapes(_ scalar: Unicode.Scalar) -> Bool { isUnprintable(scalar) && !(keepingTabs && scalar == "\t") }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if escapes(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// Writes `text` to standard error (nothing more is done when even that fails).
    static func writeError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Array(text.utf8))
    }

    // Written once, by the thread that ends the process, just before it does.
    private nonisolated(unsafe) static var heldUntilExit: [Any] = []

    /// Ends the process with `code` at once, after flushing C's buffered streams (Terminal's
    /// own writes are unbuffered): what a command calls once its result is printed, so the
    /// memory it built is returned with the process rather than freed object by object.
    /// - Parameter held: what the command built, kept reachable from a global until the
    ///   process ends. A leak check at exit (AddressSanitizer's, in `scripts/sanitize`) then
    ///   finds it by a plain reference, whatever is left in the registers and on the stacks of
    ///   the threads at that moment, which varies from run to run.
    static func exit(_ code: ExitCode, holding held: Any...) -> Never {
        heldUntilExit = held
        fflush(nil)
        #if canImport(Glibc)
        Glibc.exit(code.rawValue)
        #elseif canImport(Darwin)
        Darwin.exit(code.rawValue)
        #endif
    }

    /// Ends the process with `status` at once, running no `atexit` handler and flushing
    /// nothing: for a second SIGINT while other threads still sign and send requests, whose
    /// libraries an exit's cleanup would pull from under them. Standard error is unbuffered;
    /// the lockfile's journal is on disk before any request leaves.
    static func exitAtOnce(_ status: Int32) -> Never {
        #if canImport(Glibc)
        Glibc._exit(status)
        #elseif canImport(Darwin)
        Darwin._exit(status)
        #endif
    }

    /// Writes `text` to standard output (see ``write(bytes:)``).
    static func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    /// Writes UTF-8 `bytes` to standard output (a piece of a long document). When they
    /// cannot be written (a full disk, a descriptor closed or not writable), says so on
    /// standard error and ends the process with exit code 1: what a command prints is its
    /// result, and a part of it is not one. (A closed pipe ends the process with SIGPIPE
    /// first, as it does any Unix tool; an apply ended this way loses nothing, as a kill
    /// at any moment loses nothing.)
    static func write(bytes: [UInt8]) {
        do {
            try FileHandle.standardOutput.write(contentsOf: bytes)
        } catch {
            // The POSIX reason ("No space left on device"), not Foundation's wrapper's text.
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError ?? error as NSError
            let reason = underlying.domain == NSPOSIXErrorDomain
                ? String(cString: strerror(Int32(underlying.code))) : underlying.localizedDescription
            writeError("error: cannot write to standard output: \(reason)\n")
            exit(ExitCodes.failure)
        }
    }
}
