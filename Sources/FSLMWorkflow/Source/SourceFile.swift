/// The text of one loaded file, kept so diagnostics can quote the offending line.
///
/// Lines end where YAML 1.1, and so libyaml, whose marks place diagnostics, ends them: at a line
/// feed, a carriage return, CR LF, NEL (U+0085), or a line or paragraph separator (U+2028, U+2029).
public struct SourceFile: Sendable {
    /// The path as the user named it.
    public let path: String
    /// The whole text, decoded as UTF-8.
    public let text: String
    private let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = text.split(omittingEmptySubsequences: false, whereSeparator: Self.isLineBreak)
    }

    /// Whether `character` ends a line (CR LF is one character).
    static func isLineBreak(_ character: Character) -> Bool {
        ["\n", "\r\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(character)
    }

    /// The text of 1-based `line` without its line break, or nil when out of range.
    public func line(_ line: Int) -> String? {
        guard line >= 1, line <= lines.count else { return nil }
        return String(lines[line - 1])
    }

    /// Number of lines (a final line break does not start a new counted line).
    public var lineCount: Int { text.last.map(Self.isLineBreak) == true ? lines.count - 1 : lines.count }
}

/// Source files by path, so a renderer can quote any of them.
public struct SourceFiles: Sendable {
    private var files: [String: SourceFile] = [:]

    public init() {}

    public mutating func add(_ file: SourceFile) { files[file.path] = file }

    public subscript(path: String) -> SourceFile? { files[path] }
}
