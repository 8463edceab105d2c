import ChatctlJSON

/// A lockfile's entries by profile name (``Lockfile/entries``), with a dictionary's
/// operations.
///
/// They are a dictionary, except in a lockfile read for `plan` (issue 15), where they are
/// the names in the order of their UTF-8 bytes, looked up by binary search, and the
/// entries in the same order: the rows the decoder kept (``KeptEntryRows``, 80 bytes an
/// entry besides its name), or an array of entries once they are transformed
/// (``mapValues(_:)``). A `[String: LockEntry]` of 100,000 entries has 262,144 slots of 24
/// bytes (6.3 MB). They are never changed in place: the first change makes them a
/// dictionary.
public struct LockEntries: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: LockEntry)

    private enum Store: Sendable {
        case dictionary([String: LockEntry])
        case sorted(SortedArrays)
    }

    /// The sorted store: names of the lockfile decoder's alphabet (ASCII, where equal
    /// strings are equal bytes), in strictly increasing UTF-8 order, and their entries.
    private struct SortedArrays: Sendable {
        var names: [String]
        /// The entries, by position, unless they are the rows (and this is empty).
        var entries: [LockEntry]
        /// The rows the decoder kept, whose names are ``names``.
        var rows: KeptEntryRows?

        var count: Int { names.count }

        func entry(at position: Int) -> LockEntry {
            if let rows { return rows.entry(at: position) }
            return entries[position]
        }

        /// The entries in order (made from the rows, when they are the rows).
        var allEntries: [LockEntry] {
            guard let rows else { return entries }
            return names.indices.map(rows.entry(at:))
        }
    }

    // Stored as two properties, not as a `Store`: an enum with a payload keeps its case in
    // the spare bits of a payload's reference, and the address sanitizer's leak check,
    // which does not see such a reference, reported every entry of a plan's lockfile as
    // leaked when the process left without freeing it (`plan` does, PlanCommand).
    private var held: [String: LockEntry] = [:]
    /// Set (and `held` empty) while the entries are the sorted arrays.
    private var sortedArrays: SortedArrays?

    private var store: Store {
        get {
            if let sortedArrays { return .sorted(sortedArrays) }
            return .dictionary(held)
        }
        set {
            switch newValue {
            case .dictionary(let dictionary):
                sortedArrays = nil
                held = dictionary
            case .sorted(let arrays):
                held = [:]
                sortedArrays = arrays
            }
        }
    }

    public init() {
        store = .dictionary([:])
    }

    public init(_ entries: [String: LockEntry]) {
        store = .dictionary(entries)
    }

    public init(dictionaryLiteral elements: (String, LockEntry)...) {
        store = .dictionary(Dictionary(uniqueKeysWithValues: elements))
    }

    /// The entries `rows` kept, by their names, looked up by binary search; `nil` when a
    /// name repeats. Each name must be one the lockfile decoder accepts (lowercase ASCII
    /// letters, digits and hyphens), whose equality is that of its bytes.
    static func sorted(_ rows: KeptEntryRows) -> LockEntries? {
        // Checked in debug builds (the tests): the decoder checked each name already.
        assert(rows.names.allSatisfy(LockfileDecoder.isProfileName), "a name the decoder accepts")
        var rows = rows
        // A lockfile chatctl wrote is in this order already; one edited by hand is sorted.
        if !Self.isStrictlyIncreasing(rows.names) {
            let names = rows.names
            rows = rows.reordered(names.indices.sorted { JSONWriter.utf8Precedes(names[$0], names[$1]) })
            guard Self.isStrictlyIncreasing(rows.names) else { return nil }
        }
        var sorted = LockEntries()
        sorted.store = .sorted(SortedArrays(names: rows.names, entries: [], rows: rows))
        return sorted
    }

    private static func isStrictlyIncreasing(_ names: [String]) -> Bool {
        zip(names, names.dropFirst()).allSatisfy { JSONWriter.utf8Precedes($0, $1) }
    }

    public var count: Int {
        switch store {
        case .dictionary(let dictionary): dictionary.count
        case .sorted(let arrays): arrays.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Whether the entries are the sorted arrays of a lockfile read for `plan`.
    var keepsSortedArrays: Bool {
        if case .sorted = store { return true }
        return false
    }

    /// How many entries fit without the store growing (what the decoder reserved).
    var capacity: Int {
        switch store {
        case .dictionary(let dictionary): dictionary.capacity
        case .sorted(let arrays): arrays.names.capacity
        }
    }

    /// The names, in no particular order (as a dictionary's keys).
    public var keys: [String] {
        switch store {
        case .dictionary(let dictionary): Array(dictionary.keys)
        case .sorted(let arrays): arrays.names
        }
    }

    /// The entries, in the order of ``keys``.
    public var values: [LockEntry] {
        switch store {
        case .dictionary(let dictionary): Array(dictionary.values)
        case .sorted(let arrays): arrays.allEntries
        }
    }

    /// The rows of a lockfile read for `plan`, when the entries are still those rows.
    var keptRows: KeptEntryRows? { sortedArrays?.rows }

    /// The entry of the profile `name`; setting `nil` removes it.
    public subscript(name: String) -> LockEntry? {
        get {
            switch store {
            case .dictionary(let dictionary): dictionary[name]
            case .sorted(let arrays): Self.position(of: name, in: arrays.names).map(arrays.entry(at:))
            }
        }
        _modify {
            var dictionary = takeDictionary()
            defer { store = .dictionary(dictionary) }
            yield &dictionary[name]
        }
    }

    /// The name as stored for `name`: a dictionary finds a canonically equivalent spelling
    /// (é as one scalar or two) under the key first set, which is the one written.
    func storedName(for name: String) -> String {
        switch store {
        case .dictionary(let dictionary): dictionary.index(forKey: name).map { dictionary[$0].key } ?? name
        case .sorted: name
        }
    }

    /// Sets `name`'s entry; gives the one it replaces.
    @discardableResult
    public mutating func updateValue(_ entry: LockEntry, forKey name: String) -> LockEntry? {
        var dictionary = takeDictionary()
        defer { store = .dictionary(dictionary) }
        return dictionary.updateValue(entry, forKey: name)
    }

    /// Removes `name`'s entry; gives it.
    @discardableResult
    public mutating func removeValue(forKey name: String) -> LockEntry? {
        var dictionary = takeDictionary()
        defer { store = .dictionary(dictionary) }
        return dictionary.removeValue(forKey: name)
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        var dictionary = takeDictionary()
        dictionary.reserveCapacity(capacity)
        store = .dictionary(dictionary)
    }

    /// Each entry transformed, under the same name (sorted entries stay sorted).
    public func mapValues(_ transform: (LockEntry) throws -> LockEntry) rethrows -> LockEntries {
        var mapped = self
        switch store {
        case .dictionary(let dictionary): mapped.store = .dictionary(try dictionary.mapValues(transform))
        case .sorted(let arrays):
            mapped.store = .sorted(SortedArrays(names: arrays.names, entries: try arrays.allEntries.map(transform), rows: nil))
        }
        return mapped
    }

    /// The non-`nil` results of `transform`, by name.
    public func compactMapValues<T>(_ transform: (LockEntry) throws -> T?) rethrows -> [String: T] {
        var result: [String: T] = [:]
        for (name, entry) in self {
            if let value = try transform(entry) { result[name] = value }
        }
        return result
    }

    /// The entries `isIncluded` keeps, by name (as a dictionary's `filter`).
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> [String: LockEntry] {
        var result: [String: LockEntry] = [:]
        for element in self where try isIncluded(element) { result[element.key] = element.value }
        return result
    }

    /// The entries as a dictionary.
    public var dictionary: [String: LockEntry] {
        switch store {
        case .dictionary(let dictionary): dictionary
        case .sorted(let arrays): Dictionary(uniqueKeysWithValues: zip(arrays.names, arrays.allEntries))
        }
    }

    public func makeIterator() -> AnyIterator<Element> {
        switch store {
        case .dictionary(let dictionary):
            var iterator = dictionary.makeIterator()
            return AnyIterator { iterator.next() }
        case .sorted(let arrays):
            var position = 0
            return AnyIterator {
                guard position < arrays.count else { return nil }
                defer { position += 1 }
                return (arrays.names[position], arrays.entry(at: position))
            }
        }
    }

    public static func == (left: LockEntries, right: LockEntries) -> Bool {
        if case .sorted(let leftArrays) = left.store, case .sorted(let rightArrays) = right.store {
            return leftArrays.names == rightArrays.names
                && leftArrays.names.indices.allSatisfy { leftArrays.entry(at: $0) == rightArrays.entry(at: $0) }
        }
        guard left.count == right.count else { return false }
        return left.allSatisfy { name, entry in right[name] == entry }
    }

    /// The entries as a dictionary, leaving this one empty until they are put back (so
    /// that the dictionary is changed in place, not copied).
    private mutating func takeDictionary() -> [String: LockEntry] {
        let dictionary = self.dictionary
        store = .dictionary([:])
        return dictionary
    }

    /// Where `name` is in `names`, by binary search in their UTF-8 order.
    private static func position(of name: String, in names: [String]) -> Int? {
        var low = 0
        var high = names.count
        while low < high {
            let middle = (low + high) / 2
            if JSONWriter.utf8Precedes(names[middle], name) { low = middle + 1 } else { high = middle }
        }
        // Not after `name` either: the same bytes (the order's own test, no second one).
        guard low < names.count, !JSONWriter.utf8Precedes(name, names[low]) else { return nil }
        return low
    }
}
