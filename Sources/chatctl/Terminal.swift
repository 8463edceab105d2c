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

    /// Writes `text` to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes `text` to standard output.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
