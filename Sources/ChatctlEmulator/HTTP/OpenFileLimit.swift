import Foundation

/// The process's limit on open files (`ulimit -n`), which bounds how many connections the
/// emulator may hold (``EmulatorHTTPServer/connectionLimit(openFileLimit:)``).
enum OpenFileLimit {
    /// The soft limit now, or `nil` when it is unlimited or cannot be read.
    static var soft: Int? {
        var limit = rlimit()
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }
}
