import ChatctlJSON

/// A lockfile that changes a few entries at a time, with its file's bytes kept in parts:
/// each entry's part is encoded when the entry is set and kept until it is set again, so
/// writing the file after a change costs the change's encoding plus copying the other
/// parts, not encoding the whole lockfile again (apply's journal; issue 15).
///
/// ``encoded()`` is byte for byte ``LockfileCodec/encode(_:)`` of ``lockfile``: each part is
/// written by the same ``JSONWriter`` at the depth it has in the document, and the parts
/// are joined in the writer's member order, so the file stays one deterministic document.
struct IncrementalLockfile: Sendable {
    /// One entry's member of the `entries` object, as it appears there: newline,
    /// indentation, the quoted name, `": "`, the entry's object.
    private struct Part: Sendable {
        let name: String
        var bytes: [UInt8]
        /// Where the entry's object begins in `bytes` (after the name and `": "`).
        var valueStart: Int
    }

    /// The lockfile as set so far.
    private(set) var lockfile: Lockfile
    private let codec: LockfileCodec
    /// One per entry, sorted by the UTF-8 bytes of the names (``JSONWriter``'s order).
    private var parts: [Part]
    /// The entries object sits two levels deep: the document, then `entries`.
    private static let entryDepth = 2
    /// Where the header's empty `entries` object is, found by these bytes: a newline
    /// cannot occur inside a string of the encoded document (it is escaped), so they
    /// occur once, as the top-level member.
    private static let entriesMarker = Array("\n  \"entries\": ".utf8)

    init(_ lockfile: Lockfile, codec: LockfileCodec) {
        self.lockfile = lockfile
        self.codec = codec
        parts = lockfile.entries.keys.sorted(by: JSONWriter.utf8Precedes).compactMap { name in
            lockfile.entries[name].map { Self.part(name, $0, codec: codec) }
        }
    }

    /// Sets the serial (the other top-level members are not written by apply).
    mutating func setSerial(_ serial: Int) {
        lockfile.serial = serial
    }

    /// Sets, or with `nil` removes, `name`'s entry, and encodes its part again.
    mutating func setEntry(_ entry: LockEntry?, for name: String) {
        // The name as the dictionary spells it: a canonically equivalent spelling (é as one
        // scalar or two) finds the same entry, whose key keeps its first spelling, which
        // is the one written and sorted.
        let key = lockfile.entries.storedName(for: name)
        lockfile.entries[name] = entry
        let index = firstIndex(notBefore: key)
        let present = index < parts.count && parts[index].name == key
        switch (entry, present) {
        case (let entry?, true): parts[index] = Self.part(key, entry, codec: codec)
        case (let entry?, false): parts.insert(Self.part(name, entry, codec: codec), at: index)
        case (nil, true): parts.remove(at: index)
        case (nil, false): break
        }
    }

    /// The JSON of `name`'s entry as the file holds it (pretty, at its depth: still JSON),
    /// or `nil` when there is none: what the journal records, without encoding it again.
    func entryJSON(for name: String) -> ArraySlice<UInt8>? {
        let key = lockfile.entries.storedName(for: name)
        let index = firstIndex(notBefore: key)
        guard index < parts.count, parts[index].name == key else { return nil }
        return parts[index].bytes[parts[index].valueStart...]
    }

    /// The file's bytes for ``lockfile``.
    func encoded() -> [UInt8] {
        var header = lockfile
        header.entries = [:]
        let headerBytes = codec.encode(header)
        // `"entries": {}` in the header; the parts go between its braces.
        guard let markerEnd = Self.end(of: Self.entriesMarker, in: headerBytes),
              markerEnd + 1 < headerBytes.count, headerBytes[markerEnd] == UInt8(ascii: "{"),
              headerBytes[markerEnd + 1] == UInt8(ascii: "}")
        else {
            // The codec always writes `entries`; should that change, encode it whole.
            return codec.encode(lockfile)
        }
        guard !parts.isEmpty else { return headerBytes }
        var output: [UInt8] = []
        output.reserveCapacity(headerBytes.count + parts.reduce(4) { $0 + $1.bytes.count + 1 })
        output.append(contentsOf: headerBytes[..<markerEnd])
        output.append(UInt8(ascii: "{"))
        for (position, part) in parts.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: part.bytes)
        }
        output.append(contentsOf: "\n  }".utf8)
        output.append(contentsOf: headerBytes[(markerEnd + 2)...])
        return output
    }

    private static func part(_ name: String, _ entry: LockEntry, codec: LockfileCodec) -> Part {
        var bytes: [UInt8] = [0x0A]
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: entryDepth * 2))
        JSONWriter.appendString(name, to: &bytes)
        bytes.append(contentsOf: ": ".utf8)
        let valueStart = bytes.count
        JSONWriter.pretty.append(codec.json(entry), to: &bytes, depth: entryDepth)
        return Part(name: name, bytes: bytes, valueStart: valueStart)
    }

    /// The index of the first part whose name does not sort before `name`.
    private func firstIndex(notBefore name: String) -> Int {
        var low = 0
        var high = parts.count
        while low < high {
            let middle = (low + high) / 2
            if JSONWriter.utf8Precedes(parts[middle].name, name) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The index just past the first occurrence of `needle` in `bytes`.
    private static func end(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return start + needle.count
        }
        return nil
    }
}
