/// Hand-written matchers for the patterns every profile runs through: profile names,
/// AWS Regions, Connect instance and contact-flow ARNs, any ARN (`valueArn`) and the two
/// duration shapes. Each accepts exactly the strings its regular expression accepts
/// (`HandWrittenPatternTests` runs both on generated and edge-case strings), in one pass
/// over the UTF-8 bytes with no allocation, where the Pike VM of ``PatternProgram`` keeps
/// a set of threads per scalar (docs/performance.md, "Validate").
///
/// A pattern is matched here only when its source is one of these, character for
/// character; any other pattern, even an equivalent one, runs on the general engine.
enum HandWrittenPattern: Sendable, CaseIterable {
    case profileName
    case region
    case instanceARN
    case flowARN
    case anyARN
    /// Days, hours and minutes (`spec.duration`).
    case durationDHM
    /// Hours, minutes and seconds (timeouts of `spec.verify`).
    case durationHMS

    /// The pattern each matcher stands for, as written in the schemas.
    var source: String {
        switch self {
        case .profileName: "^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$"
        case .region: "^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$"
        case .instanceARN:
            "^arn:aws(?:-[a-z]+)*:connect:[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:instance/[A-Za-z0-9_-]{1,100}$"
        case .flowARN:
            "^arn:aws(?:-[a-z]+)*:connect:[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:instance/[A-Za-z0-9_-]{1,100}/contact-flow/[A-Za-z0-9_-]{1,500}$"
        case .anyARN: "^arn:aws(?:-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(?:[0-9]{12}|aws)?:[^\\s]+$"
        case .durationDHM: "^(?:[0-9]+|[0-9]+d(?:[0-9]+h)?(?:[0-9]+m)?|[0-9]+h(?:[0-9]+m)?|[0-9]+m)$"
        case .durationHMS: "^(?:[0-9]+|[0-9]+h(?:[0-9]+m)?(?:[0-9]+s)?|[0-9]+m(?:[0-9]+s)?|[0-9]+s)$"
        }
    }

    private static let bySource: [String: HandWrittenPattern] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.source, $0) })

    /// The matcher for `source`, when there is one.
    init?(source: String) {
        guard let pattern = Self.bySource[source] else { return nil }
        self = pattern
    }

    private static let daysHoursMinutes: [UInt8] = [UInt8(ascii: "d"), UInt8(ascii: "h"), UInt8(ascii: "m")]
    private static let hoursMinutesSeconds: [UInt8] = [UInt8(ascii: "h"), UInt8(ascii: "m"), UInt8(ascii: "s")]

    /// Whether `text` matches the pattern.
    func matches(_ text: String) -> Bool {
        var cursor = ByteCursor(text)
        switch self {
        case .profileName: return cursor.profileName()
        case .region: return cursor.region(until: nil)
        case .instanceARN: return cursor.connectARN(flow: false)
        case .flowARN: return cursor.connectARN(flow: true)
        case .anyARN: return cursor.anyARN()
        case .durationDHM: return cursor.duration(units: Self.daysHoursMinutes)
        case .durationHMS: return cursor.duration(units: Self.hoursMinutesSeconds)
        }
    }
}

/// A read position in UTF-8 bytes. Every shape above is ASCII except the tail of
/// `anyARN`, so a byte outside ASCII fails every class but that one.
///
/// The bytes are copied into an array once and read by integer offset: stepping a
/// `String.UTF8View` index cost about 20 instructions a byte (a flow ARN is 140 bytes,
/// and this ran for every profile's ARNs: 3% of `chatctl validate`'s instructions).
private struct ByteCursor {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var atEnd: Bool { index == bytes.endIndex }

    /// The byte at the cursor, `nil` at the end.
    var current: UInt8? { atEnd ? nil : bytes[index] }

    static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    /// `[A-Za-z0-9_-]`.
    static func isIDByte(_ byte: UInt8) -> Bool {
        isLower(byte) || isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte == 0x2D
    }

    /// Consumes bytes while `accept` holds; returns how many.
    mutating func run(_ accept: (UInt8) -> Bool) -> Int {
        var count = 0
        while index != bytes.endIndex, accept(bytes[index]) {
            index += 1
            count += 1
        }
        return count
    }

    /// Consumes `byte` when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `literal` (ASCII) when the input continues with it.
    mutating func take(_ literal: String) -> Bool {
        var probe = index
        for byte in literal.utf8 {
            guard probe != bytes.endIndex, bytes[probe] == byte else { return false }
            probe += 1
        }
        index = probe
        return true
    }

    /// `[a-z0-9](?:[-a-z0-9]*[a-z0-9])?` to the end.
    mutating func profileName() -> Bool {
        guard let first = current, first != 0x2D else { return false }
        var last = first
        while let byte = current, Self.isLower(byte) || Self.isDigit(byte) || byte == 0x2D {
            last = byte
            index += 1
        }
        return atEnd && last != 0x2D
    }

    /// `[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}`, followed by `terminator` (the end when `nil`).
    /// Letters and digits never meet inside a part, so the parts between hyphens decide:
    /// a first part of 2–4 letters, at least one part of letters, a last part of 1–2 digits.
    mutating func region(until terminator: UInt8?) -> Bool {
        let first = run(Self.isLower)
        guard first >= 2, first <= 4 else { return false }
        var letterParts = 0
        while take(0x2D) {
            if run(Self.isLower) > 0 {
                letterParts += 1
                continue
            }
            let digits = run(Self.isDigit)
            guard digits >= 1, digits <= 2, letterParts >= 1 else { return false }
            if let terminator { return take(terminator) }
            return atEnd
        }
        return false
    }

    /// `arn:aws(?:-[a-z]+)*:`.
    mutating func partition() -> Bool {
        guard take("arn:aws") else { return false }
        while take(0x2D) {
            guard run(Self.isLower) > 0 else { return false }
        }
        return take(0x3A)
    }

    /// The instance (and flow) ARN patterns, to the end.
    mutating func connectARN(flow: Bool) -> Bool {
        guard partition(), take("connect:"), region(until: 0x3A) else { return false }
        guard run(Self.isDigit) == 12, take(":instance/") else { return false }
        let instance = run(Self.isIDByte)
        guard (1...100).contains(instance) else { return false }
        guard flow else { return atEnd }
        guard take("/contact-flow/") else { return false }
        let id = run(Self.isIDByte)
        return (1...500).contains(id) && atEnd
    }

    /// `arn:aws(?:-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(?:[0-9]{12}|aws)?:[^\s]+`, to the end.
    mutating func anyARN() -> Bool {
        guard partition() else { return false }
        let service = run { Self.isLower($0) || Self.isDigit($0) || $0 == 0x2D }
        guard service > 0, take(0x3A) else { return false }
        _ = run { Self.isLower($0) || Self.isDigit($0) || $0 == 0x2D }
        guard take(0x3A) else { return false }
        let account = index
        let digits = run(Self.isDigit)
        if digits != 12 {
            index = account
            guard digits == 0 else { return false }
            _ = take("aws")
        }
        guard take(0x3A), !atEnd else { return false }
        // The rest is any scalar but ECMA-262 white space. (The cursor is past an ASCII
        // colon: on a scalar boundary of the valid UTF-8 a String holds.)
        return !String(decoding: bytes[index...], as: UTF8.self).unicodeScalars.contains {
            ScalarSet.space.contains($0.value)
        }
    }

    /// A number alone, or parts of digits each followed by one of `units`, the units in
    /// their order, none twice: exactly the alternatives of the duration patterns.
    mutating func duration(units order: [UInt8]) -> Bool {
        var nextUnit = 0
        var parts = 0
        while let byte = current {
            guard Self.isDigit(byte), run(Self.isDigit) > 0 else { return false }
            guard let unit = current else { return parts == 0 }
            guard let position = order[nextUnit...].firstIndex(of: unit) else { return false }
            index += 1
            nextUnit = position + 1
            parts += 1
        }
        return parts > 0
    }
}
