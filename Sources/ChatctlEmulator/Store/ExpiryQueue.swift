import Foundation

/// A binary min-heap of contact ids by expiry time, so that ending the chats whose duration
/// has passed costs O(log n) per chat rather than a scan of every contact.
struct ExpiryQueue: Sendable {
    private var heap: [(expiresAt: Date, contactID: String)] = []

    /// Whether the queue is empty.
    var isEmpty: Bool { heap.isEmpty }

    /// Adds a contact.
    mutating func insert(_ contactID: String, expiresAt: Date) {
        heap.append((expiresAt, contactID))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].expiresAt < heap[parent].expiresAt else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every entry due at or before `now`, earliest first.
    mutating func popExpired(now: Date) -> [(contactID: String, due: Date)] {
        var expired: [(contactID: String, due: Date)] = []
        while let first = heap.first, first.expiresAt <= now {
            expired.append((first.contactID, first.expiresAt))
            removeFirst()
        }
        return expired
    }

    /// Empties the queue.
    mutating func removeAll() {
        heap.removeAll()
    }

    private mutating func removeFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].expiresAt < heap[smallest].expiresAt {
                smallest = left
            }
            if right < heap.count, heap[right].expiresAt < heap[smallest].expiresAt {
                smallest = right
            }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
