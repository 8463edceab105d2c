/// Idle easy handles kept for reuse, so that later requests find the connections (and TLS
/// sessions, and DNS answers) that earlier ones left open in their handle's cache.
///
/// Last in, first out: the most recently used handle has the warmest connection. Handles
/// beyond ``capacity`` are dropped, which frees them and closes their connections.
final class CurlHandlePool: Sendable {
    /// The most idle handles kept.
    let capacity: Int
    private let idle = Locked<[CurlEasyHandle]>([])

    /// Creates an empty pool.
    ///
    /// - Parameter capacity: the most idle handles kept (0 disables reuse).
    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// An idle handle, or a new one when none is idle.
    ///
    /// - Throws: ``CurlError`` when libcurl cannot make a handle.
    func checkout() throws(CurlError) -> CurlEasyHandle {
        if let handle = idle.withLock({ $0.popLast() }) {
            return handle
        }
        return try CurlEasyHandle()
    }

    /// Gives a handle back after its transfer finished.
    func checkin(_ handle: CurlEasyHandle) {
        let surplus: CurlEasyHandle? = idle.withLock { handles in
            guard handles.count < capacity else { return handle }
            handles.append(handle)
            return nil
        }
        // Dropped outside the lock: freeing a handle closes its connections.
        _ = surplus
    }

    /// How many handles are idle now.
    var idleCount: Int {
        idle.withLock { $0.count }
    }

    /// Frees every idle handle, closing their connections.
    func removeAll() {
        let handles = idle.withLock { handles in
            defer { handles.removeAll() }
            return handles
        }
        _ = handles
    }
}
