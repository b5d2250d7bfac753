/// Maps a position inside a scalar's text (a template, an expression, a regex) back to
/// the file it came from, so errors inside the scalar point at the right line and column.
///
/// Exact for plain and quoted scalars (escapes and folded line breaks included) and for literal
/// block scalars (`|`); approximate for folded blocks (`>`), whose line breaks YAML rewrites.
public struct ScalarOrigin: Sendable, Hashable {
    /// Where the scalar's first content character is.
    public var start: SourceLocation
    /// For block scalars: the column of the content's indentation on following lines.
    public var blockIndentColumn: Int?
    /// For plain and quoted scalars: where each character of the value was written, by line of
    /// the value. Escapes (`\n`, `\"`, `''`) and folded line breaks make the value's columns differ
    /// from the file's.
    public var flowPositions: [[SourceLocation]]?

    public init(start: SourceLocation, blockIndentColumn: Int? = nil) {
        self.start = start
        self.blockIndentColumn = blockIndentColumn
    }

    /// The origin of `node`'s text; `source` lets block scalars find their indentation.
    public init(node: YAMLNode, source: SourceFile?) {
        let style = node.scalar?.style ?? .plain
        switch style {
        case .plain, .singleQuoted, .doubleQuoted:
            self.init(start: style == .plain ? node.location : node.location.advanced(byColumns: 1))
            if let source, let text = node.scalar?.text {
                flowPositions = Self.flowPositions(of: text, style: style, at: node.location, in: source)
            }
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
                // Spaces kept in the text (an indentation indicator, `|2`) are not indentation.
                let firstLine = node.scalar?.text.split(separator: "\n").first { $0.contains { $0 != " " } }
                let keptSpaces = firstLine?.prefix { $0 == " " }.count ?? 0
                if let text = source.line(line) { indent = text.prefix { $0 == " " }.count - keptSpaces + 1 }
            }
            self.init(start: SourceLocation(file: node.location.file, line: node.location.line + 1, column: indent),
                      blockIndentColumn: indent)
        }
    }

    /// The file location of 1-based (`line`, `column`) inside the scalar's text.
    public func location(line: Int, column: Int) -> SourceLocation {
        if let flowPositions, flowPositions.indices.contains(line - 1) {
            let row = flowPositions[line - 1]
            if row.indices.contains(column - 1) { return row[column - 1] }
            // Just past the line's last character: an unclosed tag, the end of an expression.
            if let last = row.last, column > row.count { return last.advanced(byColumns: column - row.count) }
        }
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

    /// Walks a plain or quoted scalar that starts at `start` until `value` is accounted for,
    /// recording where each character was written: an escape stands at its backslash, `''` at
    /// its first quote; a line break folds (trailing blanks dropped, one break to a space,
    /// n breaks to n-1 line breaks).
    static func flowPositions(of value: String, style: YAMLScalar.Style, at start: SourceLocation, in source: SourceFile)
        -> [[SourceLocation]]
    {
        let double = style == .doubleQuoted, quote: Unicode.Scalar? = style == .plain ? nil : double ? "\"" : "'"
        let length = value.unicodeScalars.count
        var rows: [[SourceLocation]] = [[]]
        var emitted = 0, trailingBlanks = 0
        var lineNumber = start.line
        var text = Array((source.line(lineNumber) ?? "").unicodeScalars)
        var index = quote == nil ? start.column - 1 : start.column
        func at(_ i: Int) -> SourceLocation { SourceLocation(file: start.file, line: lineNumber, column: i + 1) }
        func append(_ location: SourceLocation, blank: Bool) {
            rows[rows.count - 1].append(location)
            emitted += 1
            trailingBlanks = blank ? trailingBlanks + 1 : 0
        }
        func startRow() {
            rows.append([])
            emitted += 1
            trailingBlanks = 0
        }
        /// Moves to the next line's first non-blank; false at the end of the file.
        func nextLine() -> Bool {
            lineNumber += 1
            guard let line = source.line(lineNumber) else { return false }
            text = Array(line.unicodeScalars)
            index = text.prefix { $0 == " " || $0 == "\t" }.count
            return true
        }
        while emitted < length {
            if index >= text.count {
                rows[rows.count - 1].removeLast(trailingBlanks)
                emitted -= trailingBlanks
                trailingBlanks = 0
                let end = at(text.count)
                var breaks = 0
                repeat {
                    breaks += 1
                    guard nextLine() else { return rows }
                } while index == text.count
                if breaks == 1 { append(end, blank: false) } else { for _ in 1..<breaks { startRow() } }
                continue
            }
            let scalar = text[index]
            if scalar == quote {
                guard !double, index + 1 < text.count, text[index + 1] == "'" else { return rows }
                append(at(index), blank: false)
                index += 2
            } else if double, scalar == "\\" {
                guard index + 1 < text.count else {
                    // An escaped line break joins the lines, keeping the blanks before it.
                    trailingBlanks = 0
                    guard nextLine() else { return rows }
                    continue
                }
                let escape = text[index + 1]
                if escape == "n" { startRow() } else { append(at(index), blank: false) }
                index += escape == "x" ? 4 : escape == "u" ? 6 : escape == "U" ? 10 : 2
            } else {
                append(at(index), blank: scalar == " " || scalar == "\t")
                index += 1
            }
        }
        return rows
    }
}
