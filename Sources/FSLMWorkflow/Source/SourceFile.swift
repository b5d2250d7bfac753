/// The text of one loaded file, kept so diagnostics can quote the offending line.
public struct SourceFile: Sendable {
    /// The path as the user named it.
    public let path: String
    /// The whole text, decoded as UTF-8.
    public let text: String
    private let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        // "\r\n" is one Character, so it is a separator of its own.
        self.lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }

    /// The text of 1-based `line` without its line break, or nil when out of range.
    public func line(_ line: Int) -> String? {
        guard line >= 1, line <= lines.count else { return nil }
        return String(lines[line - 1])
    }

    /// Number of lines (a final line break does not start a new counted line).
    public var lineCount: Int { text.last == "\n" || text.last == "\r\n" ? lines.count - 1 : lines.count }
}

/// Source files by path, so a renderer can quote any of them.
public struct SourceFiles: Sendable {
    private var files: [String: SourceFile] = [:]

    public init() {}

    public mutating func add(_ file: SourceFile) { files[file.path] = file }

    public subscript(path: String) -> SourceFile? { files[path] }
}
