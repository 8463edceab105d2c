public import ChatctlJSON

/// The profile values chatctl never prints (SPEC §2: the customer id, "sensitive: never
/// printed"), kept out of diagnostics: a hint never quotes such a value, and a snippet
/// never shows a line its value, or the key naming it, is written on.
public enum SensitiveValues {
    /// The key whose value is sensitive: `participant.customerId` in a profile's spec and in
    /// the project's defaults.
    static let key = "customerId"

    /// Whether the value at `path` is never printed.
    public static func isSensitive(_ path: JSONPointer) -> Bool {
        let components = path.components
        return components.last == .key(key) && components.dropLast().last == .key("participant")
    }

    /// Whether the field a diagnostic names (`spec.participant.customerId`) holds a value
    /// that is never printed.
    public static func isSensitive(fieldPath: String) -> Bool {
        fieldPath == "participant.\(key)" || fieldPath.hasSuffix(".participant.\(key)")
    }

    /// Whether a mapping key may hold a customer id in its own text: spelt like the key
    /// (case, `_`, `-` and spaces aside) with more after it, as `customerId:4111…` is in a
    /// flow mapping, where a missing space makes key and value one plain scalar. Such a key
    /// is never printed (an unknown field's path shows ``redactedKey`` instead).
    public static func mayHoldValue(key: String) -> Bool {
        let letters = normalized(key)
        return letters.hasPrefix(normalizedKey) && letters != normalizedKey
    }

    /// What a field path shows in place of a key that ``mayHoldValue(key:)``.
    public static let redactedKey = "customerId…"

    /// The key's letters and digits, lower case: `customer_ID` and `CustomerId` are both
    /// `customerid`.
    static let normalizedKey = normalized(key)

    static func normalized(_ text: some StringProtocol) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
    }

    /// The lines of a text as libyaml counts them (the numbers of its diagnostics): a
    /// break is CR LF, CR, LF, NEL (U+0085), LS (U+2028) or PS (U+2029). Splitting at LF
    /// alone would make a CR LF file one line, and a snippet of it the whole file.
    public static func sourceLines(of text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var lines: [Substring] = []
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            guard ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) else {
                index = scalars.index(after: index)
                continue
            }
            lines.append(Substring(scalars[start..<index]))
            index = scalars.index(after: index)
            if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" { index = scalars.index(after: index) }
            start = index
        }
        lines.append(Substring(scalars[start..<scalars.endIndex]))
        return lines
    }

    /// The lines of a YAML text that a snippet must not show (more than needed rather than
    /// fewer: only the snippet is left out, never the diagnostic):
    /// - for every mapping key `customerId` (also one an alias gives, in a merge source, a
    ///   complex key, another document), the lines from the key to the next node after its
    ///   value (a quoted or block value runs over several lines, and a flow mapping's next
    ///   key may share its last line), and the lines of an anchored scalar an alias gives it;
    /// - every line whose text names the key, however spelt (``mayHoldValue(key:)``'s
    ///   spelling): a misspelt key's line, or one libyaml stopped on before its key;
    /// - after a syntax error, every line from the first such line at or after the last
    ///   event read, and, inside a value, from its key on, to the end.
    public static func lines(inYAML utf8: [UInt8]) -> SensitiveLines {
        let named = sourceLines(of: String(decoding: utf8, as: UTF8.self)).enumerated().compactMap { index, line in
            normalized(line).contains(normalizedKey) ? index + 1 : nil
        }
        return lines(inYAML: utf8, naming: named)
    }

    private static func lines(inYAML utf8: [UInt8], naming named: [Int]) -> SensitiveLines {
        var scan = LineScan()
        scan.ranges = named.map { $0...$0 }
        guard let parser = YAMLParser(utf8: utf8) else { return SensitiveLines(ranges: [1...Int.max]) }
        while true {
            let event: YAMLEvent?
            do {
                event = try parser.next()
            } catch {
                if let first = named.first(where: { $0 >= scan.lastLine }) { scan.ranges.append(first...Int.max) }
                break
            }
            guard let event else { break }
            scan.take(event)
        }
        return scan.finish()
    }

    /// The state of one pass over a text's events.
    private struct LineScan {
        /// An open collection; a mapping alternates between its keys and their values.
        struct Frame {
            var isMapping: Bool
            var expectingKey = true
            /// The line of the sensitive key whose value is being read, if any.
            var sensitiveKeyLine: Int?
        }

        var frames: [Frame] = []
        var ranges: [ClosedRange<Int>] = []
        /// The line of the last event with a place.
        var lastLine = 1
        /// The text of each anchored scalar, for an alias used as a key.
        var anchoredTexts: [String: String] = [:]
        /// Regions whose value has ended, closed at the line of the next event with a place
        /// (the value's text runs up to it).
        var closing: [Int] = []
        /// Anchored scalars whose region is closed the same way, and those closed.
        var anchorsClosing: [(anchor: String, start: Int)] = []
        var anchored: [String: ClosedRange<Int>] = [:]

        mutating func take(_ event: YAMLEvent) {
            if let line = event.line {
                close(at: line)
                lastLine = line
            }
            switch event {
            case .scalar(let value, let anchor, _, _, let mark):
                if let anchor {
                    anchorsClosing.append((anchor, mark.line))
                    anchoredTexts[anchor] = value
                }
                markKey(value, at: mark.line)
                nodeEnded()
            case .alias(let anchor, let mark):
                if let last = frames.last, last.isMapping, !last.expectingKey, last.sensitiveKeyLine != nil,
                   let region = anchored[anchor] {
                    ranges.append(region)
                }
                if let text = anchoredTexts[anchor] { markKey(text, at: mark.line) }
                nodeEnded()
            case .mappingStart:
                frames.append(Frame(isMapping: true))
            case .sequenceStart:
                frames.append(Frame(isMapping: false))
            case .mappingEnd, .sequenceEnd:
                if !frames.isEmpty { frames.removeLast() }
                nodeEnded()
            case .streamStart, .streamEnd, .documentStart, .documentEnd:
                break
            }
        }

        /// A sensitive key, when `text` is one read where a mapping expects its key.
        private mutating func markKey(_ text: String, at line: Int) {
            if let last = frames.indices.last, frames[last].isMapping, frames[last].expectingKey, text == SensitiveValues.key {
                frames[last].sensitiveKeyLine = line
            }
        }

        /// A node has ended: the mapping holding it turns from key to value or back; a
        /// sensitive key's value that ended is closed at the next place.
        private mutating func nodeEnded() {
            guard let last = frames.indices.last, frames[last].isMapping else { return }
            frames[last].expectingKey.toggle()
            if frames[last].expectingKey, let start = frames[last].sensitiveKeyLine {
                closing.append(start)
                frames[last].sensitiveKeyLine = nil
            }
        }

        private mutating func close(at line: Int) {
            for start in closing { ranges.append(start...max(start, line)) }
            closing.removeAll()
            for (anchor, start) in anchorsClosing { anchored[anchor] = start...max(start, line) }
            anchorsClosing.removeAll()
        }

        /// The lines found; what is still open (the text ended, or a syntax error came,
        /// inside a sensitive value) runs to the last line.
        mutating func finish() -> SensitiveLines {
            close(at: Int.max)
            for frame in frames { if let start = frame.sensitiveKeyLine { ranges.append(start...Int.max) } }
            return SensitiveLines(ranges: ranges)
        }
    }
}

/// Lines of a text (1-based) that show a sensitive value (``SensitiveValues/lines(inYAML:)``).
public struct SensitiveLines: Sendable {
    /// Sorted and merged: a line is looked up by binary search (a hostile file may hold
    /// 100,000 of them, each with a diagnostic).
    let ranges: [ClosedRange<Int>]

    init(ranges: [ClosedRange<Int>]) {
        var merged: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound || range.lowerBound - 1 == last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// Whether line `number` shows a sensitive value, or its key.
    public func contains(_ number: Int) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < number { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].contains(number)
    }
}

extension YAMLEvent {
    /// The line where the event starts, for the events libyaml places.
    fileprivate var line: Int? {
        switch self {
        case .documentStart(let mark), .documentEnd(let mark): mark.line
        case .alias(_, let mark): mark.line
        case .scalar(_, _, _, _, let mark): mark.line
        case .sequenceStart(_, _, let mark), .mappingStart(_, _, let mark): mark.line
        case .streamStart, .streamEnd, .sequenceEnd, .mappingEnd: nil
        }
    }
}
