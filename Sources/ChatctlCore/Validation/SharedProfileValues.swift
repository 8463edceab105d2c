import ChatctlAWS

/// The values that repeat from profile to profile of one load, each kept once: the sets of
/// `spec` fields the project's defaults supply, labels, content types, segment attributes
/// and instance ids.
///
/// Issue 15: at 100,000 profiles each profile's own copy of these was 65 MB of a plan's
/// heap peak, though a repository has a handful of distinct ones. A value is shared only
/// with one of exactly the same bytes: its type's own `==` finds the candidate, but a
/// `String`'s `==` holds canonically equivalent text equal (`é` precomposed and `e` with a
/// combining accent, `K` and the Kelvin sign), and a request and its digest are written
/// from the bytes, so each candidate is checked byte for byte (``ExactlyComparable``)
/// before it is given. Nor is the JSON a value was read from compared (where `1` equals
/// `1.0`). So sharing changes no request, digest or output. Used by the validation workers
/// of all cores at once.
final class SharedProfileValues: Sendable {
    /// Distinct values kept of each kind in each shard. A kind whose values do not repeat
    /// (an id per profile) stops being kept there: the table would cost what sharing saves.
    static let distinctLimit = 4096

    /// Which values are shared.
    enum Scope: Sendable {
        /// Every kind: the profiles are kept (apply, a saved or JSON plan).
        case all
        /// Labels only: each profile is summarised and dropped at once (`plan`'s text
        /// output), and its summary keeps nothing else of it. Sharing the other kinds would
        /// cost each profile a hash of its values and a turn of the lock (5% of such a
        /// plan's CPU at 100,000 profiles) to save memory freed a moment later.
        case labels
    }

    private let scope: Scope
    /// The tables, one per shard, each with its own lock, shared by every view of one load
    /// (``shard(_:)``). With a single table the workers of both cores queued for its lock
    /// at every profile (a waiting worker leaves its core idle), which cost a plan of
    /// 100,000 profiles up to a second. A value is kept once per shard it is met in.
    private let shards: [Locked<Tables>]
    /// The shard this view shares through.
    private let tables: Locked<Tables>

    /// Shards of one load.
    static let shardCount = 8

    private struct Tables {
        var fieldSets = Set<Set<[String]>>()
        var labels = Set<[String: String]>()
        var lists = Set<[String]>()
        var segmentAttributes = Set<SegmentAttributes>()
        var strings = Set<String>()
    }

    /// Segment attributes as a member of a set. Equal when the values are (their own `==`);
    /// the hash mixes each name with its value's scalar members and sizes.
    private struct SegmentAttributes: Hashable, ExactlyComparable {
        var values: [String: SegmentAttributeValue]

        func isExactly(_ other: SegmentAttributes) -> Bool { values.isExactly(other.values) }

        func hash(into hasher: inout Hasher) {
            hasher.combine(values.count)
            // Order-independent: equal dictionaries may list their entries in different orders.
            var sum = 0
            for (name, value) in values {
                var entry = Hasher()
                entry.combine(name)
                entry.combine(value.valueString)
                entry.combine(value.valueInteger)
                entry.combine(value.valueArn)
                entry.combine(value.valueMap?.count)
                entry.combine(value.valueList?.count)
                sum &+= entry.finalize()
            }
            hasher.combine(sum)
        }
    }

    /// A new load's values, shared through its first shard until ``shard(_:)`` is asked.
    init(_ scope: Scope = .all) {
        self.scope = scope
        shards = (0..<Self.shardCount).map { _ in Locked(Tables()) }
        tables = shards[0]
    }

    private init(scope: Scope, shards: [Locked<Tables>], shard: Int) {
        self.scope = scope
        self.shards = shards
        tables = shards[shard]
    }

    /// The same load's values, shared through the shard of the `index`th file: files are
    /// handed to the workers in order, so the files checked at one time have neighbouring
    /// indices and so different shards, and no worker waits for another's lock (a shard by
    /// thread left both workers on one shard in one run of eight).
    func shard(_ index: Int) -> SharedProfileValues {
        SharedProfileValues(scope: scope, shards: shards, shard: index % shards.count)
    }

    /// How many distinct values of each kind are held (what a test can see of sharing).
    var heldCounts: (fields: Int, labels: Int, lists: Int, segmentAttributes: Int, strings: Int) {
        var counts = (fields: 0, labels: 0, lists: 0, segmentAttributes: 0, strings: 0)
        for shard in shards {
            shard.withLock { tables in
                counts.fields += tables.fieldSets.count
                counts.labels += tables.labels.count
                counts.lists += tables.lists.count
                counts.segmentAttributes += tables.segmentAttributes.count
                counts.strings += tables.strings.count
            }
        }
        return counts
    }

    /// The fields the defaults supply, as an equal set shared with earlier profiles.
    func fields(_ fields: Set<[String]>) -> Set<[String]> {
        // The empty set has no storage of its own to share.
        guard scope == .all, !fields.isEmpty else { return fields }
        return tables.withLock { Self.shared(fields, in: &$0.fieldSets) }
    }

    /// The labels, as an equal dictionary shared with earlier profiles.
    func labels(_ labels: [String: String]) -> [String: String] {
        guard !labels.isEmpty else { return labels }
        return tables.withLock { Self.shared(labels, in: &$0.labels) }
    }

    /// A list of strings (the content types), as an equal list shared with earlier profiles.
    func list(_ list: [String]) -> [String] {
        guard scope == .all, !list.isEmpty else { return list }
        return tables.withLock { Self.shared(list, in: &$0.lists) }
    }

    /// The segment attributes, as an equal dictionary shared with earlier profiles.
    func segmentAttributes(_ values: [String: SegmentAttributeValue]) -> [String: SegmentAttributeValue] {
        guard scope == .all, !values.isEmpty else { return values }
        return tables.withLock { Self.shared(SegmentAttributes(values: values), in: &$0.segmentAttributes).values }
    }

    /// A string of more than 15 UTF-8 bytes (an instance id), as an equal string shared
    /// with earlier profiles. Shorter strings (a region) are stored inline, with nothing to share.
    func string(_ text: String) -> String {
        guard scope == .all, text.utf8.count > 15 else { return text }
        return tables.withLock { Self.shared(text, in: &$0.strings) }
    }

    /// The member of `table` with exactly the bytes of `value`, else `value` (kept in
    /// `table` while it has room, unless an equal but not identical value holds its place).
    private static func shared<Value: Hashable & ExactlyComparable>(_ value: Value, in table: inout Set<Value>) -> Value {
        if let index = table.firstIndex(of: value) {
            return table[index].isExactly(value) ? table[index] : value
        }
        if table.count < distinctLimit { table.insert(value) }
        return value
    }
}

/// Equality of the bytes a value is written with, where `==` may be looser: a `String`'s
/// `==` is canonical equivalence, and so is that of every collection of strings.
protocol ExactlyComparable {
    /// Whether `other` has exactly the same content, byte for byte.
    func isExactly(_ other: Self) -> Bool
}

extension String: ExactlyComparable {
    /// Compared through the two strings' contiguous UTF-8: walking two `UTF8View`s cost 76
    /// instructions a byte (2.4% of `chatctl validate`'s instructions, placing positions).
    func isExactly(_ other: String) -> Bool {
        let mine = utf8.span
        let theirs = other.utf8.span
        guard mine.count == theirs.count else { return false }
        for index in mine.indices where mine[index] != theirs[index] { return false }
        return true
    }

    /// Whether every byte is ASCII, where `==` (canonical equivalence) is byte equality
    /// between strings of one length: text canonically equal to ASCII but written otherwise
    /// is longer (each scalar decomposing to ASCII, KELVIN SIGN to `K`, takes two bytes or more).
    var isASCII: Bool {
        let bytes = utf8.span
        for index in bytes.indices where bytes[index] >= 0x80 { return false }
        return true
    }
}

extension Int: ExactlyComparable {
    func isExactly(_ other: Int) -> Bool { self == other }
}

extension Optional: ExactlyComparable where Wrapped: ExactlyComparable {
    func isExactly(_ other: Wrapped?) -> Bool {
        switch (self, other) {
        case (nil, nil): true
        case (let left?, let right?): left.isExactly(right)
        default: false
        }
    }
}

extension Array: ExactlyComparable where Element: ExactlyComparable {
    func isExactly(_ other: [Element]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.isExactly($1) }
    }
}

extension Dictionary: ExactlyComparable where Key == String, Value: ExactlyComparable {
    func isExactly(_ other: [String: Value]) -> Bool {
        // `other`'s entry for each name is found by `==`, so its name is compared too.
        count == other.count && allSatisfy { name, value in
            guard let index = other.index(forKey: name) else { return false }
            return other[index].key.isExactly(name) && other[index].value.isExactly(value)
        }
    }
}

extension Set: ExactlyComparable where Element == [String] {
    func isExactly(_ other: Set<[String]>) -> Bool {
        count == other.count && allSatisfy { path in
            guard let index = other.firstIndex(of: path) else { return false }
            return other[index].isExactly(path)
        }
    }
}

extension SegmentAttributeValue: ExactlyComparable {
    func isExactly(_ other: SegmentAttributeValue) -> Bool {
        valueString.isExactly(other.valueString) && valueInteger.isExactly(other.valueInteger)
            && valueArn.isExactly(other.valueArn) && valueList.isExactly(other.valueList)
            && valueMap.isExactly(other.valueMap)
    }
}
