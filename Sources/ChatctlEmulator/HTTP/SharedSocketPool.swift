import ChatctlAWS
import FlyingSocks

/// One socket event loop (epoll or kqueue) for every emulator in the process, started on
/// first use and kept for the life of the process.
///
/// A FlyingSocks pool waits for events by blocking one libdispatch worker thread. With a
/// pool per emulator, a test process that runs dozens of emulators at once blocked as many
/// worker threads, and the Swift tasks of every test stalled for seconds at a time (curl
/// requests to the emulators timed out at 20 s). One pool blocks one thread however many
/// emulators there are.
enum SharedSocketPool {
    private static let pool = Locked<Task<any AsyncSocketPool, any Error>?>(nil)

    /// The running pool.
    ///
    /// - Throws: when the event queue cannot be created (the next call tries again).
    static func get() async throws -> any AsyncSocketPool {
        let task = pool.withLock { pool in
            if let pool {
                return pool
            }
            let task = Task<any AsyncSocketPool, any Error> {
                let created = SocketPool<Poll>.make()
                try await created.prepare()
                Task.detached {
                    try? await created.run()
                }
                return created
            }
            pool = task
            return task
        }
        do {
            return try await task.value
        } catch {
            pool.withLock { $0 = nil }
            throw error
        }
    }
}
