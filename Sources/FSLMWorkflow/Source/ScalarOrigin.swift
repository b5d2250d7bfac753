/// Maps a position inside a scalar's text (a template, an expression, a regex) back to
/// the file it came from, so errors inside the scalar point at the right line and column.
///
/// Exact for single-line plain and quoted scalars and for literal block scalars (`|`);
/// approximate for multi-line flow scalars and folded blocks, whose line breaks YAML rewrites.
public struct ScalarOrigin: Sendable, Hashable {
    /// Where the scalar's first content character is.
    public var start: SourceLocation
    /// For block scalars: the column of the content's indentation on following lines.
    public var blockIndentColumn: Int?

    public init(start: SourceLocation, blockIndentColumn: Int? = nil) {
        self.start = start
        self.blockIndentColumn = blockIndentColumn
    }

    /// The origin of `node`'s text; `source` lets block scalars find their indentation.
    public init(node: YAMLNode, source: SourceFile?) {
        let style = node.scalar?.style ?? .plain
        switch style {
        case .plain:
            self.init(start: node.location)
        case .singleQuoted, .doubleQuoted:
            self.init(start: node.location.advanced(byColumns: 1))
        case .literal, .folded:
            // The node starts at the `|` or `>` indicator; content starts on the next non-blank line.
            var line = node.location.line + 1
            var indent = node.location.column + 2
            if let source {
                while line <= source.lineCount, let text = source.line(line),
                    text.allSatisfy({ $0 == " " })
                {
                    line += 1
                }
                if let text = source.line(line) { indent = text.prefix { $0 == " " }.count + 1 }
            }
            self.init(start: SourceLocation(file: node.location.file, line: node.location.line + 1, column: indent),
                      blockIndentColumn: indent)
        }
    }

    /// The file location of 1-based (`line`, `column`) inside the scalar's text.
    public func location(line: Int, column: Int) -> SourceLocation {
        if line <= 1 { return start.advanced(byColumns: column - 1) }
        let fileLine = start.line + line - 1
        let base = blockIndentColumn ?? 1
        return SourceLocation(file: start.file, line: fileLine, column: base + column - 1)
    }

    /// The file location of a 0-based scalar offset into `text` (counted in Unicode scalars).
    public func location(ofOffset offset: Int, in text: String) -> SourceLocation {
        var line = 1, column = 1
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if i == offset { break }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return location(line: line, column: column)
    }
}
