/// Where the values and member names of parsed JSON text start, by JSON pointer: what
/// ``JSONParser/parseKeepingPositions(_:)`` returns beside the value.
public struct JSONSourceMap: Sendable {
    private let bytes: [UInt8]
    private let start: Int
    private let valueOffsets: [JSONPointer: Int]
    private let keyOffsets: [JSONPointer: Int]
    /// The byte offset of each line's first byte; line 1 starts at `start`.
    private let lineStarts: [Int]

    init(bytes: [UInt8], start: Int, valueOffsets: [JSONPointer: Int], keyOffsets: [JSONPointer: Int]) {
        self.bytes = bytes
        self.start = start
        self.valueOffsets = valueOffsets
        self.keyOffsets = keyOffsets
        var starts = [start]
        var position = start
        while position < bytes.count {
            if bytes[position] == 0x0A {
                starts.append(position + 1)
            } else if bytes[position] == 0x0D {
                if position + 1 < bytes.count, bytes[position + 1] == 0x0A { position += 1 }
                starts.append(position + 1)
            }
            position += 1
        }
        lineStarts = starts
    }

    /// The 1-based line and column (in Unicode scalars) where the value at `pointer` starts,
    /// or, with `atKey`, where its member name starts. A pointer to nothing resolves to its
    /// nearest ancestor that exists (a missing member is reported at the object lacking it).
    ///
    /// - Parameters:
    ///   - pointer: The value's place in the document.
    ///   - atKey: Whether to point at the member name rather than the value.
    /// - Returns: The line and column, both 1-based.
    public func position(of pointer: JSONPointer, atKey: Bool = false) -> (line: Int, column: Int) {
        Self.offset(of: pointer, atKey: atKey, values: valueOffsets, keys: keyOffsets).map(lineAndColumn) ?? (1, 1)
    }

    /// Where the value at `pointer` (or, with `atKey`, its member name) starts, else its
    /// nearest ancestor that exists.
    static func offset(of pointer: JSONPointer, atKey: Bool, values: [JSONPointer: Int], keys: [JSONPointer: Int]) -> Int? {
        var current: JSONPointer? = pointer
        var wantsKey = atKey
        while let candidate = current {
            if wantsKey, let offset = keys[candidate] { return offset }
            if let offset = values[candidate] { return offset }
            wantsKey = false
            current = candidate.parent
        }
        return nil
    }

    /// The 1-based line and column of `offset` in `bytes` (whose text starts at `start`),
    /// counted by one scan, without a table of lines: for one position in a large text.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8], start: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = start
        var position = start
        let end = min(offset, bytes.count)
        while position < end {
            if bytes[position] == 0x0A {
                line += 1
                lineStart = position + 1
            } else if bytes[position] == 0x0D {
                if position + 1 < bytes.count, bytes[position + 1] == 0x0A { position += 1 }
                line += 1
                lineStart = position + 1
            }
            position += 1
        }
        var column = 1
        if lineStart < end {
            for byte in bytes[lineStart..<end] where byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    private func lineAndColumn(_ offset: Int) -> (line: Int, column: Int) {
        // The last line start at or before `offset`.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        let lineStart = lineStarts[low]
        if lineStart < offset {
            for byte in bytes[lineStart..<min(offset, bytes.count)] where byte & 0xC0 != 0x80 { column += 1 }
        }
        return (low + 1, column)
    }
}

/// The parser's record of offsets while it descends, kept only when positions are asked for.
struct JSONPositionRecorder {
    private var path: [JSONPathComponent] = []
    private(set) var valueOffsets: [JSONPointer: Int] = [:]
    private(set) var keyOffsets: [JSONPointer: Int] = [:]
    /// When set, only the offsets of this pointer and its ancestors are kept
    /// (``JSONParser/position(of:atKey:in:)``: one place in a document of any size).
    private let target: [JSONPathComponent]?
    /// How many leading components of `path` are the target's.
    private var matched = 0

    init(target: JSONPointer? = nil) {
        self.target = target?.components
    }

    /// Whether the offsets at the current path are kept.
    private var keeps: Bool { target == nil || matched == path.count }

    mutating func enter(_ component: JSONPathComponent, keyOffset: Int?) {
        if let target, matched == path.count, path.count < target.count, target[path.count] == component { matched += 1 }
        path.append(component)
        if keeps, let keyOffset { keyOffsets[JSONPointer(path)] = keyOffset }
    }

    mutating func leave() {
        if matched == path.count { matched -= 1 }
        path.removeLast()
    }

    mutating func recordValue(at offset: Int) {
        if keeps { valueOffsets[JSONPointer(path)] = offset }
    }
}
