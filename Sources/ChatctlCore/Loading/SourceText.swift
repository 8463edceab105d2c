/// Turns a file's bytes into the UTF-8 text libyaml reads, as YAML 1.2 allows:
/// UTF-8 (with or without a byte order mark), or UTF-16 / UTF-32 with a byte order mark.
/// Any other bytes are an encoding error at the line and column where they occur.
enum SourceText {
    /// Where the bytes stop being valid text, 1-based.
    struct EncodingProblem: Error, Sendable, Hashable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The input as UTF-8 without a byte order mark.
    static func utf8(from bytes: [UInt8]) -> Result<[UInt8], EncodingProblem> {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            return transcode(units32(bytes.dropFirst(4), bigEndian: true), as: UTF32.self, encoding: "UTF-32BE")
        }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            return transcode(units32(bytes.dropFirst(4), bigEndian: false), as: UTF32.self, encoding: "UTF-32LE")
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return transcode(units16(bytes.dropFirst(2), bigEndian: true), as: UTF16.self, encoding: "UTF-16BE")
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return transcode(units16(bytes.dropFirst(2), bigEndian: false), as: UTF16.self, encoding: "UTF-16LE")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        // Fast path: valid UTF-8 is the overwhelming case.
        if String(validating: body, as: UTF8.self) != nil {
            return .success(body)
        }
        return transcode(body, as: UTF8.self, encoding: "UTF-8")
    }

    /// Decodes `units` with `codec`, re-encoding as UTF-8, and on the first invalid
    /// sequence reports its line and column.
    private static func transcode<Codec: UnicodeCodec>(
        _ units: [Codec.CodeUnit], as codec: Codec.Type, encoding: String
    ) -> Result<[UInt8], EncodingProblem> {
        var output: [UInt8] = []
        output.reserveCapacity(units.count)
        var iterator = units.makeIterator()
        var decoder = Codec()
        var line = 1
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                UTF8.encode(scalar) { output.append($0) }
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return .success(output)
            case .error:
                return .failure(EncodingProblem(
                    line: line, column: column,
                    message: "the file is not valid \(encoding) text here; save it as UTF-8"))
            }
        }
    }

    private static func units16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt16] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2 + 1)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (high, low) = bigEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
            units.append(UInt16(high) << 8 | UInt16(low))
            index += 2
        }
        // An odd trailing byte cannot be a UTF-16 code unit: make it decode as an error.
        if index < bytes.endIndex { units.append(0xDC00) }
        return units
    }

    private static func units32(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt32] {
        var units: [UInt32] = []
        units.reserveCapacity(bytes.count / 4 + 1)
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            let b = (bytes[index], bytes[index + 1], bytes[index + 2], bytes[index + 3])
            units.append(bigEndian
                ? UInt32(b.0) << 24 | UInt32(b.1) << 16 | UInt32(b.2) << 8 | UInt32(b.3)
                : UInt32(b.3) << 24 | UInt32(b.2) << 16 | UInt32(b.1) << 8 | UInt32(b.0))
            index += 4
        }
        if index < bytes.endIndex { units.append(0xFFFF_FFFF) }
        return units
    }
}
