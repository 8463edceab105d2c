/// Profile names to the first profile holding each, in 4 to 8 bytes per name: an
/// open-addressing table of indices into the caller's array of names, where a
/// `[String: Int32]` would store every name a second time (16 bytes) and its value at a
/// lower load factor. At 1,000,000 profiles this is 8 MB instead of about 42 MB
/// (docs/performance.md, "Validate").
struct NameTable {
    /// Indices into the names, `-1` for an empty slot; the count is a power of two, and at
    /// most three quarters are used (linear probing stays short at that load).
    private var slots = [Int32](repeating: -1, count: 16)
    /// Names held.
    private(set) var count = 0

    /// The index of the first holder of `name`, when one was inserted.
    func first(named name: String, in names: [String?]) -> Int32? {
        first(named: name) { names[Int($0)] }
    }

    /// Records `names[index]` unless a holder of that name is known.
    /// - Returns: the first holder: `index` when the name is new.
    mutating func insert(at index: Int32, in names: [String?]) -> Int32 {
        insert(at: index) { names[Int($0)] }
    }

    /// Makes room for `count` names without growing again.
    mutating func reserveCapacity(_ count: Int, in names: [String?]) {
        reserveCapacity(count) { names[Int($0)] }
    }

    // The same, with the caller's names read through `nameAt` (the planner's are its
    // profiles' summaries): the table never holds a name, only where to find it.

    /// The index of the first holder of `name`, when one was inserted.
    func first(named name: String, nameAt: (Int32) -> String?) -> Int32? {
        let mask = slots.count - 1
        var slot = name.hashValue & mask
        while slots[slot] >= 0 {
            if nameAt(slots[slot]) == name { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Records the name at `index` unless a holder of that name is known.
    /// - Returns: the first holder: `index` when the name is new.
    mutating func insert(at index: Int32, nameAt: (Int32) -> String?) -> Int32 {
        guard let name = nameAt(index) else { return index }
        if (count + 1) * 4 > slots.count * 3 { grow(to: slots.count * 2, nameAt: nameAt) }
        let mask = slots.count - 1
        var slot = name.hashValue & mask
        while slots[slot] >= 0 {
            if nameAt(slots[slot]) == name { return slots[slot] }
            slot = (slot + 1) & mask
        }
        slots[slot] = index
        count += 1
        return index
    }

    /// Makes room for `count` names without growing again.
    mutating func reserveCapacity(_ count: Int, nameAt: (Int32) -> String?) {
        var slotCount = slots.count
        while slotCount * 3 < count * 4 { slotCount *= 2 }
        if slotCount > slots.count { grow(to: slotCount, nameAt: nameAt) }
    }

    /// Places every held index again in `slotCount` slots.
    private mutating func grow(to slotCount: Int, nameAt: (Int32) -> String?) {
        var grown = [Int32](repeating: -1, count: slotCount)
        let mask = grown.count - 1
        for held in slots where held >= 0 {
            guard let name = nameAt(held) else { continue }
            var slot = name.hashValue & mask
            while grown[slot] >= 0 { slot = (slot + 1) & mask }
            grown[slot] = held
        }
        slots = grown
    }
}
