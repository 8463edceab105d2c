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

    /// The lines of a YAML text that a snippet must not show: for every mapping key
    /// `customerId`, wherever it is (a merge source, a complex key, another document), the
    /// lines from the key to the next node after its value (a quoted or block value runs
    /// over several lines, and a flow mapping's next key may share its last line), and the
    /// lines of an anchored scalar an alias gives it. After a syntax error inside such a
    /// value, every line from its key on. More lines than needed rather than fewer: only
    /// the snippet is left out, never the diagnostic.
    public static func lines(inYAML utf8: [UInt8]) -> SensitiveLines {
        guard let parser = YAMLParser(utf8: utf8) else { return SensitiveLines(ranges: [], everyLine: true) }
        var scan = LineScan()
        while true {
            let event: YAMLEvent?
            do {
                event = try parser.next()
            } catch {
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
        /// Regions whose value has ended, closed at the line of the next event with a place
        /// (the value's text runs up to it).
        var closing: [Int] = []
        /// Anchored scalars whose region is closed the same way, and those closed.
        var anchorsClosing: [(anchor: String, start: Int)] = []
        var anchored: [String: ClosedRange<Int>] = [:]

        mutating func take(_ event: YAMLEvent) {
            if let line = event.line { close(at: line) }
            switch event {
            case .scalar(let value, let anchor, _, _, let mark):
                if let anchor { anchorsClosing.append((anchor, mark.line)) }
                if let last = frames.indices.last, frames[last].isMapping, frames[last].expectingKey, value == SensitiveValues.key {
                    frames[last].sensitiveKeyLine = mark.line
                }
                nodeEnded()
            case .alias(let anchor, _):
                if let last = frames.last, last.isMapping, !last.expectingKey, last.sensitiveKeyLine != nil,
                   let region = anchored[anchor] {
                    ranges.append(region)
                }
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
            return SensitiveLines(ranges: ranges, everyLine: false)
        }
    }
}

/// Lines of a text (1-based) that show a sensitive value (``SensitiveValues/lines(inYAML:)``).
public struct SensitiveLines: Sendable {
    let ranges: [ClosedRange<Int>]
    /// When the text could not be read for them at all: no line may be shown.
    let everyLine: Bool

    /// Whether line `number` shows a sensitive value, or its key.
    public func contains(_ number: Int) -> Bool {
        everyLine || ranges.contains { $0.contains(number) }
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
