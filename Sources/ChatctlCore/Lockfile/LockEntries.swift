import ChatctlJSON

/// A lockfile's entries by profile name (``Lockfile/entries``), with a dictionary's
/// operations.
///
/// They are a dictionary, except in a lockfile read for `plan` (issue 15), where they are
/// two arrays in the order of the names' UTF-8 bytes, looked up by binary search: 24
/// bytes an entry, where a `[String: LockEntry]` of 100,000 entries has 262,144 slots of
/// 24 bytes (6.3 MB). The arrays are never changed in place: the first change makes them
/// a dictionary.
public struct LockEntries: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: LockEntry)

    private enum Store: Sendable {
        case dictionary([String: LockEntry])
        /// Names of the lockfile decoder's alphabet (ASCII, where equal strings are equal
        /// bytes), in strictly increasing UTF-8 order, and their entries.
        case sorted(names: [String], entries: [LockEntry])
    }

    /// The two arrays of the sorted store.
    private struct SortedArrays: Sendable {
        var names: [String]
        var entries: [LockEntry]
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
            if let sortedArrays { return .sorted(names: sortedArrays.names, entries: sortedArrays.entries) }
            return .dictionary(held)
        }
        set {
            switch newValue {
            case .dictionary(let dictionary):
                sortedArrays = nil
                held = dictionary
            case .sorted(let names, let entries):
                held = [:]
                sortedArrays = SortedArrays(names: names, entries: entries)
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

    /// `entries` of `names` (pairwise), looked up by binary search; `nil` when a name
    /// repeats. Each name must be one the lockfile decoder accepts (lowercase ASCII
    /// letters, digits and hyphens), whose equality is that of its bytes.
    static func sorted(names: [String], entries: [LockEntry]) -> LockEntries? {
        precondition(names.count == entries.count, "a name for each entry")
        // Checked in debug builds (the tests): the decoder checked each name already.
        assert(names.allSatisfy(LockfileDecoder.isProfileName), "a name the decoder accepts")
        var names = names
        var entries = entries
        // A lockfile chatctl wrote is in this order already; one edited by hand is sorted.
        if !zip(names, names.dropFirst()).allSatisfy({ JSONWriter.utf8Precedes($0, $1) }) {
            let order = names.indices.sorted { JSONWriter.utf8Precedes(names[$0], names[$1]) }
            names = order.map { names[$0] }
            entries = order.map { entries[$0] }
            guard zip(names, names.dropFirst()).allSatisfy({ JSONWriter.utf8Precedes($0, $1) }) else { return nil }
        }
        var sorted = LockEntries()
        sorted.store = .sorted(names: names, entries: entries)
        return sorted
    }

    public var count: Int {
        switch store {
        case .dictionary(let dictionary): dictionary.count
        case .sorted(let names, _): names.count
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
        case .sorted(let names, _): names.capacity
        }
    }

    /// The names, in no particular order (as a dictionary's keys).
    public var keys: [String] {
        switch store {
        case .dictionary(let dictionary): Array(dictionary.keys)
        case .sorted(let names, _): names
        }
    }

    /// The entries, in the order of ``keys``.
    public var values: [LockEntry] {
        switch store {
        case .dictionary(let dictionary): Array(dictionary.values)
        case .sorted(_, let entries): entries
        }
    }

    /// The entry of the profile `name`; setting `nil` removes it.
    public subscript(name: String) -> LockEntry? {
        get {
            switch store {
            case .dictionary(let dictionary): dictionary[name]
            case .sorted(let names, let entries): Self.position(of: name, in: names).map { entries[$0] }
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
        case .sorted(let names, let entries): mapped.store = .sorted(names: names, entries: try entries.map(transform))
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
        case .sorted(let names, let entries): Dictionary(uniqueKeysWithValues: zip(names, entries))
        }
    }

    public func makeIterator() -> AnyIterator<Element> {
        switch store {
        case .dictionary(let dictionary):
            var iterator = dictionary.makeIterator()
            return AnyIterator { iterator.next() }
        case .sorted(let names, let entries):
            var position = 0
            return AnyIterator {
                guard position < names.count else { return nil }
                defer { position += 1 }
                return (names[position], entries[position])
            }
        }
    }

    public static func == (left: LockEntries, right: LockEntries) -> Bool {
        if case .sorted(let leftNames, let leftEntries) = left.store, case .sorted(let rightNames, let rightEntries) = right.store {
            return leftNames == rightNames && leftEntries == rightEntries
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
