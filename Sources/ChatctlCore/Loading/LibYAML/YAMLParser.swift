internal import CLibYAML

/// Owns a libyaml `yaml_parser_t` over an in-memory UTF-8 buffer and turns its
/// events into ``YAMLEvent`` values. The only file that imports `CLibYAML`.
///
/// The input must already be UTF-8 (``SourceText`` transcodes UTF-16/32 and rejects
/// invalid bytes first). Events are pulled one at a time, so a caller can stop as soon
/// as a limit is reached without libyaml reading further.
final class YAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let inputCount: Int
    private var finished = false

    /// Creates a parser over a copy of `utf8`. Returns `nil` only when libyaml cannot
    /// allocate its state.
    init?(utf8: [UInt8]) {
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        _ = input.initialize(from: utf8)
        inputCount = utf8.count
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            input.deallocate()
            return nil
        }
        yaml_parser_set_input_string(parser, input.baseAddress, utf8.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event, or `nil` after the stream's end.
    /// - Throws: ``YAMLSyntaxError`` at the first syntax error; the parser is done then.
    func next() throws(YAMLSyntaxError) -> YAMLEvent? {
        if finished { return nil }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            finished = true
            throw syntaxError()
        }
        defer { yaml_event_delete(&event) }
        let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd(mark)
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = scalar.value.map { pointer in
                String(decoding: UnsafeBufferPointer(start: pointer, count: scalar.length), as: UTF8.self)
            } ?? ""
            return .scalar(
                value: value, anchor: Self.string(scalar.anchor), tag: Self.string(scalar.tag),
                style: Self.style(scalar.style), mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return .sequenceStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return .mappingStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_NO_EVENT: libyaml produces it only after an error, handled above.
            finished = true
            return nil
        }
    }

    private func syntaxError() -> YAMLSyntaxError {
        let state = parser.pointee
        var mark = YAMLMark(line: Int(state.problem_mark.line) + 1, column: Int(state.problem_mark.column) + 1)
        if state.error == YAML_READER_ERROR {
            // The reader (a control character, a bad byte) sets a byte offset, not a mark.
            mark = markOf(byteOffset: Int(state.problem_offset))
        }
        let problem = state.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = state.context.map { String(cString: $0) }
        // libyaml's memory errors carry no mark; report them at the start.
        return YAMLSyntaxError(problem: problem, context: context, mark: mark.line > 0 ? mark : YAMLMark(line: 1, column: 1))
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset of the input.
    private func markOf(byteOffset: Int) -> YAMLMark {
        var line = 1
        var column = 1
        var index = 0
        let end = min(max(byteOffset, 0), inputCount)
        while index < end {
            let byte = input[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count scalars: continuation bytes (10xxxxxx) belong to the scalar before.
                column += 1
            }
            index += 1
        }
        return YAMLMark(line: line, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
