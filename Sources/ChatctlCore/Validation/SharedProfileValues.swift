import ChatctlAWS

/// The values that repeat from profile to profile of one load, each kept once: the sets of
/// `spec` fields the project's defaults supply, labels, content types, segment attributes
/// and instance ids.
///
/// Issue 15: at 100,000 profiles each profile's own copy of these was 65 MB of a plan's
/// heap peak, though a repository has a handful of distinct ones. A value is shared only
/// with an equal one (by its type's own `==`, never by the JSON it was read from, where
/// `1` equals `1.0`), so sharing changes no request, digest or output. Used by the
/// validation workers of all cores at once.
final class SharedProfileValues: Sendable {
    /// Distinct values kept of each kind. A kind whose values do not repeat (an id per
    /// profile) stops being kept there: the table would cost what sharing saves.
    static let distinctLimit = 4096

    private let tables = Locked(Tables())

    private struct Tables {
        var fieldSets = Set<Set<[String]>>()
        var labels = Set<[String: String]>()
        var lists = Set<[String]>()
        var segmentAttributes = Set<SegmentAttributes>()
        var strings = Set<String>()
    }

    /// Segment attributes as a member of a set. Equal when the values are (their own `==`);
    /// the hash mixes each name with its value's scalar members and sizes.
    private struct SegmentAttributes: Hashable {
        var values: [String: SegmentAttributeValue]

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

    init() {}

    /// The fields the defaults supply, as an equal set shared with earlier profiles.
    func fields(_ fields: Set<[String]>) -> Set<[String]> {
        // The empty set has no storage of its own to share.
        guard !fields.isEmpty else { return fields }
        return tables.withLock { Self.shared(fields, in: &$0.fieldSets) }
    }

    /// The labels, as an equal dictionary shared with earlier profiles.
    func labels(_ labels: [String: String]) -> [String: String] {
        guard !labels.isEmpty else { return labels }
        return tables.withLock { Self.shared(labels, in: &$0.labels) }
    }

    /// A list of strings (the content types), as an equal list shared with earlier profiles.
    func list(_ list: [String]) -> [String] {
        guard !list.isEmpty else { return list }
        return tables.withLock { Self.shared(list, in: &$0.lists) }
    }

    /// The segment attributes, as an equal dictionary shared with earlier profiles.
    func segmentAttributes(_ values: [String: SegmentAttributeValue]) -> [String: SegmentAttributeValue] {
        guard !values.isEmpty else { return values }
        return tables.withLock { Self.shared(SegmentAttributes(values: values), in: &$0.segmentAttributes).values }
    }

    /// A string of more than 15 UTF-8 bytes (an instance id), as an equal string shared
    /// with earlier profiles. Shorter strings (a region) are stored inline, with nothing to share.
    func string(_ text: String) -> String {
        guard text.utf8.count > 15 else { return text }
        return tables.withLock { Self.shared(text, in: &$0.strings) }
    }

    /// The member of `table` equal to `value`, else `value` (kept in `table` while it has room).
    private static func shared<Value: Hashable>(_ value: Value, in table: inout Set<Value>) -> Value {
        if let index = table.firstIndex(of: value) { return table[index] }
        if table.count < distinctLimit { table.insert(value) }
        return value
    }
}
