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
        self.lines = Self.lines(of: text)
    }

    /// `text` cut at every line break, the breaks left out; after a final break comes an empty line.
    static func lines(of text: String) -> [Substring] {
        // Scalars, not characters: finding grapheme boundaries would cost more than the whole cut.
        let scalars = text.unicodeScalars
        var lines: [Substring] = []
        var start = scalars.startIndex, index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            var next = scalars.index(after: index)
            if isLineBreak(scalar) {
                if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                lines.append(Substring(scalars[start..<index]))
                start = next
            }
            index = next
        }
        lines.append(Substring(scalars[start...]))
        return lines
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }

    /// The text of 1-based `line` without its line break, or nil when out of range.
    public func line(_ line: Int) -> String? {
        guard line >= 1, line <= lines.count else { return nil }
        return String(lines[line - 1])
    }

    /// Number of lines (a final line break does not start a new counted line).
    public var lineCount: Int { text.unicodeScalars.last.map(Self.isLineBreak) == true ? lines.count - 1 : lines.count }
}

/// Source files by path, so a renderer can quote any of them.
public struct SourceFiles: Sendable {
    private var files: [String: SourceFile] = [:]

    public init() {}

    public mutating func add(_ file: SourceFile) { files[file.path] = file }

    /// Adds every file of `other`.
    public mutating func merge(_ other: SourceFiles) { files.merge(other.files) { _, new in new } }

    public subscript(path: String) -> SourceFile? { files[path] }
}
