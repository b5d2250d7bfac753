import CYAML

/// A position libyaml reported, as 1-based line and column (columns count Unicode scalars).
struct YAMLMark: Sendable, Hashable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}

/// One libyaml parse event, copied out of libyaml's memory.
struct YAMLEvent: Sendable {
    enum Kind: Sendable {
        case documentStart
        case scalar(YAMLScalar)
        case alias(String)
        case sequenceStart(flow: Bool)
        case mappingStart(flow: Bool)
        case collectionEnd
        case streamEnd
    }

    var kind: Kind
    var start: YAMLMark
    var end: YAMLMark
    var anchor: String?
    /// The explicit tag, with the `tag:yaml.org,2002:` prefix written back as `!!`.
    var tag: String?
}

/// The first error libyaml met; it cannot continue after one.
struct YAMLParserFailure: Error {
    var problem: String
    var problemMark: YAMLMark
    var context: String?
    var contextMark: YAMLMark
}

/// Pulls events from libyaml's parser over a private copy of the input bytes.
///
/// Stream-start and document-end events are skipped: the loader has no use for them.
final class YAMLEventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let initialized: Bool

    init(bytes: some Collection<UInt8>) {
        input = .allocate(capacity: Swift.max(1, bytes.count))
        _ = input.initialize(from: bytes)
        parser = .allocate(capacity: 1)
        initialized = yaml_parser_initialize(parser) != 0
        if initialized {
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        }
    }

    deinit {
        if initialized { yaml_parser_delete(parser) }
        parser.deallocate()
        input.deallocate()
    }

    /// The next event, or libyaml's error.
    func next() throws(YAMLParserFailure) -> YAMLEvent {
        guard initialized else {
            throw YAMLParserFailure(problem: "out of memory", problemMark: YAMLMark(line: 1, column: 1),
                                    context: nil, contextMark: YAMLMark(line: 1, column: 1))
        }
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) != 0 else { throw failure() }
            defer { yaml_event_delete(&event) }
            if let converted = Self.convert(event) { return converted }
        }
    }

    private static func convert(_ event: yaml_event_t) -> YAMLEvent? {
        let start = YAMLMark(event.start_mark), end = YAMLMark(event.end_mark)
        func make(_ kind: YAMLEvent.Kind, anchor: UnsafeMutablePointer<UInt8>? = nil,
                  tag: UnsafeMutablePointer<UInt8>? = nil) -> YAMLEvent {
            YAMLEvent(kind: kind, start: start, end: end, anchor: anchor.map { String(cString: $0) },
                      tag: tag.map { shortTag(String(cString: $0)) })
        }
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            return make(.documentStart)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            return make(.scalar(YAMLScalar(text, style: style(s.style))), anchor: s.anchor, tag: s.tag)
        case YAML_ALIAS_EVENT:
            return make(.alias(String(cString: event.data.alias.anchor)))
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            return make(.sequenceStart(flow: s.style == YAML_FLOW_SEQUENCE_STYLE), anchor: s.anchor, tag: s.tag)
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            return make(.mappingStart(flow: m.style == YAML_FLOW_MAPPING_STYLE), anchor: m.anchor, tag: m.tag)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            return make(.collectionEnd)
        case YAML_STREAM_END_EVENT:
            return make(.streamEnd)
        default:
            return nil
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    private static func shortTag(_ tag: String) -> String {
        let core = "tag:yaml.org,2002:"
        return tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : tag
    }

    private func failure() -> YAMLParserFailure {
        let p = parser.pointee
        var problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        var mark = YAMLMark(p.problem_mark)
        if p.error == YAML_MEMORY_ERROR {
            problem = "out of memory"
        } else if p.error == YAML_READER_ERROR {
            // Reader errors carry a byte offset, not a mark.
            mark = self.mark(atByteOffset: p.problem_offset)
            if p.problem_value >= 0 {
                let value = String(UInt32(p.problem_value), radix: 16, uppercase: true)
                problem += problem.contains("UTF-8")
                    ? " (byte 0x\(value))"
                    : " (U+\(String(repeating: "0", count: Swift.max(0, 4 - value.count)) + value))"
            }
        }
        return YAMLParserFailure(problem: problem, problemMark: mark, context: p.context.map { String(cString: $0) },
                                 contextMark: YAMLMark(p.context_mark))
    }

    /// The line and column of a byte offset into the input, with lines broken as `SourceFile` breaks them.
    private func mark(atByteOffset offset: Int) -> YAMLMark {
        let before = String(decoding: input.prefix(offset), as: UTF8.self)
        let lines = SourceFile.lines(of: before)
        return YAMLMark(line: lines.count, column: (lines.last?.unicodeScalars.count ?? 0) + 1)
    }
}
