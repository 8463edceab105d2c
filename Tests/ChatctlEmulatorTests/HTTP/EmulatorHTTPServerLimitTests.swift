import Testing

@testable import ChatctlEmulator

/// How many connections the server holds under the process's open-file limit: never so
/// many that the files the runtime opens for itself (libdispatch's timer descriptors,
/// created on first use) find the table full.
@Suite struct EmulatorHTTPServerLimitTests {
    @Test func aLowFileLimitKeepsFilesForTheEmulatorItself() {
        #expect(EmulatorHTTPServer.connectionLimit(openFileLimit: 64) == 64 - EmulatorHTTPServer.reservedFiles)
        #expect(EmulatorHTTPServer.connectionLimit(openFileLimit: 1_024) == 1_024 - EmulatorHTTPServer.reservedFiles)
    }

    @Test func aHighOrUnknownLimitServesTheMaximum() {
        #expect(EmulatorHTTPServer.connectionLimit(openFileLimit: 1_048_576) == EmulatorHTTPServer.maximumConnections)
        #expect(EmulatorHTTPServer.connectionLimit(openFileLimit: nil) == EmulatorHTTPServer.maximumConnections)
    }

    @Test func aLimitBelowTheReserveStillServesOne() {
        #expect(EmulatorHTTPServer.connectionLimit(openFileLimit: 10) == 1)
    }

    @Test func theLimitOfThisProcessIsRead() {
        // The test runner always has a finite soft limit of at least a few dozen files.
        let limit = OpenFileLimit.soft
        #expect(limit.map { $0 >= 16 } ?? true)
    }
}
